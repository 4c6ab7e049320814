import type { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import type { IdempotencyStore } from '../../../shared/ports';
import * as z from '../../../shared/schemas/zod';
import {
  AgreementVersionListSchema,
  AgreementVersionSchema,
  PublishAgreementVersionRequestSchema,
  SignAgreementRequestSchema,
  SignatureSchema,
} from '../../../shared/schemas/agreement';
import { PageQuerySchema, pageOf } from '../../../shared/schemas/common';
import type { AppEnv } from '../http/env';
import { idempotent } from '../http/idempotency';
import { bearer, defineRoute, errorResponses, jsonBody, jsonResponse, openapi } from '../http/openapi';
import * as agreement from './service';

const tags = ['agreement'];
const VersionParams = z.strictObject({ version: z.pipe(z.string().check(z.regex(/^[1-9][0-9]{0,5}$/, 'a version number')), z.transform(Number)) });

export const currentAgreementRoute = defineRoute({
  method: 'get', path: '/v1/agreement', tags, security: bearer,
  summary: 'The current version of the common data agreement',
  responses: { 200: jsonResponse(AgreementVersionSchema, 'The current version'), 401: errorResponses[401], 404: errorResponses[404] },
});

export const publishAgreementRoute = defineRoute({
  method: 'post', path: '/v1/agreement/versions', tags, security: bearer,
  summary: 'Publish a new agreement version (consortium admins)',
  request: { body: jsonBody(PublishAgreementVersionRequestSchema) },
  responses: {
    201: jsonResponse(AgreementVersionSchema, 'The new version'),
    400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 409: errorResponses[409],
  },
});

export const listAgreementVersionsRoute = defineRoute({
  method: 'get', path: '/v1/agreement/versions', tags, security: bearer,
  summary: 'Every published version of the agreement, newest first (without their texts)',
  responses: { 200: jsonResponse(AgreementVersionListSchema, 'The versions'), 401: errorResponses[401] },
});

export const agreementVersionRoute = defineRoute({
  method: 'get', path: '/v1/agreement/versions/{version}', tags, security: bearer,
  summary: 'One published version of the agreement, past or current',
  request: { params: VersionParams },
  responses: { 200: jsonResponse(AgreementVersionSchema, 'The version'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});

export const signAgreementRoute = defineRoute({
  method: 'post', path: '/v1/agreement/signatures', tags, security: bearer,
  summary: 'Sign the current version for your organisation (org-admins)',
  request: { body: jsonBody(SignAgreementRequestSchema) },
  responses: {
    201: jsonResponse(SignatureSchema, 'The signature'),
    400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 409: errorResponses[409],
  },
});

export const listSignaturesRoute = defineRoute({
  method: 'get', path: '/v1/agreement/signatures', tags, security: bearer,
  summary: 'Which organisation signed which version (consortium admins)',
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse(pageOf(SignatureSchema), 'Signatures, newest version first'), 401: errorResponses[401], 403: errorResponses[403] },
});

/** The common data agreement: versions and signatures. */
export function registerAgreementRoutes(
  app: Hono<AppEnv>,
  deps: agreement.AgreementDeps & { readonly idempotency: IdempotencyStore },
  auth: MiddlewareHandler<AppEnv>,
): void {
  app.use('/v1/agreement', auth);
  app.use('/v1/agreement/*', auth);
  app.post('/v1/agreement/*', idempotent(deps.idempotency, deps.clock));

  openapi(app, currentAgreementRoute, async (c) => c.json(await agreement.currentAgreement(deps), 200));
  openapi(app, publishAgreementRoute, async (c) =>
    c.json(await agreement.publishAgreementVersion(deps, c.get('caller'), c.req.valid('json')), 201),
  );
  openapi(app, listAgreementVersionsRoute, async (c) => c.json(await agreement.agreementVersions(deps), 200));
  openapi(app, agreementVersionRoute, async (c) => c.json(await agreement.agreementVersion(deps, c.req.valid('param').version), 200));
  openapi(app, signAgreementRoute, async (c) =>
    c.json(await agreement.signAgreement(deps, c.get('caller'), c.req.valid('json')), 201),
  );
  openapi(app, listSignaturesRoute, async (c) =>
    c.json(await agreement.listSignatures(deps, c.get('caller'), c.req.valid('query')), 200),
  );
}
