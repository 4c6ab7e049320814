import type { BuildOptions } from 'esbuild';

/**
 * Every Lambda function of the API, by bounded context: its entry file and the routes API
 * Gateway sends to it. The CDK app deploys exactly these; the bundle budget test and the
 * benchmarks bundle exactly these.
 */
export interface LambdaEntry {
  /** Construct id and function name suffix. */
  readonly name: string;
  /** Entry file, relative to the repository root. */
  readonly entry: string;
  /** HTTP API routes (`METHOD /path`), API Gateway syntax. */
  readonly routes: readonly string[];
  /** What the function's role may do: the CDK app grants exactly this (least privilege). */
  readonly access: LambdaAccess;
}

export interface LambdaAccess {
  readonly table: 'read' | 'readWrite';
  /**
   * Published dataset files (`datasets/*`): `read` presigns downloads; `readWrite` also writes them
   * (the verifier's server-side copy) and deletes them (a rejected or removed file's copy). Only
   * the verifier writes here: no presigned upload URL can name a published key.
   */
  readonly datasetFiles?: 'read' | 'readWrite';
  /**
   * Uploads in staging (`staging/*`): `upload` presigns PUTs and parts, completes multipart uploads
   * and checks the size that arrived; `verify` reads (to copy) and deletes them.
   */
  readonly stagingFiles?: 'upload' | 'verify';
  /** The file verification queue: `send` hands completed uploads to it; `consume` is its consumer's. */
  readonly verificationQueue?: 'send' | 'consume';
  /** Creates Cognito users when members are added. */
  readonly cognitoAdmin?: boolean;
  /** Publishes domain events to the event bus. */
  readonly events?: boolean;
  /**
   * Sends email with Amazon SES: `ses:SendEmail` on the sender's identity and the stack's
   * configuration set only; MAIL_FROM and SES_CONFIGURATION_SET in its environment.
   */
  readonly mail?: boolean;
}

export const LAMBDA_ENTRIES: readonly LambdaEntry[] = [
  {
    name: 'identity',
    entry: 'functions/api/identity/handler.ts',
    routes: [
      'GET /v1/me',
      'GET /v1/me/email-preferences',
      'PUT /v1/me/email-preferences',
      'GET /v1/organizations',
      'POST /v1/organizations',
      'GET /v1/organizations/{orgId}',
      'POST /v1/organizations/{orgId}/members',
      'DELETE /v1/organizations/{orgId}/members/{userId}',
      'PATCH /v1/organizations/{orgId}/members/{userId}',
      'POST /v1/organizations/{orgId}/suspension',
      'DELETE /v1/organizations/{orgId}/suspension',
      'POST /v1/organizations/{orgId}/offboarding',
      'GET /v1/governance',
      'PUT /v1/governance',
    ],
    access: { table: 'readWrite', cognitoAdmin: true, events: true },
  },
  {
    name: 'agreements',
    entry: 'functions/api/agreements/handler.ts',
    routes: [
      'GET /v1/agreement',
      'GET /v1/agreement/versions',
      'POST /v1/agreement/versions',
      'GET /v1/agreement/versions/{version}',
      'GET /v1/agreement/signatures',
      'POST /v1/agreement/signatures',
    ],
    // A new version is announced to every organisation's admins (email deployed, through the bus).
    access: { table: 'readWrite', events: true },
  },
  {
    name: 'catalog',
    entry: 'functions/api/catalog/handler.ts',
    routes: [
      'GET /v1/datasets',
      'POST /v1/datasets',
      'GET /v1/datasets/{id}',
      'PATCH /v1/datasets/{id}',
      'POST /v1/datasets/{id}/uploads',
      'POST /v1/datasets/{id}/uploads/{fileId}/complete',
      'PATCH /v1/datasets/{id}/files/{fileId}',
      'DELETE /v1/datasets/{id}/files/{fileId}',
      'POST /v1/datasets/{id}/versions',
      'GET /v1/datasets/{id}/samples',
      'POST /v1/datasets/{id}/retire',
    ],
    access: { table: 'readWrite', datasetFiles: 'read', stagingFiles: 'upload', verificationQueue: 'send' },
  },
  {
    name: 'proposals',
    entry: 'functions/api/proposals/handler.ts',
    routes: [
      'GET /v1/proposals',
      'POST /v1/proposals',
      'GET /v1/proposals/{id}',
      'PATCH /v1/proposals/{id}',
      'POST /v1/proposals/{id}/submit',
      'POST /v1/proposals/{id}/withdraw',
      'POST /v1/proposals/{id}/reviews',
      'GET /v1/proposals/{id}/timeline',
    ],
    access: { table: 'readWrite', events: true },
  },
  {
    name: 'grants',
    entry: 'functions/api/grants/handler.ts',
    routes: [
      'GET /v1/grants',
      'GET /v1/grants/{id}',
      'GET /v1/grants/{id}/files',
      'POST /v1/grants/{id}/downloads',
      'POST /v1/grants/{id}/revoke',
      'PUT /v1/grants/{id}/team',
      'POST /v1/grants/{id}/closure',
      'POST /v1/grants/{id}/renewals',
      'POST /v1/grants/{id}/renewals/{renewalId}/reviews',
    ],
    access: { table: 'readWrite', datasetFiles: 'read', events: true },
  },
  {
    name: 'audit',
    entry: 'functions/api/audit/handler.ts',
    routes: ['GET /v1/audit', 'GET /v1/audit/verify'],
    access: { table: 'read' },
  },
  {
    name: 'notifications',
    entry: 'functions/api/notifications/handler.ts',
    routes: ['GET /v1/notifications', 'POST /v1/notifications/{id}/read'],
    access: { table: 'readWrite' },
  },
  {
    name: 'public',
    entry: 'functions/api/public/handler.ts',
    routes: ['GET /health', 'GET /v1/public/{proxy+}'],
    access: { table: 'read' },
  },
];

interface JobBase {
  readonly name: string;
  readonly entry: string;
  readonly access: LambdaAccess;
}

/** A scheduled Lambda function: an EventBridge rule invokes its handler on `schedule` (50 s timeout, no retries). */
export interface ScheduledJobEntry extends JobBase {
  /** EventBridge schedule expression. */
  readonly schedule: string;
  readonly queue?: never;
  readonly domainEvents?: never;
}

/** A Lambda function fed by its own SQS queue (with a dead-letter queue), one message per invocation. */
export interface QueueJobEntry extends JobBase {
  readonly schedule?: never;
  readonly domainEvents?: never;
  readonly queue: {
    /** The function's timeout: what one message may take. */
    readonly timeoutSeconds: number;
    /** How long a received message stays hidden; AWS advises six times the function's timeout. */
    readonly visibilityTimeoutSeconds: number;
    /** Receipts before a message goes to the dead-letter queue. */
    readonly maxReceiveCount: number;
  };
  /**
   * Memory in MB (and so CPU share and network bandwidth).
   * @default 256
   */
  readonly memorySize?: number;
}

/**
 * A Lambda function started by an EventBridge rule on the domain event bus for every domain
 * event (source `accord`), with a dead-letter queue for the rule's target and for the function.
 */
export interface DomainEventJobEntry extends JobBase {
  readonly schedule?: never;
  readonly queue?: never;
  readonly domainEvents: {
    /** Times EventBridge retries an event whose invocation failed before it goes to the dead-letter queue. */
    readonly retryAttempts: number;
    /** How long EventBridge keeps trying an event. */
    readonly maxEventAgeHours: number;
  };
}

/** A Lambda function outside the HTTP API: on a schedule, fed by a queue, or by the domain event bus. */
export type JobEntry = ScheduledJobEntry | QueueJobEntry | DomainEventJobEntry;

export const JOB_ENTRIES: readonly JobEntry[] = [
  {
    // Expiry, reminders 14 and 3 days before the end, closure obligations and overdue notices.
    name: 'grant-lifecycle',
    entry: 'functions/jobs/grant-lifecycle-handler.ts',
    schedule: 'rate(1 minute)',
    access: { table: 'readWrite', events: true },
  },
  {
    // Completed uploads: copy from staging to the published key, hash the copy, record ready or rejected.
    name: 'upload-verifier',
    entry: 'functions/jobs/verify-upload-handler.ts',
    queue: {
      // Sized for the largest file (5 GiB): one server-side copy and one read through SHA-256 take
      // a few minutes at the bandwidth and CPU of 1 GB of memory; 15 minutes is Lambda's most.
      timeoutSeconds: 15 * 60,
      visibilityTimeoutSeconds: 6 * 15 * 60,
      maxReceiveCount: 3,
    },
    memorySize: 1024,
    access: { table: 'readWrite', datasetFiles: 'readWrite', stagingFiles: 'verify', verificationQueue: 'consume' },
  },
  {
    // Every domain notice emailed to the people it concerns, as their preferences say (functions/mail/mailer.ts).
    name: 'mailer',
    entry: 'functions/mail/mailer-handler.ts',
    domainEvents: { retryAttempts: 8, maxEventAgeHours: 24 },
    access: { table: 'readWrite', mail: true },
  },
  {
    // Failed sends retried once due (backoff 1 min to 6 h), and yesterday's daily digests, sent once per day and user.
    name: 'mail-jobs',
    entry: 'functions/mail/mail-jobs-handler.ts',
    schedule: 'rate(5 minutes)',
    access: { table: 'readWrite', mail: true },
  },
];

/** esbuild options for a Lambda bundle: ESM for nodejs22.x, minified, the AWS SDK bundled (tree-shaken), not the runtime's. */
export const LAMBDA_BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require(); ESM output needs it defined.
  banner: { js: "import { createRequire as __accordCreateRequire } from 'node:module';const require = __accordCreateRequire(import.meta.url);" },
  legalComments: 'none',
  external: [],
  alias: {
    '@aws-sdk/credential-provider-node': './functions/adapters/aws/lambda-credentials.ts',
    // Multipart parsing the API never uses (see the file).
    '@fastify/busboy': './functions/api/no-multipart.ts',
  },
  // Request, Response and Headers without loading Node's fetch client on the first request (see the file).
  inject: ['./functions/api/fetch-classes.ts'],
};

/** Minified bytes a function bundle may not exceed (issue: every bundle ≤ 500 KB). */
export const BUNDLE_BUDGET_BYTES = 500 * 1024;
