import * as z from '../../../shared/schemas/zod';
import * as agreementRoutes from '../agreements/routes';
import * as auditRoutes from '../audit/routes';
import * as catalogRoutes from '../catalog/routes';
import * as grantRoutes from '../grants/routes';
import type { RouteConfig } from '../http/openapi';
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
].flatMap((module) => Object.values(module).filter(isRoute));

type JsonSchema = Record<string, unknown>;

/** A schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect): what a client sends (`input`) or receives (`output`). */
function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Path and query parameters: one per property of the route's object schema. */
function parameters(schema: z.ZodMiniType | undefined, location: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.includes(name),
    schema: property,
  }));
}

const content = (entries: Record<string, { schema: z.ZodMiniType }> | undefined, io: 'input' | 'output') =>
  entries && Object.fromEntries(Object.entries(entries).map(([type, { schema }]) => [type, { schema: jsonSchema(schema, io) }]));

function operation(route: RouteConfig) {
  const { request, responses } = route;
  const parameterList = [...parameters(request?.params, 'path'), ...parameters(request?.query, 'query'), ...parameters(request?.headers, 'header')];
  return {
    ...(route.tags ? { tags: route.tags } : {}),
    ...(route.summary ? { summary: route.summary } : {}),
    ...(route.description ? { description: route.description } : {}),
    ...(route.security ? { security: route.security } : {}),
    ...(parameterList.length ? { parameters: parameterList } : {}),
    ...(request?.body ? { requestBody: { required: request.body.required ?? false, content: content(request.body.content, 'input') } } : {}),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, response]) => [
        status,
        { description: response.description, ...(response.content ? { content: content(response.content, 'output') } : {}) },
      ]),
    ),
  };
}

/** The OpenAPI 3.1 document, generated from the zod schemas the API validates with. */
export function openApiDocument() {
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const route of ALL_ROUTES) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Accord API',
      version: '1',
      description:
        'A common data agreement consortium. Errors are `{ "error": { "code", "message", "details" } }`. ' +
        'Creating POSTs accept `Idempotency-Key`; edits need `If-Match`.',
    },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
