import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConflictError, StoreUnavailableError, ThrottledError } from '../../shared/errors';
import { createDb } from '../../functions/adapters/dynamodb/client';
import { S3ObjectStore } from '../../functions/adapters/s3/object-store';
import { STORE_CALL_BOUND_MS, storeFault } from '../../functions/adapters/store-faults';
import { handleError } from '../../functions/api/http/error-handler';

/** A margin for a busy machine: the assertion is that a call ends, well before an API function's 10 s. */
const BOUND_MS = STORE_CALL_BOUND_MS + 3_000;

/** A TCP server that accepts every connection and never answers: a store that hangs. */
let blackHole: Server;
let blackHoleUrl: string;
const held: Socket[] = [];
/** An HTTP server answering every request with the status and body of `answer`. */
let failing: ReturnType<typeof createHttpServer>;
let failingUrl: string;
let answer = { status: 500, body: '<Error><Code>InternalError</Code></Error>' };
let requestsSeen = 0;

const listen = (server: Server | ReturnType<typeof createHttpServer>) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));

beforeAll(async () => {
  blackHole = createServer((socket) => held.push(socket));
  blackHoleUrl = await listen(blackHole);
  failing = createHttpServer((request, response) => {
    requestsSeen++;
    request.resume();
    response.writeHead(answer.status, { 'content-type': 'application/xml' }).end(answer.body);
  });
  failingUrl = await listen(failing);
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
  await new Promise((resolve) => failing.close(resolve));
});

const store = (endpoint: string) =>
  new S3ObjectStore({ bucket: 'accord-test', region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

async function failureOf(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await call();
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('the call succeeded');
}

describe('storeFault', () => {
  it('reads timeouts, refused and reset connections and 5xx faults as a store not answering', () => {
    const faults = [
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
      new DOMException('aborted', 'AbortError'),
      Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      Object.assign(new Error('internal'), { name: 'InternalServerError', $fault: 'server' }),
      Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }),
    ];
    for (const fault of faults) expect(storeFault(fault), String(fault)).toBeInstanceOf(StoreUnavailableError);
  });

  it('reads throttling as throttling, and leaves failed conditions, domain errors and bugs alone', () => {
    expect(storeFault(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }))).toBeInstanceOf(ThrottledError);
    expect(storeFault(Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException', $fault: 'client', $metadata: { httpStatusCode: 400 } }))).toBeUndefined();
    expect(storeFault(new ConflictError('concurrent_update', 'changed'))).toBeUndefined();
    expect(storeFault(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeUndefined();
  });
});

describe('a DynamoDB that does not answer', () => {
  it('fails a call with StoreUnavailableError within the bound when the connection hangs', async () => {
    const db = createDb({ tableName: 'accord-hang', region: 'eu-west-1', endpoint: blackHoleUrl });
    const { error, ms } = await failureOf(() => db.doc.send(new GetCommand({ TableName: db.tableName, Key: { PK: 'a', SK: 'b' } })));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThan(BOUND_MS);
  }, 20_000);

  it('fails a call with StoreUnavailableError when the connection is refused', async () => {
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const db = createDb({ tableName: 'accord-refused', region: 'eu-west-1', endpoint: url });
    const { error, ms } = await failureOf(() => db.doc.send(new GetCommand({ TableName: db.tableName, Key: { PK: 'a', SK: 'b' } })));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThan(BOUND_MS);
  }, 20_000);
});

describe('an S3 that does not answer', () => {
  it('fails the server\'s own S3 requests with StoreUnavailableError within the bound', async () => {
    const objects = store(blackHoleUrl);
    for (const call of [() => objects.startMultipart('datasets/d/files/f'), () => objects.digest('datasets/d/files/f')]) {
      const { error, ms } = await failureOf(call);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(ms).toBeLessThan(BOUND_MS);
    }
  }, 30_000);

  it('reads a 5xx as StoreUnavailableError once the retry of a safe request is spent, and 503 SlowDown as throttling', async () => {
    answer = { status: 500, body: '<Error><Code>InternalError</Code></Error>' };
    requestsSeen = 0;
    expect((await failureOf(() => store(failingUrl).digest('datasets/d/files/f'))).error).toBeInstanceOf(StoreUnavailableError);
    expect(requestsSeen).toBe(2);
    requestsSeen = 0;
    expect((await failureOf(() => store(failingUrl).startMultipart('datasets/d/files/f'))).error).toBeInstanceOf(StoreUnavailableError);
    expect(requestsSeen).toBe(1);
    answer = { status: 503, body: '<Error><Code>SlowDown</Code></Error>' };
    expect((await failureOf(() => store(failingUrl).digest('datasets/d/files/f'))).error).toBeInstanceOf(ThrottledError);
  });
});

describe('the HTTP mapping', () => {
  const app = new Hono();
  app.onError(handleError as never);
  const raw = Object.assign(new Error('@smithy/node-http-handler - a request has exceeded the configured 2000 ms requestTimeout.'), { name: 'TimeoutError' });
  app.get('/raw-timeout', () => {
    throw raw;
  });
  app.get('/unavailable', () => {
    throw new StoreUnavailableError(raw);
  });
  app.get('/throttled', () => {
    throw new ThrottledError();
  });

  it('answers 503 store_unavailable with Retry-After for a store that did not answer, mapped by its adapter or not', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const path of ['/raw-timeout', '/unavailable']) {
      const response = await app.request(path);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const body = await response.json();
      expect(body.error.code).toBe('store_unavailable');
      expect(JSON.stringify(body)).not.toContain('smithy');
    }
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('answers 429 throttled with Retry-After', async () => {
    const response = await app.request('/throttled');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
  });
});
