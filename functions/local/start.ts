/**
 * `npm start`: the whole consortium on 127.0.0.1 — DynamoDB Local, an S3-compatible server, the
 * local token issuer, every API context and the web app on one port, seeded on first start.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../config';
import { ensureTable } from './create-table';
import { startDynamoDbLocal } from './dynamodb-local';
import { createLocalApp } from './local-app';
import { assertPortFree, serve } from './serve';
import { startS3Server } from './s3-server';
import { DEMO_USERS, seedDemo } from './seed';
import { loadOrCreateIssuer } from './token-issuer';
import { mountWebApp } from './web-app';

const TABLE = 'accord';
const BUCKET = 'accord-data';

async function main(): Promise<void> {
  const started = Date.now();
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = resolve(process.env.ACCORD_DATA_DIR ?? '.data');
  mkdirSync(dataDir, { recursive: true });
  await assertPortFree(port);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping…`);
      void stopAll().then(() => process.exit(0));
    });
  }

  try {
    const dynamo = await startDynamoDbLocal({ dataDir: resolve(dataDir, 'dynamodb'), port: Number(process.env.DYNAMODB_PORT ?? 0) });
    stops.push(dynamo.stop);
    const s3 = await startS3Server({ directory: resolve(dataDir, 's3'), bucket: BUCKET, port: Number(process.env.S3_PORT ?? 0) });
    stops.push(s3.stop);

    const config = loadConfig({
      ...process.env,
      TABLE_NAME: TABLE,
      BUCKET_NAME: BUCKET,
      AUTH_MODE: 'local',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
    });
    await ensureTable(new DynamoDBClient({ region: config.AWS_REGION, endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }), TABLE);

    const issuer = await loadOrCreateIssuer({ dataDir });
    const local = createLocalApp({ config, issuer });
    const seeded = await seedDemo(local.deps);
    await mountWebApp(local.app);

    const server = await serve(local.app, port);
    stops.push(server.stop);

    const url = `http://127.0.0.1:${port}`;
    console.log(
      [
        '',
        `Accord is running at ${url}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s${seeded ? ', demo consortium seeded' : ''})`,
        `  API reference: ${url}/docs`,
        `  DynamoDB Local: ${dynamo.endpoint}   S3: ${s3.endpoint} (bucket ${BUCKET})   data: ${dataDir}`,
        '',
        'Demo sign-ins (pick one on the sign-in page, or POST {"email"} to /local/token):',
        ...DEMO_USERS.map((u) => `  ${u.email.padEnd(30)} ${u.who}`),
        '',
        'Ctrl-C stops everything.',
      ].join('\n'),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
