import type { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { webAppCsp } from '../http/security-headers';
import { DOCS_STYLE_HASH, renderDocsPage } from './docs-page';
import { openApiDocument } from './openapi-document';

/**
 * `GET /v1/openapi.json` and the readable `/docs` page, on the local server. Deployed, the web
 * build writes both as static files (web/build.ts) and CloudFront serves them: no Lambda has to
 * carry the OpenAPI generator.
 */
export function registerDocsRoutes(app: Hono<AppEnv>): void {
  let cached: { json: ReturnType<typeof openApiDocument>; html: string } | undefined;
  const docs = () => {
    if (!cached) {
      const json = openApiDocument();
      cached = { json, html: renderDocsPage(json) };
    }
    return cached;
  };
  app.get('/v1/openapi.json', (c) => c.json(docs().json));
  app.get('/docs', (c) => c.html(docs().html, 200, { 'Content-Security-Policy': webAppCsp({ styleHashes: [DOCS_STYLE_HASH] }) }));
}
