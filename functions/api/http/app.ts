import { Hono } from 'hono/quick';
import { requestId } from 'hono/request-id';
import { errorBody, handleError } from './error-handler';
import type { AppEnv } from './env';
import { securityHeaders } from './security-headers';

/**
 * A Hono app with the API's conventions: request ids, security headers, one error shape, JSON 404s. Every bounded
 * context registers its routes on one. `hono/quick` is Hono's preset for code that starts cold
 * often: its router matches the few routes of a function without compiling them first, which
 * saves each Lambda's first request about 2 ms (BENCHMARKS.md).
 */
export function createApiApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId({ headerName: 'x-request-id' }));
  app.use(securityHeaders());
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  return app;
}
