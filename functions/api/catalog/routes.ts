import type { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import * as z from '../../../shared/schemas/zod';
import type { IdempotencyStore } from '../../../shared/ports';
import { IdSchema, pageOf } from '../../../shared/schemas/common';
import {
  CatalogQuerySchema,
  CompleteUploadRequestSchema,
  CreateDatasetRequestSchema,
  DatasetFileSchema,
  DatasetSchema,
  PublishVersionResponseSchema,
  RetireDatasetRequestSchema,
  SampleListSchema,
  StartUploadRequestSchema,
  StartUploadResponseSchema,
  UpdateDatasetRequestSchema,
  UpdateFileRequestSchema,
} from '../../../shared/schemas/dataset';
import type { AppEnv } from '../http/env';
import { idempotent } from '../http/idempotency';
import { etag, revisionFromIfMatch } from '../http/if-match';
import { bearer, defineRoute, errorResponses, jsonBody, jsonResponse, openapi } from '../http/openapi';
import * as catalog from './service';

const tags = ['catalog'];
const DatasetParams = z.strictObject({ id: IdSchema });
const FileParams = z.strictObject({ id: IdSchema, fileId: IdSchema });
const IfMatchHeader = z.object({ 'if-match': z.optional(z.string()) });
const { 400: e400, 401: e401, 403: e403, 404: e404, 409: e409, 412: e412 } = errorResponses;

export const listDatasetsRoute = defineRoute({
  method: 'get', path: '/v1/datasets', tags, security: bearer,
  summary: 'The catalog of published datasets (or, with scope=mine, your own in every state)',
  request: { query: CatalogQuerySchema },
  responses: { 200: jsonResponse(pageOf(DatasetSchema), 'A page of datasets'), 400: e400, 401: e401 },
});

export const createDatasetRoute = defineRoute({
  method: 'post', path: '/v1/datasets', tags, security: bearer,
  summary: 'Create a draft dataset (providers that signed the agreement)',
  request: { body: jsonBody(CreateDatasetRequestSchema) },
  responses: { 201: jsonResponse(DatasetSchema, 'The draft'), 400: e400, 401: e401, 403: e403 },
});

export const getDatasetRoute = defineRoute({
  method: 'get', path: '/v1/datasets/{id}', tags, security: bearer,
  summary: 'A dataset; drafts only for their provider',
  request: { params: DatasetParams },
  responses: { 200: jsonResponse(DatasetSchema, 'The dataset; ETag carries its revision'), 401: e401, 404: e404 },
});

export const updateDatasetRoute = defineRoute({
  method: 'patch', path: '/v1/datasets/{id}', tags, security: bearer,
  summary: 'Edit a dataset\'s metadata; If-Match with the revision you read is required',
  request: { params: DatasetParams, headers: IfMatchHeader, body: jsonBody(UpdateDatasetRequestSchema) },
  responses: { 200: jsonResponse(DatasetSchema, 'The dataset'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409, 412: e412 },
});

export const startUploadRoute = defineRoute({
  method: 'post', path: '/v1/datasets/{id}/uploads', tags, security: bearer,
  summary: 'Start uploading a file into the draft version: presigned PUT URL(s)',
  request: { params: DatasetParams, body: jsonBody(StartUploadRequestSchema) },
  responses: { 201: jsonResponse(StartUploadResponseSchema, 'Where to PUT the bytes'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const completeUploadRoute = defineRoute({
  method: 'post', path: '/v1/datasets/{id}/uploads/{fileId}/complete', tags, security: bearer,
  summary: 'Finish an upload: the declared size must have arrived; the file is then verified (copied, hashed) in the background, `verifying` until `ready` or `rejected`',
  request: { params: FileParams, body: jsonBody(CompleteUploadRequestSchema) },
  responses: { 202: jsonResponse(DatasetFileSchema, 'The file, verifying'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const updateFileRoute = defineRoute({
  method: 'patch', path: '/v1/datasets/{id}/files/{fileId}', tags, security: bearer,
  summary: 'Mark or unmark a file as a sample',
  request: { params: FileParams, body: jsonBody(UpdateFileRequestSchema) },
  responses: { 200: jsonResponse(DatasetFileSchema, 'The file'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const removeFileRoute = defineRoute({
  method: 'delete', path: '/v1/datasets/{id}/files/{fileId}', tags, security: bearer,
  summary: 'Remove a file from the unpublished draft version (e.g. a rejected one, to upload it again)',
  request: { params: FileParams },
  responses: { 200: jsonResponse(DatasetSchema, 'The dataset without the file'), 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const publishVersionRoute = defineRoute({
  method: 'post', path: '/v1/datasets/{id}/versions', tags, security: bearer,
  summary: 'Publish the draft version, freezing its file list; every file must be ready (409 `files_not_ready` names the others)',
  request: { params: DatasetParams },
  responses: { 201: jsonResponse(PublishVersionResponseSchema, 'The published version'), 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const samplesRoute = defineRoute({
  method: 'get', path: '/v1/datasets/{id}/samples', tags, security: bearer,
  summary: 'Short-lived download links to sample files (organisations that signed the agreement)',
  request: { params: DatasetParams },
  responses: { 200: jsonResponse(SampleListSchema, 'Sample links'), 401: e401, 403: e403, 404: e404 },
});

export const retireDatasetRoute = defineRoute({
  method: 'post', path: '/v1/datasets/{id}/retire', tags, security: bearer,
  summary: 'Retire a dataset (its provider or a consortium admin)',
  request: { params: DatasetParams, body: jsonBody(RetireDatasetRequestSchema) },
  responses: { 200: jsonResponse(DatasetSchema, 'The retired dataset'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

/** The dataset catalog: listing, metadata, files, versions, samples. */
export function registerCatalogRoutes(
  app: Hono<AppEnv>,
  deps: catalog.CatalogDeps & { readonly idempotency: IdempotencyStore },
  auth: MiddlewareHandler<AppEnv>,
): void {
  app.use('/v1/datasets', auth);
  app.use('/v1/datasets/*', auth);
  const once = idempotent(deps.idempotency, deps.clock);
  app.post('/v1/datasets', once);
  app.post('/v1/datasets/:id/uploads', once);

  openapi(app, listDatasetsRoute, async (c) => c.json(await catalog.listDatasets(deps, c.get('caller'), c.req.valid('query')), 200));
  openapi(app, createDatasetRoute, async (c) => {
    const dataset = await catalog.createDataset(deps, c.get('caller'), c.req.valid('json'));
    c.header('ETag', etag(dataset.revision));
    return c.json(dataset, 201);
  });
  openapi(app, getDatasetRoute, async (c) => {
    const dataset = await catalog.getDataset(deps, c.get('caller'), c.req.valid('param').id);
    c.header('ETag', etag(dataset.revision));
    return c.json(dataset, 200);
  });
  openapi(app, updateDatasetRoute, async (c) => {
    const revision = revisionFromIfMatch(c.req.valid('header')['if-match']);
    const dataset = await catalog.updateDataset(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json'), revision);
    c.header('ETag', etag(dataset.revision));
    return c.json(dataset, 200);
  });
  openapi(app, startUploadRoute, async (c) =>
    c.json(await catalog.startUpload(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  openapi(app, completeUploadRoute, async (c) => {
    const { id, fileId } = c.req.valid('param');
    return c.json(await catalog.completeUpload(deps, c.get('caller'), id, fileId, c.req.valid('json')), 202);
  });
  openapi(app, removeFileRoute, async (c) => {
    const { id, fileId } = c.req.valid('param');
    const dataset = await catalog.removeFile(deps, c.get('caller'), id, fileId);
    c.header('ETag', etag(dataset.revision));
    return c.json(dataset, 200);
  });
  openapi(app, updateFileRoute, async (c) => {
    const { id, fileId } = c.req.valid('param');
    return c.json(await catalog.setSample(deps, c.get('caller'), id, fileId, c.req.valid('json').sample), 200);
  });
  openapi(app, publishVersionRoute, async (c) =>
    c.json(await catalog.publishVersion(deps, c.get('caller'), c.req.valid('param').id), 201),
  );
  openapi(app, samplesRoute, async (c) => c.json(await catalog.sampleLinks(deps, c.get('caller'), c.req.valid('param').id), 200));
  openapi(app, retireDatasetRoute, async (c) =>
    c.json(await catalog.retireDataset(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json').reason), 200),
  );
}
