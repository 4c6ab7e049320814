import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../config';
import { ensureTable } from './create-table';
import { startDynamoDbLocal, type DynamoDbLocalServer } from './dynamodb-local';
import { createLocalApp, type LocalApp } from './local-app';
import { runConsentDeadlines } from '../jobs/consent-deadlines';
import { runGrantLifecycle } from '../jobs/grant-lifecycle';
import { assertPortFree, serve } from './serve';
import { startS3Server } from './s3-server';
import { startMailServer } from './mail-server';
import { runMailJobs } from '../mail/mail-jobs';
import { seedDemo } from './seed';
import { loadOrCreateIssuer } from './token-issuer';
import { mountWebApp } from './web-app';

export const LOCAL_TABLE = 'accord';
export const LOCAL_BUCKET = 'accord-data';

export interface LocalStackOptions {
  /** The one port of API and web app; 0 picks a free one. */
  readonly port: number;
  /** Where DynamoDB Local, the S3 server and the issuer key keep their data. */
  readonly dataDir: string;
  readonly dynamoPort?: number;
  readonly s3Port?: number;
  /** The local SMTP server's port and its web inbox's; 0 (the default) picks free ones. */
  readonly smtpPort?: number;
  readonly mailWebPort?: number;
  /**
   * Keep DynamoDB Local's tables in memory instead of under `dataDir` (lost on stop). For bulk
   * loads: the benchmarks write 300k items, which its on-disk store takes about eight times longer
   * to accept.
   */
  readonly dynamoInMemory?: boolean;
  /** Build the web app before serving it (default true). */
  readonly buildWeb?: boolean;
  /** How often the grant lifecycle job runs (default every minute). */
  readonly lifecycleIntervalMs?: number;
}

export interface LocalStack {
  readonly url: string;
  readonly seeded: boolean;
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  /** The local mail server: where the mailer sends, and the web inbox where the mail can be read. */
  readonly smtpUrl: string;
  readonly mailUrl: string;
  readonly app: LocalApp;
  /** The DynamoDB Local server, which a fault drill may pause and resume (`npm run bench`'s faults section). */
  readonly dynamo: Pick<DynamoDbLocalServer, 'pause' | 'resume'>;
  stop(): Promise<void>;
}

/**
 * The whole consortium on 127.0.0.1: DynamoDB Local, the S3 server, the token issuer, every API
 * context and the web app on one port; table and bucket created when missing; the demo seeded
 * on first start. `npm start` and the browser tests both run exactly this.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  if (options.port !== 0) await assertPortFree(options.port);

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const dynamo = await startDynamoDbLocal({ dataDir: options.dynamoInMemory ? undefined : resolve(dataDir, 'dynamodb'), port: options.dynamoPort ?? 0 });
    stops.push(dynamo.stop);
    const s3 = await startS3Server({ directory: resolve(dataDir, 's3'), bucket: LOCAL_BUCKET, port: options.s3Port ?? 0 });
    stops.push(s3.stop);
    const mail = await startMailServer({ smtpPort: options.smtpPort ?? 0, webPort: options.mailWebPort ?? 0 });
    stops.push(mail.stop);

    const config = loadConfig({
      ...process.env,
      TABLE_NAME: LOCAL_TABLE,
      BUCKET_NAME: LOCAL_BUCKET,
      AUTH_MODE: 'local',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
      SMTP_URL: mail.smtpUrl,
      // Public links (the DCAT document) name this address, never the request's Host header.
      ...(options.port !== 0 && !process.env.PUBLIC_BASE_URL ? { PUBLIC_BASE_URL: `http://127.0.0.1:${options.port}` } : {}),
    });
    await ensureTable(
      new DynamoDBClient({ region: config.AWS_REGION, endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      LOCAL_TABLE,
    );
    const issuer = await loadOrCreateIssuer({ dataDir });
    const app = createLocalApp({ config, issuer });
    const seeded = await seedDemo(app.deps);
    await mountWebApp(app.app, { build: options.buildWeb, connect: [s3.endpoint] });
    const server = await serve(app.app, options.port);
    stops.push(server.stop);
    // On a port picked at start (tests), links in emails can only name it once it is bound.
    if (app.deps.mailer && !config.PUBLIC_BASE_URL) Object.assign(app.deps.mailer, { baseUrl: server.url });
    // The grant lifecycle job, as the deployed EventBridge schedule runs it: every minute.
    const lifecycle = setInterval(() => {
      runGrantLifecycle(app.deps)
        .then(() => runConsentDeadlines(app.deps))
        .catch((error: unknown) => console.error(`grant lifecycle: ${(error as Error).message}`));
      // The mail jobs, as their deployed schedules run them: due retries, and yesterday's digests.
      if (app.deps.mailer) runMailJobs(app.deps.mailer).catch((error: unknown) => console.error(`mail jobs: ${(error as Error).message}`));
    }, options.lifecycleIntervalMs ?? 60_000);
    lifecycle.unref();
    stops.push(async () => clearInterval(lifecycle));
    return { url: server.url, seeded, dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint, smtpUrl: mail.smtpUrl, mailUrl: mail.webUrl, app, dynamo, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
