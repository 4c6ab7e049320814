import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../web/build';

let outdir: string;

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'accord-web-build-'));
  await buildWeb({ outdir, minify: true });
}, 60_000);

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('the web build', () => {
  it('writes an index.html that loads a hashed script and stylesheet that exist', () => {
    const html = readFileSync(join(outdir, 'index.html'), 'utf8');
    const script = /<script type="module" src="\/(assets\/app-[A-Z0-9]+\.js)">/.exec(html)?.[1];
    const style = /<link rel="stylesheet" href="\/(assets\/styles-[A-Z0-9]+\.css)">/.exec(html)?.[1];
    expect(script && existsSync(join(outdir, script))).toBe(true);
    expect(style && existsSync(join(outdir, style))).toBe(true);
  });

  it('loads nothing from another origin: no CDN, no web font', () => {
    const html = readFileSync(join(outdir, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const style = /href="\/(assets\/styles-[A-Z0-9]+\.css)"/.exec(html)![1]!;
    expect(readFileSync(join(outdir, style), 'utf8')).not.toMatch(/@import|@font-face|url\(https?:/);
  });

  it('writes the API reference as static files for the deployed site', () => {
    const document = JSON.parse(readFileSync(join(outdir, 'v1/openapi.json'), 'utf8')) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/me', '/v1/datasets', '/v1/proposals/{id}/reviews']));
    expect(readFileSync(join(outdir, 'docs/index.html'), 'utf8')).toContain('<h1>Accord API');
  });

  it('minifies for deployment, without source maps or React’s development build', () => {
    const html = readFileSync(join(outdir, 'index.html'), 'utf8');
    const script = readFileSync(join(outdir, /src="\/(assets\/[^"]+\.js)"/.exec(html)![1]!), 'utf8');
    expect(script).not.toContain('sourceMappingURL');
    expect(script).not.toContain('react-dom.development');
  });
});
