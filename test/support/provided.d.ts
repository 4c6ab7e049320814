// What test/support/global-setup.ts hands every test file through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local, in memory, shared by all files: give each file its own table. */
    dynamoEndpoint: string;
    /** The S3 server; use `forcePathStyle`, LOCAL_S3_CREDENTIALS and addLocalS3Middleware. */
    s3Endpoint: string;
    /** A bucket that exists, with the browser CORS rule, shared by all files. */
    bucket: string;
    /** The local SMTP server (`smtp://127.0.0.1:<port>`), shared by all files: send to addresses of your own. */
    smtpUrl: string;
    /** Its web inbox; `GET /api/messages?to=<address>` returns what arrived for an address. */
    mailUrl: string;
  }
}
