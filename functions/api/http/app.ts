import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { errorBody, handleError, validationErrorFrom } from './error-handler';
import type { AppEnv } from './env';

/**
 * A Hono app with the API's conventions: request ids, zod validation failures as 400s naming
 * the field, one error shape, JSON 404s. Every bounded context registers its routes on one.
 */
export function createApiApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationErrorFrom(result.error, result.target);
    },
  });
  app.use(requestId({ headerName: 'x-request-id' }));
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  return app;
}
