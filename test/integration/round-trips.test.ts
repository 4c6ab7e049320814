import { beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { runGrantLifecycle } from '../../functions/jobs/grant-lifecycle';
import { datasetMetadata } from '../support/fixtures';
import { createTestStack, USERS, type TestStack } from '../support/stack';

/**
 * Counts DynamoDB commands per request with a middleware on the real client, and S3 requests
 * (the object store sends its few server-side calls as presigned requests, not through an SDK
 * client) by watching `fetch` for the S3 server's address. Counts are deterministic, so they may
 * fail a test; time never does.
 */
let stack: TestStack;
let calls: string[] = [];
let s3Calls: string[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  const s3Endpoint = inject('s3Endpoint');
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(s3Endpoint)) s3Calls.push(`${init?.method ?? 'GET'} ${new URL(url).search.replace(/X-Amz-[^&]*&?/g, '') || 'object'}`);
    return realFetch(input, init);
  });
  stack = await createTestStack();
  stack.deps.db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(context.commandName as string);
      return next(args);
    },
    { step: 'initialize', name: 'roundTripCounter' },
  );
  const listed = await stack.call('GET', '/v1/datasets?q=ridership', { as: USERS.andes });
  ids.dataset = listed.body.items[0].id;
  ids.andesOrg = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
  const proposal = await stack.call('POST', '/v1/proposals', {
    as: USERS.andes,
    body: {
      title: 'Round trips',
      purpose: { category: 'mobility-transport' },
      problem: 'Buses are overcrowded in the evening peak.',
      methods: 'Compare boardings by stop across the evening hours.',
      datasets: [{ datasetId: ids.dataset, justification: 'Boardings by stop measure the crowding directly.' }],
      startDate: '2027-01-01',
      endDate: '2027-02-01',
      team: [USERS.andes],
      expectedOutputs: 'A schedule adjustment.',
      publicBenefit: 'Less crowded buses.',
      impactIndicators: ['Load factor'],
      confirmations: { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true },
      listInPublicRegister: true,
    },
  });
  ids.proposal = proposal.body.id;
  await stack.call('POST', `/v1/proposals/${ids.proposal}/submit`, { as: USERS.andes });
  // A second proposal, approved: its grant is read below.
  const granted = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { ...proposal.body.fields, title: 'Round trips granted', startDate: day(-10), endDate: day(30) } });
  await stack.call('POST', `/v1/proposals/${granted.body.id}/submit`, { as: USERS.andes });
  await stack.call('POST', `/v1/proposals/${granted.body.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
  ids.grant = (await stack.call('GET', '/v1/grants', { as: USERS.andes })).body.items[0].id;
  ids.grantFile = (await stack.call('GET', `/v1/grants/${ids.grant}/files`, { as: USERS.andes })).body.items[0].id;
  // Warm every caller's membership and the governance settings, as a warm container would have.
  for (const who of Object.values(USERS)) await stack.call('GET', '/v1/governance', { as: who });
});

beforeEach(() => {
  calls = [];
  s3Calls = [];
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const READS: [string, string, string][] = [
  ['GET /v1/me', USERS.andes, '/v1/me'],
  ['GET /v1/organizations', USERS.admin, '/v1/organizations'],
  ['GET /v1/organizations/{orgId}', USERS.andes, '/v1/organizations/{andesOrg}'],
  ['GET /v1/governance', USERS.andes, '/v1/governance'],
  ['GET /v1/agreement', USERS.andes, '/v1/agreement'],
  ['GET /v1/agreement/signatures', USERS.admin, '/v1/agreement/signatures'],
  ['GET /v1/datasets', USERS.andes, '/v1/datasets?q=transit&theme=mobility'],
  ['GET /v1/datasets?scope=mine', USERS.northwind, '/v1/datasets?scope=mine'],
  ['GET /v1/datasets/{id}', USERS.andes, '/v1/datasets/{dataset}'],
  ['GET /v1/proposals (member)', USERS.andes, '/v1/proposals'],
  ['GET /v1/proposals (provider)', USERS.northwind, '/v1/proposals'],
  ['GET /v1/proposals?view=queue', USERS.admin, '/v1/proposals?view=queue'],
  ['GET /v1/proposals/{id} (author)', USERS.andes, '/v1/proposals/{proposal}'],
  ['GET /v1/proposals/{id}/timeline', USERS.admin, '/v1/proposals/{proposal}/timeline'],
  ['GET /v1/grants (member)', USERS.andes, '/v1/grants'],
  ['GET /v1/grants (provider)', USERS.northwind, '/v1/grants'],
  ['GET /v1/grants (admin)', USERS.admin, '/v1/grants'],
  ['GET /v1/grants?state=expired (admin)', USERS.admin, '/v1/grants?state=expired'],
  ['GET /v1/grants/{id}', USERS.northwind, '/v1/grants/{grant}'],
  ['GET /v1/grants/{id}/files', USERS.andes, '/v1/grants/{grant}/files'],
  ['GET /v1/audit (admin)', USERS.admin, '/v1/audit'],
  ['GET /v1/audit (member)', USERS.andes, '/v1/audit'],
  ['GET /v1/audit (provider)', USERS.northwind, '/v1/audit'],
  ['GET /v1/audit?entityType&entityId (member)', USERS.andes, '/v1/audit?entityType=grant&entityId={grant}'],
  ['GET /v1/notifications', USERS.andes, '/v1/notifications'],
  ['GET /v1/public/datasets', '', '/v1/public/datasets'],
  ['GET /v1/public/projects', '', '/v1/public/projects'],
  ['GET /v1/public/datasets/{id}', '', '/v1/public/datasets/{dataset}'],
];

/**
 * Every signed-in request first reads the caller's standing (user and organisation, one
 * strongly consistent BatchGetItem; see caller-resolver.ts): removal, role changes and
 * suspension take effect on the next request. The calls after it, the route's own.
 */
const STANDING = 'BatchGetItemCommand';
const afterStanding = (as: string = 'signed in') => {
  if (!as) return calls;
  expect(calls[0]).toBe(STANDING);
  return calls.slice(1);
};

const path = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]!);

describe('DynamoDB round trips per request', () => {
  it.each(READS)('%s makes at most one besides the caller\'s standing, and none to S3', async (_, as, template) => {
    const response = await stack.call('GET', path(template), { as: as || undefined });
    expect(response.status).toBe(200);
    // Governance settings come from the container's cache, so that route makes none.
    expect(afterStanding(as).length).toBeLessThanOrEqual(1);
    expect(s3Calls).toEqual([]);
  });

  it('a signed-in request reads the caller\'s standing first: the user and the organisation in one strongly consistent BatchGetItem', async () => {
    await stack.call('GET', '/v1/governance', { as: USERS.civic });
    expect(calls).toEqual([STANDING]);
  });

  it('a container\'s first request from a subject reads the user, then its organisation (two GetItems), as it does not know the organisation yet', async () => {
    const fresh = await createTestStack();
    let first: string[] = [];
    fresh.deps.db.doc.middlewareStack.add((next, context) => async (args) => {
      first.push(context.commandName as string);
      return next(args);
    }, { step: 'initialize', name: 'firstCounter' });
    const token = await fresh.token(USERS.civic);
    first = [];
    await fresh.call('GET', '/v1/governance', { token });
    expect(first.slice(0, 2)).toEqual(['GetItemCommand', 'GetItemCommand']);
  });

  it('a reviewer reading a proposal makes two: the proposal, then the current versions of its datasets in one batch', async () => {
    await stack.call('GET', `/v1/proposals/${ids.proposal}`, { as: USERS.admin });
    expect(afterStanding()).toEqual(['GetItemCommand', 'BatchGetItemCommand']);
  });

  it('sample links make two: the dataset, and the organisation\'s standing with the agreement in one batch', async () => {
    await stack.call('GET', `/v1/datasets/${ids.dataset}/samples`, { as: USERS.andes });
    expect(afterStanding().sort()).toEqual(['BatchGetItemCommand', 'GetItemCommand']);
  });

  it('an approval makes one transaction and two reads: the proposal, then its datasets\' published versions with the audit head in one batch', async () => {
    const response = await stack.call('POST', `/v1/proposals/${ids.proposal}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    expect(response.body.state).toBe('approved');
    // After the commit, the notices go out: the audience's members are read and each inbox written.
    const committed = calls.indexOf('TransactWriteItemsCommand') + 1;
    expect(calls.slice(0, committed)).toEqual([STANDING, 'GetItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect(calls.slice(committed).every((c) => c === 'QueryCommand' || c === 'TransactWriteItemsCommand')).toBe(true);
  });

  it('a download makes two reads side by side (the grant with the audit head; the organisation\'s agreement standing) and the append\'s one transaction, then signs without a call', async () => {
    const response = await stack.call('POST', `/v1/grants/${ids.grant}/downloads`, { as: USERS.andes, body: { fileId: ids.grantFile } });
    expect(response.status).toBe(201);
    expect(afterStanding()).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand', 'TransactWriteItemsCommand']);
    expect(s3Calls).toEqual([]);
  });

  it('ten downloads at once from one process make ten reads and ten transactions: no append retries', async () => {
    // Each reads the head before waiting its turn to append; the appends before it in this
    // process are known, so none of them sends a transaction on a stale head.
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => stack.call('POST', `/v1/grants/${ids.grant}/downloads`, { as: USERS.andes, body: { fileId: ids.grantFile } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    // Ten standing reads, ten grant reads and ten agreement-standing reads, each a BatchGetItem.
    expect(calls.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(30);
    expect(calls.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(10);
    expect(calls.filter((c) => c === 'GetItemCommand')).toHaveLength(0);
  });

  it('verifying the audit chain reads the head and then the chain, a page per megabyte', async () => {
    const response = await stack.call('GET', '/v1/audit/verify', { as: USERS.admin });
    expect(response.body.intact).toBe(true);
    expect(afterStanding()).toEqual(['GetItemCommand', 'QueryCommand']);
  });

  it('a lifecycle run with nothing due makes two Queries of sparse index partitions and no Scan', async () => {
    await runGrantLifecycle(stack.deps);
    calls = [];
    await runGrantLifecycle(stack.deps);
    expect(calls).toEqual(['QueryCommand', 'QueryCommand']);
  });

  it('creating a dataset makes a standing check and one write', async () => {
    await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata() });
    expect(afterStanding()).toEqual(['BatchGetItemCommand', 'PutItemCommand']);
  });

  it('a file upload calls S3 once to start a multipart upload and twice to complete it (complete, size check); the verifier four times (size check, copy, read to hash, delete)', async () => {
    const created = (await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata() })).body;
    const small = await stack.call('POST', `/v1/datasets/${created.id}/uploads`, { as: USERS.northwind, body: { fileName: 'small.csv', size: 10 } });
    expect(small.body.method).not.toBe('multipart');
    expect(s3Calls).toEqual([]);
    const size = 64 * 1024 ** 2 + 1024;
    const started = await stack.call('POST', `/v1/datasets/${created.id}/uploads`, { as: USERS.northwind, body: { fileName: 'big.bin', size } });
    expect(started.body.method).toBe('multipart');
    expect(s3Calls).toEqual(['POST ?uploads=']);
    const bytes = Buffer.alloc(size, 7);
    const parts = [];
    for (const part of started.body.parts) {
      const put = await fetch(part.url, { method: 'PUT', body: bytes.subarray((part.partNumber - 1) * started.body.partSize, part.partNumber * started.body.partSize) });
      parts.push({ partNumber: part.partNumber, etag: put.headers.get('etag')! });
    }
    s3Calls = [];
    calls = [];
    const completed = await stack.call('POST', `/v1/datasets/${created.id}/uploads/${started.body.fileId}/complete`, { as: USERS.northwind, body: { parts } });
    expect(completed.status).toBe(202);
    // The request: the dataset, then the file marked verifying; S3 completes the upload and is asked its size.
    const request = { dynamo: calls.length, s3: s3Calls.length };
    await stack.deps.verification.idle();
    expect(calls.slice(0, request.dynamo)).toEqual([STANDING, 'GetItemCommand', 'UpdateItemCommand']);
    expect(s3Calls.slice(0, request.s3).map((c) => c.split(' ')[0])).toEqual(['POST', 'HEAD']);
    // The verifier, after the answer: the dataset, its claim on the file, the outcome; in S3 the
    // staging object's size, the copy, the copy read back to hash it, the staging object deleted.
    expect(calls.slice(request.dynamo)).toEqual(['GetItemCommand', 'UpdateItemCommand', 'UpdateItemCommand']);
    expect(s3Calls.slice(request.s3).map((c) => c.split(' ')[0])).toEqual(['HEAD', 'PUT', 'GET', 'DELETE']);
  });
});

describe('Scan', () => {
  it('is used nowhere in the functions', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync('functions', { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name.endsWith('.ts'))
      .map((f) => `${f.parentPath}/${f.name}`);
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => /\bScan(Command|Input)\b/.test(readFileSync(f, 'utf8')))).toEqual([]);
  });
});
