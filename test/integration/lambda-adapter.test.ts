import { handle } from 'hono/aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Headers, Request, Response } from '../../functions/api/fetch-classes';
import { createTestStack, USERS, type TestStack } from '../support/stack';

/**
 * The deployed functions answer through Hono's Lambda adapter with the Request, Response and
 * Headers that esbuild injects into their bundles (functions/api/fetch-classes.ts). Here the whole
 * API, on the real DynamoDB Local and the real token verifier, answers API Gateway HTTP API (v2)
 * events through the same adapter with the same classes, standing in for Node's as the bundles'
 * injection does.
 */
vi.stubGlobal('Request', Request);
vi.stubGlobal('Response', Response);
vi.stubGlobal('Headers', Headers);

let stack: TestStack;
let handler: ReturnType<typeof handle>;

beforeAll(async () => {
  stack = await createTestStack();
  handler = handle(stack.app);
});

interface EventOptions {
  readonly as?: string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly base64?: boolean;
}

async function invoke(method: string, path: string, options: EventOptions = {}) {
  const headers: Record<string, string> = { host: 'api.example.com', ...options.headers };
  if (options.as) headers.authorization = `Bearer ${await stack.token(options.as)}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
    if (options.base64) body = Buffer.from(body).toString('base64');
  }
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers,
    body,
    isBase64Encoded: options.base64 ?? false,
    requestContext: {
      accountId: '123456789012', apiId: 'api', domainName: 'api.example.com', domainPrefix: 'api', requestId: 'test',
      routeKey: '$default', stage: '$default', time: '03/Dec/2026:00:00:00 +0000', timeEpoch: Date.now(),
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
    },
  };
  const result = (await handler(event as never, {} as never)) as { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: boolean };
  return { status: result.statusCode, headers: result.headers, json: result.body ? JSON.parse(result.body) : null, isBase64Encoded: result.isBase64Encoded };
}

const draft = (datasetId: string) => ({
  title: 'Through the Lambda adapter',
  purpose: { category: 'mobility-transport' },
  datasets: [{ datasetId, justification: 'Boardings by stop measure the crowding directly.' }],
});

describe('the API behind the Lambda adapter, with the injected Request and Response', () => {
  it('are the lightweight classes, not Node’s', () => {
    expect(new globalThis.Response('x')).toBeInstanceOf(Response);
    expect(globalThis.Response.name).not.toBe('Response');
  });

  it('answers a list with its query string, as JSON, with a request id', async () => {
    const listed = await invoke('GET', '/v1/datasets', { as: USERS.andes, query: 'q=ridership&limit=5' });
    expect(listed.status).toBe(200);
    expect(listed.headers['content-type']).toMatch(/^application\/json/);
    expect(listed.headers['x-request-id']).toBeTruthy();
    expect(listed.isBase64Encoded).toBe(false);
    expect(listed.json.items.length).toBeGreaterThan(0);
    expect(listed.json.items.length).toBeLessThanOrEqual(5);
  });

  it('reads JSON bodies, plain or base64-encoded, and carries ETag and If-Match both ways', async () => {
    const datasetId = (await invoke('GET', '/v1/datasets', { as: USERS.andes, query: 'q=ridership' })).json.items[0].id;
    const created = await invoke('POST', '/v1/proposals', { as: USERS.andes, body: draft(datasetId) });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ state: 'draft', fields: { title: 'Through the Lambda adapter' } });
    const encoded = await invoke('POST', '/v1/proposals', { as: USERS.andes, body: draft(datasetId), base64: true });
    expect(encoded.status).toBe(201);

    const read = await invoke('GET', `/v1/proposals/${created.json.id}`, { as: USERS.andes });
    expect(read.headers.etag).toBe(`"${read.json.revision}"`);
    const edited = await invoke('PATCH', `/v1/proposals/${created.json.id}`, { as: USERS.andes, headers: { 'if-match': read.headers.etag! }, body: { title: 'Edited through the adapter' } });
    expect(edited.status).toBe(200);
    expect(edited.json.fields.title).toBe('Edited through the adapter');
    const stale = await invoke('PATCH', `/v1/proposals/${created.json.id}`, { as: USERS.andes, headers: { 'if-match': read.headers.etag! }, body: { title: 'A stale edit' } });
    expect(stale.status).toBe(412);
  });

  it('replays an idempotent create from the stored response (request body read twice, response cloned)', async () => {
    const datasetId = (await invoke('GET', '/v1/datasets', { as: USERS.andes, query: 'q=ridership' })).json.items[0].id;
    const key = `adapter-${Date.now()}`;
    const first = await invoke('POST', '/v1/proposals', { as: USERS.andes, headers: { 'idempotency-key': key }, body: draft(datasetId) });
    const again = await invoke('POST', '/v1/proposals', { as: USERS.andes, headers: { 'idempotency-key': key }, body: draft(datasetId) });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
  });

  it('answers bad input, no token and unknown routes with the API’s JSON errors', async () => {
    const invalid = await invoke('POST', '/v1/proposals', { as: USERS.andes, body: { title: 'x' } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.details.field).toBe('title');
    const anonymous = await invoke('GET', '/v1/proposals');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBeTruthy();
    const unknown = await invoke('GET', '/v1/nothing-here', { as: USERS.andes });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
  });
});
