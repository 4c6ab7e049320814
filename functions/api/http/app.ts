import { Hono } from 'hono/quick';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { PayloadTooLargeError } from '../../../shared/errors';
import { LIMITS } from '../../../shared/schemas/limits';
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
  // Every body, on every route, before anything parses it: 413 above the documented limit.
  app.use(
    bodyLimit({
      maxSize: LIMITS.bodyBytes,
      onError: () => {
        throw new PayloadTooLargeError(`A request body may take at most ${LIMITS.bodyBytes} bytes`, { limitBytes: LIMITS.bodyBytes });
      },
    }),
  );
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  return app;
}
