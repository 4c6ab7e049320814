import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { Hono } from 'hono';
import { DOCS_STYLE_HASH } from '../api/docs/docs-page';
import type { AppEnv } from '../api/http/env';
import { webAppCsp } from '../api/http/security-headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * Builds the web app (esbuild, a second or so) and serves it at `/` beside the API: the same
 * origin, so the browser needs no CORS for the API. Unknown paths get index.html (client routing).
 */
export async function mountWebApp(app: Hono<AppEnv>, options: { build?: boolean; connect?: readonly string[] } = {}): Promise<void> {
  // The pages' policy: the app's own files, plus direct uploads to the S3 server (`connect`).
  const csp = { 'Content-Security-Policy': webAppCsp({ connect: options.connect, styleHashes: [DOCS_STYLE_HASH] }) };
  const root = resolve('web');
  const dist = join(root, 'dist');
  if (options.build !== false && existsSync(join(root, 'build.ts'))) {
    const { buildWeb } = (await import('../../web/build')) as { buildWeb: (o: { outdir: string; minify: boolean }) => Promise<void> };
    await buildWeb({ outdir: dist, minify: false });
  }
  const index = join(dist, 'index.html');
  app.get('*', (c) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      // A malformed percent-escape (`/%E0%A4%A`) names no file and no route.
      return c.notFound();
    }
    const path = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
    // API paths keep their JSON 404; only the app's own paths fall back to index.html.
    if (path.startsWith('/v1/') || path.startsWith('/local/')) return c.notFound();
    const file = join(dist, path);
    if (file.startsWith(dist) && existsSync(file) && extname(file)) {
      return c.body(readFileSync(file), 200, { ...csp, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    }
    if (!existsSync(index)) return c.text('The web app is not built yet (npm run build:web).', 503);
    return c.html(readFileSync(index, 'utf8'), 200, csp);
  });
}
