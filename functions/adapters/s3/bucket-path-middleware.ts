import type { S3Client } from '@aws-sdk/client-s3';

const MIDDLEWARE_NAME = 'accordLocalS3BucketPath';

// Exactly one path segment followed by a slash: a bucket-level request such as CreateBucket,
// PutBucketCors or ListObjectsV2. Object keys (`/bucket/key`, even `/bucket/dir/`) never match.
const BUCKET_LEVEL_PATH = /^\/[^/]+\/$/;

/**
 * Makes an S3 client work against the local S3 server (s3rver). Register it only when
 * S3_ENDPOINT is set; real S3 needs nothing of the sort.
 *
 * With `forcePathStyle: true` the SDK sends bucket-level requests to `/bucket/`, and signs that
 * path. s3rver routes `/bucket/` fine but recomputes the signature over `/bucket`, so every such
 * request fails with SignatureDoesNotMatch. Dropping the slash before signing makes both agree;
 * S3 itself treats the two paths alike. Idempotent: registering twice is harmless.
 */
export function addLocalS3Middleware(client: S3Client): void {
  // The stack throws on a duplicate name, and tests build clients from shared helpers.
  client.middlewareStack.remove(MIDDLEWARE_NAME);
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request;
      if (hasPath(request) && BUCKET_LEVEL_PATH.test(request.path)) {
        request.path = request.path.slice(0, -1);
      }
      return next(args);
    },
    // The build step runs after serialisation has fixed the path and before finalizeRequest signs it.
    { step: 'build', name: MIDDLEWARE_NAME, override: true },
  );
}

function hasPath(request: unknown): request is { path: string } {
  return typeof request === 'object' && request !== null && typeof (request as { path?: unknown }).path === 'string';
}
