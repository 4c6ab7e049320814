import { randomUUID } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetBucketCorsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { addLocalS3Middleware } from '../../functions/adapters/s3/bucket-path-middleware';
import { startDynamoDbLocal } from '../../functions/local/dynamodb-local';
import { LOCAL_S3_CREDENTIALS, startS3Server } from '../../functions/local/s3-server';

const REGION = 'eu-west-1';
const dynamoEndpoint = inject('dynamoEndpoint');
const s3Endpoint = inject('s3Endpoint');
const bucket = inject('bucket');
// Every object this file writes lives under its own prefix: other files share the bucket.
const prefix = `local-services-${randomUUID()}`;

function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ region: REGION, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

function s3Client(): S3Client {
  const client = new S3Client({
    region: REGION,
    endpoint: s3Endpoint,
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
    // Otherwise presigned PUTs carry the CRC32 of an empty body, which real S3 enforces.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  addLocalS3Middleware(client);
  return client;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-local-services-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Holds a loopback port the way a second `npm start` would find it. */
async function occupyPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Local addresses of the sockets listening on `port`, from the kernel's own tables. */
async function listeningAddresses(port: number): Promise<string[]> {
  const LISTEN = '0A';
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(file, 'utf8')).trim().split('\n').slice(1);
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [hexAddress, hexPort] = (local ?? '').split(':');
      if (state === LISTEN && hexAddress && Number.parseInt(hexPort ?? '', 16) === port) addresses.push(decodeAddress(hexAddress));
    }
  }
  return addresses;
}

// /proc prints addresses as 32-bit words in host (little-endian) byte order.
function decodeAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => (word.match(/../g) ?? []).reverse()).map((byte) => Number.parseInt(byte, 16));
  if (bytes.length === 4) return bytes.join('.');
  const isV4Mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isV4Mapped) return `::ffff:${bytes.slice(12).join('.')}`;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('DynamoDB Local', () => {
  it('answers ListTables at the endpoint the global setup provides', async () => {
    const result = await dynamoClient(dynamoEndpoint).send(new ListTablesCommand({}));

    expect(result.TableNames).toBeInstanceOf(Array);
  });

  it.runIf(process.platform === 'linux')('listens on 127.0.0.1 only', async () => {
    const port = Number(new URL(dynamoEndpoint).port);

    const addresses = await listeningAddresses(port);

    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(['127.0.0.1', '::ffff:127.0.0.1']).toContain(address);
  });

  it('keeps its tables across a restart when given a data directory', async () => {
    const dataDir = await tempDir();
    const tableName = `survivor-${randomUUID()}`;
    const first = await startDynamoDbLocal({ dataDir });
    await dynamoClient(first.endpoint).send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await first.stop();

    const second = await startDynamoDbLocal({ dataDir });
    cleanups.push(() => second.stop());
    const result = await dynamoClient(second.endpoint).send(new ListTablesCommand({}));

    expect(result.TableNames).toContain(tableName);
  });

  it('fails with a one-line error naming the port when the port is taken', async () => {
    const port = await occupyPort();

    const error = await startDynamoDbLocal({ port }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );

    expect(error?.message).toBe(`Port ${port} is already in use (DynamoDB Local)`);
  });
});

describe('the S3 server', () => {
  it('accepts a presigned PUT and serves the object from a presigned GET', async () => {
    const s3 = s3Client();
    const key = `${prefix}/presigned.csv`;
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 });

    const put = await fetch(putUrl, { method: 'PUT', body: 'id,value\n1,42\n' });
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 });
    const get = await fetch(getUrl);

    expect(put.status).toBe(200);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('id,value\n1,42\n');
  });

  it('rejects a presigned URL whose signature was altered', async () => {
    const s3 = s3Client();
    const key = `${prefix}/signed.txt`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'secret' }));
    const url = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 }));
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    url.searchParams.set('X-Amz-Signature', `${signature.startsWith('0') ? '1' : '0'}${signature.slice(1)}`);

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SignatureDoesNotMatch');
  });

  it('rejects a presigned URL re-pointed at another object', async () => {
    const s3 = s3Client();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/granted.txt`, Body: 'granted' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/other.txt`, Body: 'not granted' }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/granted.txt` }), { expiresIn: 60 });

    const response = await fetch(url.replace('granted.txt', 'other.txt'));

    expect(response.status).toBe(403);
  });

  it('rejects a presigned URL after it expires', async () => {
    const s3 = s3Client();
    const key = `${prefix}/expiring.txt`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'short-lived' }));
    // Signed two minutes ago for one minute: expired, with no sleeping in the test.
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 120_000),
    });

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('completes a multipart upload whose parts were PUT to presigned URLs', async () => {
    const s3 = s3Client();
    const key = `${prefix}/multipart.bin`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const bodies = [Buffer.alloc(5 * 1024 * 1024, 7), Buffer.from('last part')];
    const parts = [];
    for (const [index, body] of bodies.entries()) {
      const PartNumber = index + 1;
      const url = await getSignedUrl(s3, new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber }), { expiresIn: 60 });
      const response = await fetch(url, { method: 'PUT', body });
      parts.push({ PartNumber, ETag: response.headers.get('etag') ?? '' });
    }

    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));

    expect(head.ContentLength).toBe(bodies[0]!.length + bodies[1]!.length);
  });

  it('gives the bucket a CORS rule that lets a browser upload and read the ETag', async () => {
    const cors = await s3Client().send(new GetBucketCorsCommand({ Bucket: bucket }));

    expect(cors.CORSRules).toEqual([
      expect.objectContaining({
        AllowedOrigins: ['*'],
        AllowedMethods: expect.arrayContaining(['GET', 'PUT', 'HEAD', 'POST']),
        AllowedHeaders: ['*'],
        ExposeHeaders: ['ETag'],
      }),
    ]);
  });

  it('answers a browser preflight for a presigned PUT', async () => {
    const url = await getSignedUrl(s3Client(), new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/upload.csv` }), { expiresIn: 60 });

    const response = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
  });

  it('fails with a one-line error naming the port when the port is taken', async () => {
    const port = await occupyPort();

    const error = await startS3Server({ port, directory: await tempDir(), bucket: 'busy-port' }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );

    expect(error?.message).toBe(`Port ${port} is already in use (S3 server)`);
  });
});
