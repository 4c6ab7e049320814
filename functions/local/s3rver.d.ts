// @20minutes/s3rver ships no types; this covers only what s3-server.ts uses.
declare module '@20minutes/s3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverBucketConfig {
    readonly name: string;
    /** XML documents: CORSConfiguration or WebsiteConfiguration. */
    readonly configs?: readonly (string | Buffer)[];
  }

  interface S3rverOptions {
    readonly address?: string;
    readonly port?: number;
    readonly silent?: boolean;
    readonly directory?: string;
    readonly resetOnClose?: boolean;
    readonly allowMismatchedSignatures?: boolean;
    readonly vhostBuckets?: boolean;
    readonly configureBuckets?: readonly S3rverBucketConfig[];
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    readonly logger: { close(): void; exceptions: { unhandle(): void } };
    configureBuckets(): Promise<unknown>;
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }

  export default S3rver;
}
