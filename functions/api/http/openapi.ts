import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { zValidator } from '@hono/zod-validator';
import type { Hono, MiddlewareHandler } from 'hono';
import type * as z from 'zod';
import { ErrorResponseSchema } from '../../../shared/schemas/common';
import type { AppEnv } from './env';
import { validationErrorFrom } from './error-handler';

/**
 * Routes are declared once, as OpenAPI route configs (the @hono/zod-openapi shape). At run time a
 * Lambda only needs Hono and zod to validate them: `openapi()` below. The OpenAPI document is
 * generated from the same configs by functions/api/docs, outside the Lambda bundles, because the
 * generator pulls in all of zod (≈450 KB) where validation needs ≈100 KB.
 */
export const defineRoute = <R extends RouteConfig>(route: R): R => route;

const failValidation = (result: { success: boolean; error?: unknown }, target: string) => {
  if (!result.success) throw validationErrorFrom(result.error as z.ZodError, target);
};

const TARGETS = [
  ['params', 'param'],
  ['query', 'query'],
  ['headers', 'header'],
] as const;

const isJson = (contentType: string | undefined) => /^application\/([a-z-.]+\+)?json(;|$)/i.test(contentType ?? '');

/** Registers a route's handler behind validators built from its config. */
export function openapi<R extends RouteConfig>(app: Hono<AppEnv>, route: R, handler: RouteHandler<R, AppEnv>): void {
  const validators: MiddlewareHandler<AppEnv>[] = [];
  for (const [key, target] of TARGETS) {
    const schema = route.request?.[key] as z.ZodType | undefined;
    if (schema) validators.push(zValidator(target, schema, (r) => failValidation(r, target)) as MiddlewareHandler<AppEnv>);
  }
  const body = route.request?.body;
  const bodySchema = (body?.content?.['application/json'] as { schema?: z.ZodType } | undefined)?.schema;
  if (bodySchema) {
    const validate = zValidator('json', bodySchema, (r) => failValidation(r, 'json')) as MiddlewareHandler<AppEnv>;
    // An optional body may be left out entirely; a required one must be JSON.
    validators.push(body?.required ? validate : async (c, next) => (isJson(c.req.header('content-type')) ? validate(c, next) : next()));
  }
  const path = route.path.replace(/\{([^}]+)\}/g, ':$1');
  app.on([route.method.toUpperCase()], [path], ...validators, handler as unknown as MiddlewareHandler<AppEnv>);
}

/** Small builders so route definitions read as the contract, not as OpenAPI plumbing. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

const error = (description: string) => jsonResponse(ErrorResponseSchema, description);

export const errorResponses = {
  400: error('Invalid input; `details.field` names the field'),
  401: error('No token, or a token that failed verification'),
  403: error('Known caller without the right'),
  404: error('Unknown, or not visible to the caller'),
  409: error('State conflict or a lost race'),
  412: error('Stale If-Match revision'),
  429: error('Throttled'),
} as const;

export const bearer = [{ bearerAuth: [] }];
