import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../functions/local/dynamodb-local';
import { startS3Server } from '../../functions/local/s3-server';
import { startMailServer } from '../../functions/local/mail-server';

const BUCKET = 'accord-test';

/**
 * Starts DynamoDB Local (in memory) and the S3 server once per run, on free loopback ports, and
 * provides their endpoints to every test file (see provided.d.ts). Starting the JVM once rather
 * than per file is what keeps integration tests cheap.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const s3Directory = await mkdtemp(join(tmpdir(), 'accord-s3-'));
  const dynamo = await startDynamoDbLocal({});
  const s3 = await startS3Server({ directory: s3Directory, bucket: BUCKET }).catch(async (error: unknown) => {
    await dynamo.stop();
    throw error;
  });

  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('bucket', BUCKET);
  // The local SMTP server with its web inbox: mail tests send through it and read what arrived.
  const mail = await startMailServer();
  project.provide('smtpUrl', mail.smtpUrl);
  project.provide('mailUrl', mail.webUrl);

  return async () => {
    await Promise.allSettled([dynamo.stop(), s3.stop(), mail.stop()]);
    await rm(s3Directory, { recursive: true, force: true });
  };
}
