import type { Hono } from 'hono';
import * as z from '../../../shared/schemas/zod';
import { IdSchema, pageOf } from '../../../shared/schemas/common';
import { PublicCatalogQuerySchema, PublicDatasetSchema, PublicProjectQuerySchema, PublicProjectSchema } from '../../../shared/schemas/public';
import type { AppEnv } from '../http/env';
import { defineRoute, errorResponses, jsonResponse, openapi } from '../http/openapi';
import * as publicCatalog from './service';

const tags = ['public'];

export const healthRoute = defineRoute({
  method: 'get', path: '/health', tags, summary: 'Liveness',
  responses: { 200: jsonResponse(z.object({ status: z.literal('ok') }), 'Alive') },
});

export const publicDatasetsRoute = defineRoute({
  method: 'get', path: '/v1/public/datasets', tags, summary: 'Published datasets\' public metadata (no sign-in)',
  request: { query: PublicCatalogQuerySchema },
  responses: { 200: jsonResponse(pageOf(PublicDatasetSchema), 'A page of datasets'), 400: errorResponses[400] },
});

export const publicDatasetRoute = defineRoute({
  method: 'get', path: '/v1/public/datasets/{id}', tags, summary: 'One published dataset\'s public metadata',
  request: { params: z.strictObject({ id: IdSchema }) },
  responses: { 200: jsonResponse(PublicDatasetSchema, 'The dataset'), 404: errorResponses[404] },
});

export const dcatRoute = defineRoute({
  method: 'get', path: '/v1/public/catalog.jsonld', tags, summary: 'The catalog as DCAT JSON-LD',
  request: { query: z.strictObject({ cursor: z.optional(z.string().check(z.maxLength(2048))) }) },
  responses: { 200: { description: 'A dcat:Catalog', content: { 'application/ld+json': { schema: z.record(z.string(), z.unknown()) } } } },
});

export const publicProjectsRoute = defineRoute({
  method: 'get', path: '/v1/public/projects', tags, summary: 'The transparency register: approved projects that agreed to be listed, and their outcomes (no sign-in)',
  request: { query: PublicProjectQuerySchema },
  responses: { 200: jsonResponse(pageOf(PublicProjectSchema), 'A page of projects'), 400: errorResponses[400] },
});

/** Routes anyone may call, without a token. */
export function registerPublicRoutes(app: Hono<AppEnv>, deps: publicCatalog.PublicDeps): void {
  openapi(app, healthRoute, (c) => c.json({ status: 'ok' as const }, 200));
  openapi(app, publicDatasetsRoute, async (c) => c.json(await publicCatalog.publicCatalog(deps, { ...c.req.valid('query'), scope: 'catalog' }), 200));
  openapi(app, publicProjectsRoute, async (c) => c.json(await publicCatalog.publicProjects(deps, c.req.valid('query')), 200));
  openapi(app, publicDatasetRoute, async (c) => c.json(await publicCatalog.publicDataset(deps, c.req.valid('param').id), 200));
  openapi(app, dcatRoute, async (c) => {
    const page = await publicCatalog.publicCatalog(deps, { limit: 100, scope: 'catalog', cursor: c.req.valid('query').cursor });
    const response = c.json(publicCatalog.toDcat(page, deps.publicBaseUrl), 200);
    response.headers.set('content-type', 'application/ld+json');
    return response;
  });
}
