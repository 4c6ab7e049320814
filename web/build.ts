import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const WEB_ROOT = dirname(fileURLToPath(import.meta.url));
const ASSETS = 'assets';

/** Options for {@link buildWeb}. */
export interface BuildWebOptions {
  /** Where the site is written (web/dist for `npm start` and deployment). */
  readonly outdir: string;
  /** Minified production bundle (deployed) or readable development bundle with React's warnings (local). */
  readonly minify: boolean;
}

/**
 * Writes a file through a temporary sibling and a rename, so that a server reading the same
 * directory (or a second build running at the same time, as parallel browser tests do) never
 * sees a half-written file.
 */
async function writeAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='6' fill='%23134e4a'/%3E%3Cpath d='M9 23l7-14 7 14' stroke='%23fff' stroke-width='3' fill='none'/%3E%3C/svg%3E";

function indexHtml(script: string, stylesheet: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Accord: a common data agreement consortium">
<title>Accord</title>
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="/${stylesheet}">
<script type="module" src="/${script}"></script>
</head>
<body>
<div id="root"></div>
<noscript><p>Accord needs JavaScript. The API reference is at <a href="/docs">/docs</a>.</p></noscript>
</body>
</html>
`;
}

/**
 * Builds the single-page app with esbuild: one JavaScript bundle and one stylesheet under
 * `assets/` with content hashes (safe to cache forever), an index.html that loads them, and the
 * API reference as static files (`v1/openapi.json`, `docs/index.html`) so that, deployed, no
 * Lambda function has to carry the OpenAPI generator.
 */
export async function buildWeb(options: BuildWebOptions): Promise<void> {
  const outdir = resolve(options.outdir);
  const result = await esbuild.build({
    entryPoints: { app: join(WEB_ROOT, 'src/main.tsx'), styles: join(WEB_ROOT, 'src/styles.css') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    minify: options.minify,
    sourcemap: options.minify ? false : 'linked',
    define: { 'process.env.NODE_ENV': JSON.stringify(options.minify ? 'production' : 'development') },
    outdir: join(outdir, ASSETS),
    entryNames: '[name]-[hash]',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });

  const written = new Set<string>();
  for (const file of result.outputFiles) {
    await writeAtomically(file.path, file.contents);
    written.add(file.path);
  }
  const outputOf = (entry: string): string => {
    const found = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint?.endsWith(entry));
    if (!found) throw new Error(`esbuild produced no output for ${entry}`);
    return relative(outdir, resolve(found[0])).split('\\').join('/');
  };
  await writeAtomically(join(outdir, 'index.html'), indexHtml(outputOf('src/main.tsx'), outputOf('src/styles.css')));

  // Imported here, not at the top: only the build needs the OpenAPI generator and the route modules.
  const [{ openApiDocument }, { renderDocsPage }] = await Promise.all([
    import('../functions/api/docs/openapi-document'),
    import('../functions/api/docs/docs-page'),
  ]);
  const document = openApiDocument();
  await writeAtomically(join(outdir, 'v1/openapi.json'), JSON.stringify(document, null, 2));
  await writeAtomically(join(outdir, 'docs/index.html'), renderDocsPage(document));

  // Older hashed assets are of no use once index.html points at the new ones.
  const assetsDir = join(outdir, ASSETS);
  for (const name of await readdir(assetsDir)) {
    const path = join(assetsDir, name);
    if (!written.has(path) && !name.endsWith('.tmp')) await rm(path, { force: true }).catch(() => undefined);
  }
}

// `npm run build:web`: the production build into web/dist.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = performance.now();
  const outdir = join(WEB_ROOT, 'dist');
  buildWeb({ outdir, minify: process.env.WEB_MINIFY !== 'false' })
    .then(async () => {
      const assets = await readdir(join(outdir, ASSETS));
      console.log(`web: built ${relative(process.cwd(), outdir) || basename(outdir)} in ${Math.round(performance.now() - started)} ms (${assets.join(', ')})`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
