import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import * as agreementRoutes from '../agreements/routes';
import * as auditRoutes from '../audit/routes';
import * as catalogRoutes from '../catalog/routes';
import * as grantRoutes from '../grants/routes';
import * as identityRoutes from '../identity/routes';
import * as notificationRoutes from '../notifications/routes';
import * as proposalRoutes from '../proposals/routes';
import * as publicRoutes from '../public/routes';

const isRoute = (value: unknown): value is RouteConfig =>
  typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'responses' in value;

/** Every route definition of every bounded context: the same objects the routes validate with. */
export const ALL_ROUTES: RouteConfig[] = [
  identityRoutes,
  agreementRoutes,
  catalogRoutes,
  proposalRoutes,
  grantRoutes,
  auditRoutes,
  notificationRoutes,
  publicRoutes,
].flatMap((module) =>
  Object.values(module).filter(isRoute),
);

/** The OpenAPI 3.1 document, generated from the zod schemas the API validates with. */
export function openApiDocument() {
  const app = new OpenAPIHono();
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of ALL_ROUTES) app.openAPIRegistry.registerPath(route);
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Accord API',
      version: '1',
      description:
        'A common data agreement consortium. Errors are `{ "error": { "code", "message", "details" } }`. ' +
        'Creating POSTs accept `Idempotency-Key`; edits need `If-Match`.',
    },
  });
}
