import type { Hono, MiddlewareHandler } from 'hono';
import { pageOf } from '../../../shared/schemas/common';
import { AuditEventSchema, AuditQuerySchema, ChainVerificationSchema } from '../../../shared/schemas/audit';
import type { AppEnv } from '../http/env';
import { bearer, defineRoute, errorResponses, jsonResponse, openapi } from '../http/openapi';
import * as audit from './service';

const tags = ['audit'];
const { 400: e400, 401: e401, 403: e403 } = errorResponses;

export const listAuditRoute = defineRoute({
  method: 'get', path: '/v1/audit', tags, security: bearer,
  summary: 'Audit events, newest first: admins all; providers those on their datasets; members their organisation\'s. Filter by entity and time',
  request: { query: AuditQuerySchema },
  responses: { 200: jsonResponse(pageOf(AuditEventSchema), 'A page of events'), 400: e400, 401: e401, 403: e403 },
});

export const verifyAuditRoute = defineRoute({
  method: 'get', path: '/v1/audit/verify', tags, security: bearer,
  summary: 'Recompute the hash chain and name the first broken link (consortium admins)',
  responses: { 200: jsonResponse(ChainVerificationSchema, 'The verification'), 401: e401, 403: e403 },
});

/** The hash-chained audit trail. */
export function registerAuditRoutes(app: Hono<AppEnv>, deps: audit.AuditDeps, auth: MiddlewareHandler<AppEnv>): void {
  app.use('/v1/audit', auth);
  app.use('/v1/audit/*', auth);
  openapi(app, verifyAuditRoute, async (c) => c.json(await audit.verifyAudit(deps, c.get('caller')), 200));
  openapi(app, listAuditRoute, async (c) => c.json(await audit.listAudit(deps, c.get('caller'), c.req.valid('query')), 200));
}
