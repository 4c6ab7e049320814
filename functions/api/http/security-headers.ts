import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env';

/**
 * The security headers of every response, in one place: the API's JSON answers and, locally, the
 * web app's pages (functions/local/web-app.ts). The deployed site sends the same policies from
 * CloudFront (infra/stacks/web-stack.ts imports them from here).
 */

/** API answers are data, never a page: nothing may load, run or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The web app's pages: its own script and stylesheet only (no inline script, no eval), no
 * framing. `connect` adds origins the browser sends requests to besides its own (the dataset
 * bucket for direct uploads, the hosted UI's token endpoint); `styleHashes` admits the inline
 * stylesheet of the static API reference page by its hash, and nothing else inline.
 */
export function webAppCsp(options: { readonly connect?: readonly string[]; readonly styleHashes?: readonly string[] } = {}): string {
  const connect = ["'self'", ...(options.connect ?? [])].join(' ');
  const styles = ["'self'", ...(options.styleHashes ?? []).map((h) => `'${h}'`)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styles}`,
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Sent with every response, whatever it is. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Two years, with subdomains: sent only on responses served over HTTPS, as browsers ignore it otherwise. */
export const HSTS = 'max-age=63072000; includeSubDomains';

const servedOverHttps = (url: string, forwardedProto: string | undefined): boolean =>
  forwardedProto?.split(',')[0]?.trim() === 'https' || url.startsWith('https:');

/**
 * Adds the common headers to every response, HSTS over HTTPS, and the API's CSP to any response
 * that did not choose its own (the web app's pages set theirs).
 */
export const securityHeaders = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) headers.set(name, value);
    if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', API_CSP);
    if (servedOverHttps(c.req.url, c.req.header('x-forwarded-proto'))) headers.set('Strict-Transport-Security', HSTS);
  });
