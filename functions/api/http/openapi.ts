import { zValidator } from '@hono/zod-validator';
import type { Context, Hono, MiddlewareHandler, TypedResponse } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type * as z from 'zod/mini';
import { ErrorResponseSchema } from '../../../shared/schemas/common';
import type { AppEnv } from './env';
import { validationErrorFrom } from './error-handler';

type Schema = z.ZodMiniType;
type Content = Record<string, { schema: Schema }>;

/**
 * A route as the OpenAPI contract states it (the @hono/zod-openapi shape, with zod/mini schemas).
 * At run time a Lambda only needs Hono and zod/mini to validate it: `openapi()` below. The OpenAPI
 * document is generated from the same configs by functions/api/docs, outside the Lambda bundles.
 * zod/mini, not classic zod: classic builds every schema with its chainable methods, which cost
 * about half of a function's import (BENCHMARKS.md).
 */
export interface RouteConfig {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly path: string;
  readonly tags?: string[];
  readonly summary?: string;
  readonly description?: string;
  readonly security?: Record<string, string[]>[];
  readonly request?: {
    readonly params?: Schema;
    readonly query?: Schema;
    readonly headers?: Schema;
    readonly body?: { readonly required?: boolean; readonly content: Content };
  };
  readonly responses: Record<number, { readonly description: string; readonly content?: Content }>;
}

type RequestParts<R extends RouteConfig> = NonNullable<R['request']>;
type Part<R extends RouteConfig, K extends 'params' | 'query' | 'headers'> = RequestParts<R>[K];
type JsonBody<R extends RouteConfig> = RequestParts<R>['body'] extends { content: { 'application/json': { schema: infer S } } } ? S : undefined;
type Output<S> = S extends Schema ? z.output<S> : never;
type Input<S> = S extends Schema ? z.input<S> : never;

/** What `c.req.valid(target)` returns in a route's handler: each part as its schema parsed it. */
type RouteInput<R extends RouteConfig> = {
  in: { param: Input<Part<R, 'params'>>; query: Input<Part<R, 'query'>>; header: Input<Part<R, 'headers'>>; json: Input<JsonBody<R>> };
  out: { param: Output<Part<R, 'params'>>; query: Output<Part<R, 'query'>>; header: Output<Part<R, 'headers'>>; json: Output<JsonBody<R>> };
};

/** A JSON response the route declares (`application/json` or another JSON type): its status and its schema's output. */
type DeclaredResponse<R extends RouteConfig> = {
  [K in keyof R['responses'] & number]: R['responses'][K] extends { content: infer C }
    ? C[keyof C] extends { schema: infer S }
      ? TypedResponse<JSONParsed<Output<S>>, K & StatusCode, 'json'>
      : never
    : never;
}[keyof R['responses'] & number];

/** A route's handler: it may only answer with a status and a body the route declares. */
export type RouteHandler<R extends RouteConfig, E extends AppEnv = AppEnv> = (
  c: Context<E, string, RouteInput<R>>,
) => DeclaredResponse<R> | Promise<DeclaredResponse<R>>;

export const defineRoute = <const R extends RouteConfig>(route: R): R => route;

const failValidation = (result: { success: boolean; error?: unknown }, target: string) => {
  if (!result.success) throw validationErrorFrom(result.error as z.core.$ZodError, target);
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
    const schema = route.request?.[key];
    if (schema) validators.push(zValidator(target, schema, (r) => failValidation(r, target)) as MiddlewareHandler<AppEnv>);
  }
  const body = route.request?.body;
  const bodySchema = body?.content['application/json']?.schema;
  if (bodySchema) {
    const validate = zValidator('json', bodySchema, (r) => failValidation(r, 'json')) as MiddlewareHandler<AppEnv>;
    // An optional body may be left out entirely; a required one must be JSON.
    validators.push(body?.required ? validate : async (c, next) => (isJson(c.req.header('content-type')) ? validate(c, next) : next()));
  }
  const path = route.path.replace(/\{([^}]+)\}/g, ':$1');
  app.on([route.method.toUpperCase()], [path], ...validators, handler as unknown as MiddlewareHandler<AppEnv>);
}

/** Small builders so route definitions read as the contract, not as OpenAPI plumbing. */
export const jsonResponse = <T extends Schema>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends Schema>(schema: T) => ({
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
