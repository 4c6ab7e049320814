/**
 * Stands in for `@fastify/busboy` in the Lambda bundles (an esbuild alias in `LAMBDA_BUNDLE_OPTIONS`).
 * The injected Request (functions/api/fetch-classes.ts) parses multipart bodies with busboy only
 * when `formData()` is called, and the API never does: it takes JSON, and dataset files go
 * straight to S3 through presigned URLs. Leaving busboy out saves 27 KB and about 3 ms of every
 * cold start (BENCHMARKS.md).
 */
export class Busboy {
  constructor() {
    throw new Error('The API does not parse multipart bodies');
  }
}
