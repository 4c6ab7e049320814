import type { Hono, MiddlewareHandler } from 'hono';
import * as z from '../../../shared/schemas/zod';
import type { IdempotencyStore } from '../../../shared/ports';
import { IdSchema, pageOf } from '../../../shared/schemas/common';
import {
  ClosureRequestSchema,
  DownloadRequestSchema,
  DownloadResponseSchema,
  GrantFilesSchema,
  GrantQuerySchema,
  GrantSchema,
  RenewalRequestSchema,
  RenewalReviewRequestSchema,
  RevokeRequestSchema,
  SetTeamRequestSchema,
} from '../../../shared/schemas/grant';
import type { AppEnv } from '../http/env';
import { idempotent } from '../http/idempotency';
import { bearer, defineRoute, errorResponses, jsonBody, jsonResponse, openapi } from '../http/openapi';
import * as grants from './service';
import { setGrantTeam, type TeamDeps } from './team';

const tags = ['grants'];
const Params = z.strictObject({ id: IdSchema });
const RenewalParams = z.strictObject({ id: IdSchema, renewalId: IdSchema });
const { 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 } = errorResponses;

export const listGrantsRoute = defineRoute({
  method: 'get', path: '/v1/grants', tags, security: bearer,
  summary: 'Grants: members those held by their organisation, providers those on their datasets, admins all',
  request: { query: GrantQuerySchema },
  responses: { 200: jsonResponse(pageOf(GrantSchema), 'A page of grants'), 400: e400, 401: e401, 403: e403 },
});

export const getGrantRoute = defineRoute({
  method: 'get', path: '/v1/grants/{id}', tags, security: bearer,
  summary: 'A grant; its state is computed from its end date on every read',
  request: { params: Params },
  responses: { 200: jsonResponse(GrantSchema, 'The grant'), 401: e401, 404: e404 },
});

export const grantFilesRoute = defineRoute({
  method: 'get', path: '/v1/grants/{id}/files', tags, security: bearer,
  summary: 'The files the grant covers: names, sizes, sha256 of the granted version',
  request: { params: Params },
  responses: { 200: jsonResponse(GrantFilesSchema, 'The files'), 401: e401, 404: e404 },
});

export const mintDownloadRoute = defineRoute({
  method: 'post', path: '/v1/grants/{id}/downloads', tags, security: bearer,
  summary: 'A presigned download URL for one file, living at most 5 minutes and never past the grant\'s end (the grantee\'s team)',
  request: { params: Params, body: jsonBody(DownloadRequestSchema) },
  responses: { 201: jsonResponse(DownloadResponseSchema, 'The URL'), 400: e400, 401: e401, 403: e403, 404: e404 },
});

export const revokeGrantRoute = defineRoute({
  method: 'post', path: '/v1/grants/{id}/revoke', tags, security: bearer,
  summary: 'Revoke at once, with a reason the grantee reads (consortium admins, the dataset\'s provider)',
  request: { params: Params, body: jsonBody(RevokeRequestSchema) },
  responses: { 200: jsonResponse(GrantSchema, 'The revoked grant'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const setGrantTeamRoute = defineRoute({
  method: 'put', path: '/v1/grants/{id}/team', tags, security: bearer,
  summary: 'Replace the project team of a running grant with members of the grantee organisation (its org-admins); 400 names outsiders. Providers see that it changed, never the names',
  request: { params: Params, body: jsonBody(SetTeamRequestSchema) },
  responses: { 200: jsonResponse(GrantSchema, 'The grant with its new team'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const closeGrantRoute = defineRoute({
  method: 'post', path: '/v1/grants/{id}/closure', tags, security: bearer,
  summary: 'Close an ended or revoked grant: deletion attestation and/or outcome report (the grantee)',
  request: { params: Params, body: jsonBody(ClosureRequestSchema) },
  responses: { 200: jsonResponse(GrantSchema, 'The grant'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const requestRenewalRoute = defineRoute({
  method: 'post', path: '/v1/grants/{id}/renewals', tags, security: bearer,
  summary: 'Ask for a later end date, with a reason; goes back through review (the grantee)',
  request: { params: Params, body: jsonBody(RenewalRequestSchema) },
  responses: { 201: jsonResponse(GrantSchema, 'The grant with its pending renewal'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const reviewRenewalRoute = defineRoute({
  method: 'post', path: '/v1/grants/{id}/renewals/{renewalId}/reviews', tags, security: bearer,
  summary: 'Admins approve or refuse a renewal; the provider consents or declines where its dataset requires consent',
  request: { params: RenewalParams, body: jsonBody(RenewalReviewRequestSchema) },
  responses: { 200: jsonResponse(GrantSchema, 'The grant'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

/** Time-limited access grants: files, downloads, revocation, renewal, closure. */
export function registerGrantRoutes(
  app: Hono<AppEnv>,
  deps: grants.GrantDeps & TeamDeps & { readonly idempotency: IdempotencyStore },
  auth: MiddlewareHandler<AppEnv>,
): void {
  app.use('/v1/grants', auth);
  app.use('/v1/grants/*', auth);
  app.post('/v1/grants/:id/renewals', idempotent(deps.idempotency, deps.clock));

  openapi(app, listGrantsRoute, async (c) => c.json(await grants.listGrants(deps, c.get('caller'), c.req.valid('query')), 200));
  openapi(app, getGrantRoute, async (c) => c.json(await grants.getGrant(deps, c.get('caller'), c.req.valid('param').id), 200));
  openapi(app, grantFilesRoute, async (c) => c.json(await grants.grantFiles(deps, c.get('caller'), c.req.valid('param').id), 200));
  openapi(app, mintDownloadRoute, async (c) => {
    const download = await grants.mintDownload(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json').fileId);
    // A signed URL must not be cached by anything between us and the caller.
    c.header('Cache-Control', 'no-store');
    return c.json(download, 201);
  });
  openapi(app, revokeGrantRoute, async (c) =>
    c.json(await grants.revokeGrant(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json').reason), 200),
  );
  openapi(app, setGrantTeamRoute, async (c) => c.json(await setGrantTeam(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json')), 200));
  openapi(app, closeGrantRoute, async (c) => c.json(await grants.closeGrant(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json')), 200));
  openapi(app, requestRenewalRoute, async (c) =>
    c.json(await grants.requestRenewal(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  openapi(app, reviewRenewalRoute, async (c) => {
    const { id, renewalId } = c.req.valid('param');
    return c.json(await grants.reviewRenewal(deps, c.get('caller'), id, renewalId, c.req.valid('json')), 200);
  });
}
