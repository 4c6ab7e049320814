/**
 * Injected into every Lambda bundle by esbuild (`inject` in `LAMBDA_BUNDLE_OPTIONS`): the bundle's
 * free references to `Request`, `Response` and `Headers` (Hono and its Lambda adapter build one of
 * each per request) resolve to these lightweight implementations instead of Node's. Node loads
 * its own (undici, the whole fetch client) on their first use, which cost every cold start about
 * 20 ms of its first request (BENCHMARKS.md). Globals are left untouched; the local server keeps
 * Node's.
 */
export { Headers, Request, Response } from '@whatwg-node/node-fetch';
