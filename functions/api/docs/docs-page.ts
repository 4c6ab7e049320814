import { createHash } from 'node:crypto';

/** The page's one inline stylesheet; the Content-Security-Policy admits it by its hash and nothing else inline. */
export const DOCS_STYLE = `
body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}
section{border-top:1px solid #ddd;padding:.5rem 0}.method{display:inline-block;min-width:4rem;font-size:.8rem;padding:.1rem .4rem;border-radius:.25rem;background:#e8e8e8}
.get{background:#d8ecff}.post{background:#d9f5dd}.patch,.put{background:#fff1cc}pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:.8rem}
`;

/** `sha256-…` of {@link DOCS_STYLE}, the CSP source that allows exactly that stylesheet. */
export const DOCS_STYLE_HASH = `sha256-${createHash('sha256').update(DOCS_STYLE).digest('base64')}`;

type Doc = ReturnType<typeof import('./openapi-document').openApiDocument>;

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/**
 * A readable, self-contained reference page rendered from the OpenAPI document: no CDN, no
 * script, so it works offline and behind a strict CSP (its stylesheet allowed by hash).
 */
export function renderDocsPage(doc: Doc): string {
  const sections = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { summary?: string; tags?: string[]; requestBody?: unknown; responses?: Record<string, { description?: string }>; security?: unknown[] }>).map(
      ([method, op]) => {
        const body = op.requestBody
          ? `<details><summary>Request body schema</summary><pre>${escape(JSON.stringify((op.requestBody as { content?: Record<string, { schema?: unknown }> }).content?.['application/json']?.schema, null, 2))}</pre></details>`
          : '';
        const responses = Object.entries(op.responses ?? {})
          .map(([status, r]) => `<li><code>${status}</code> ${escape(r.description ?? '')}</li>`)
          .join('');
        return `<section id="${escape(method + path)}"><h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p>${escape(op.summary ?? '')}${op.security?.length ? ' <em>(bearer token)</em>' : ' <em>(no sign-in)</em>'}</p>${body}<ul>${responses}</ul></section>`;
      },
    ),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Accord API reference</title><style>${DOCS_STYLE}</style></head><body><h1>${escape(doc.info.title)}</h1><p>${escape(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a></p>${sections.join('\n')}</body></html>`;
}
