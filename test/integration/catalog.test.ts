import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetMetadata } from '../support/fixtures';
import { createTestStack, USERS, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function draft(as: string = USERS.northwind, overrides = {}) {
  const created = await stack.call('POST', '/v1/datasets', { as, body: datasetMetadata(overrides) });
  expect(created.status).toBe(201);
  return created.body;
}

async function upload(datasetId: string, fileName: string, content: string, sample = false, as: string = USERS.northwind) {
  const started = await stack.call('POST', `/v1/datasets/${datasetId}/uploads`, {
    as,
    body: { fileName, size: Buffer.byteLength(content), contentType: 'text/csv', sample },
  });
  expect(started.status).toBe(201);
  const put = await fetch(started.body.url, { method: 'PUT', body: content, headers: { 'content-type': 'text/csv' } });
  expect(put.status).toBe(200);
  const completed = await stack.call('POST', `/v1/datasets/${datasetId}/uploads/${started.body.fileId}/complete`, { as, body: {} });
  expect(completed.status).toBe(202);
  expect(completed.body.status).toBe('verifying');
  return verifiedFile(datasetId, started.body.fileId, as);
}

/** The file once the (in-process) verifier is done with it. */
async function verifiedFile(datasetId: string, fileId: string, as: string = USERS.northwind) {
  await stack.deps.verification.idle();
  const dataset = await stack.call('GET', `/v1/datasets/${datasetId}`, { as });
  return dataset.body.files.find((f: { id: string }) => f.id === fileId);
}

describe('the catalog', () => {
  it('lists the seeded published datasets to a member, without object keys or bucket names', async () => {
    const listed = await stack.call('GET', '/v1/datasets?limit=100', { as: USERS.andes });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: { metadata: { title: string } }) => d.metadata.title)).toEqual(
      expect.arrayContaining(['Urban trip origin-destination matrix', 'Connectivity coverage by district']),
    );
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain('datasets/');
    expect(text).not.toContain(stack.config.BUCKET_NAME);
  });

  it('filters by text, theme and provider', async () => {
    const byText = await stack.call('GET', '/v1/datasets?q=ridership', { as: USERS.andes });
    expect(byText.body.items.map((d: any) => d.metadata.title)).toEqual(['Public transit ridership by stop']);
    const byTheme = await stack.call('GET', '/v1/datasets?theme=telecommunications&limit=100', { as: USERS.andes });
    expect(byTheme.body.items.every((d: any) => d.metadata.themes.includes('telecommunications'))).toBe(true);
    expect(byTheme.body.items).toHaveLength(2);
    const me = await stack.call('GET', '/v1/me', { as: USERS.helios });
    const byProvider = await stack.call('GET', `/v1/datasets?provider=${me.body.organization.id}`, { as: USERS.andes });
    expect(byProvider.body.items.map((d: any) => d.providerName)).toEqual(['Helios Telecom', 'Helios Telecom']);
  });

  it('pages with an opaque cursor and rejects a forged one', async () => {
    const first = await stack.call('GET', '/v1/datasets?limit=2', { as: USERS.andes });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await stack.call('GET', `/v1/datasets?limit=2&cursor=${first.body.nextCursor}`, { as: USERS.andes });
    const ids = [...first.body.items, ...second.body.items].map((d: any) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const forged = Buffer.from(JSON.stringify({ GSI1PK: 'PROVIDER#x', PK: 'ORG#x', SK: 'ORG', GSI1SK: 'a' })).toString('base64url');
    const rejected = await stack.call('GET', `/v1/datasets?cursor=${forged}`, { as: USERS.andes });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.details.field).toBe('cursor');
  });

  it('rejects a limit over 100 naming the field', async () => {
    const response = await stack.call('GET', '/v1/datasets?limit=101', { as: USERS.andes });
    expect(response.status).toBe(400);
    expect(response.body.error.details.field).toBe('limit');
  });
});

describe('a provider listing a dataset', () => {
  it('creates a draft that only its own organisation can see', async () => {
    const created = await draft();
    expect(created).toMatchObject({ state: 'draft', revision: 1, draftVersion: 1, publishedVersion: null });
    expect((await stack.call('GET', `/v1/datasets/${created.id}`, { as: USERS.northwind })).status).toBe(200);
    for (const other of [USERS.helios, USERS.andes, USERS.civic, USERS.admin]) {
      const seen = await stack.call('GET', `/v1/datasets/${created.id}`, { as: other });
      expect(seen.status).toBe(404);
      expect(JSON.stringify(seen.body)).not.toContain(created.id);
    }
    const catalog = await stack.call('GET', '/v1/datasets?limit=100', { as: USERS.andes });
    expect(catalog.body.items.map((d: any) => d.id)).not.toContain(created.id);
    const mine = await stack.call('GET', '/v1/datasets?scope=mine&limit=100', { as: USERS.northwind });
    expect(mine.body.items.map((d: any) => d.id)).toContain(created.id);
  });

  it('names the field of an invalid body, and an unknown field', async () => {
    const invalid = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata({ maxGrantDays: 0 }) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'maxGrantDays' } });
    const nested = await stack.call('POST', '/v1/datasets', {
      as: USERS.northwind,
      body: datasetMetadata({ personalData: { contains: true } }),
    });
    expect(nested.body.error.details.field).toBe('personalData.description');
    const unknown = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: { ...datasetMetadata(), colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.field).toBe('colour');
    const malformed = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, rawBody: '{"title":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_request');
  });

  it('edits with If-Match and refuses a stale revision with 412', async () => {
    const created = await draft();
    const edited = await stack.call('PATCH', `/v1/datasets/${created.id}`, {
      as: USERS.northwind,
      body: { title: 'Renamed freight flows' },
      headers: { 'if-match': '"1"' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ revision: 2, metadataVersion: 2, metadata: { title: 'Renamed freight flows' } });
    expect(edited.headers.get('etag')).toBe('"2"');
    const stale = await stack.call('PATCH', `/v1/datasets/${created.id}`, {
      as: USERS.northwind,
      body: { title: 'Lost update' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.details.currentRevision).toBe(2);
    const missing = await stack.call('PATCH', `/v1/datasets/${created.id}`, { as: USERS.northwind, body: { title: 'No header' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.field).toBe('If-Match');
    const foreign = await stack.call('PATCH', `/v1/datasets/${created.id}`, {
      as: USERS.helios,
      body: { title: 'Hijack' },
      headers: { 'if-match': '"2"' },
    });
    expect(foreign.status).toBe(404);
  });

  it('uploads a file through a presigned URL and records its real size and sha256', async () => {
    const created = await draft();
    const content = 'hub,tonnes\nNorth,120\nSouth,80\n';
    const file = await upload(created.id, 'freight.csv', content);
    expect(file).toMatchObject({ name: 'freight.csv', size: Buffer.byteLength(content), sha256: sha256(content), status: 'ready', rejectedReason: null, version: 1 });
    expect(JSON.stringify(file)).not.toContain('datasets/');
  });

  it('refuses to complete an upload whose bytes never arrived', async () => {
    const created = await draft();
    const started = await stack.call('POST', `/v1/datasets/${created.id}/uploads`, { as: USERS.northwind, body: { fileName: 'ghost.csv', size: 10 } });
    const completed = await stack.call('POST', `/v1/datasets/${created.id}/uploads/${started.body.fileId}/complete`, { as: USERS.northwind, body: {} });
    expect(completed.status).toBe(409);
    expect(completed.body.error.code).toBe('upload_missing');
  });

  it('uploads a large file in parts', async () => {
    const created = await draft();
    const size = 64 * 1024 ** 2 + 1024;
    const started = await stack.call('POST', `/v1/datasets/${created.id}/uploads`, {
      as: USERS.northwind,
      body: { fileName: 'big.bin', size },
    });
    expect(started.body.method).toBe('multipart');
    expect(started.body.parts).toHaveLength(5);
    const bytes = Buffer.alloc(size, 7);
    const parts = [];
    for (const part of started.body.parts) {
      const chunk = bytes.subarray((part.partNumber - 1) * started.body.partSize, part.partNumber * started.body.partSize);
      const put = await fetch(part.url, { method: 'PUT', body: chunk });
      expect(put.status).toBe(200);
      parts.push({ partNumber: part.partNumber, etag: put.headers.get('etag')! });
    }
    const completed = await stack.call('POST', `/v1/datasets/${created.id}/uploads/${started.body.fileId}/complete`, {
      as: USERS.northwind,
      body: { parts },
    });
    expect(completed.status).toBe(202);
    expect(await verifiedFile(created.id, started.body.fileId)).toMatchObject({ status: 'ready', size, sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('publishes a version, freezing its files, and the catalog then offers it', async () => {
    const created = await draft(USERS.northwind, { title: 'Published freight flows' });
    const empty = await stack.call('POST', `/v1/datasets/${created.id}/versions`, { as: USERS.northwind });
    expect(empty.status).toBe(409);
    expect(empty.body.error.code).toBe('no_files');
    await upload(created.id, 'freight.csv', 'hub,tonnes\nNorth,1\n');
    const published = await stack.call('POST', `/v1/datasets/${created.id}/versions`, { as: USERS.northwind });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ version: 1, files: [expect.objectContaining({ name: 'freight.csv' })] });
    const again = await stack.call('POST', `/v1/datasets/${created.id}/versions`, { as: USERS.northwind });
    expect(again.status).toBe(409);
    const seen = await stack.call('GET', `/v1/datasets/${created.id}`, { as: USERS.andes });
    expect(seen.body).toMatchObject({ state: 'published', publishedVersion: 1, draftVersion: 2 });
    const found = await stack.call('GET', '/v1/datasets?q=published%20freight', { as: USERS.andes });
    expect(found.body.items.map((d: any) => d.id)).toContain(created.id);
  });

  it('lets an organisation that signed download samples, and nobody else', async () => {
    const created = await draft(USERS.northwind, { title: 'Sampled freight flows' });
    await upload(created.id, 'full.csv', 'hub,tonnes\nNorth,1\nSouth,2\n');
    await upload(created.id, 'sample.csv', 'hub,tonnes\nNorth,1\n', true);
    await stack.call('POST', `/v1/datasets/${created.id}/versions`, { as: USERS.northwind });
    const samples = await stack.call('GET', `/v1/datasets/${created.id}/samples`, { as: USERS.andes });
    expect(samples.status).toBe(200);
    expect(samples.body.items.map((s: any) => s.name)).toEqual(['sample.csv']);
    const download = await fetch(samples.body.items[0].url);
    expect(await download.text()).toBe('hub,tonnes\nNorth,1\n');
    expect(download.headers.get('content-disposition')).toContain('attachment');
    const unsigned = await stack.call('GET', `/v1/datasets/${created.id}/samples`, { as: USERS.civic });
    expect(unsigned.status).toBe(403);
    expect(unsigned.body.error.code).toBe('agreement_not_signed');
  });

  it('retires a dataset, taking it out of the catalog', async () => {
    const created = await draft(USERS.northwind, { title: 'Retiring freight flows' });
    await upload(created.id, 'f.csv', 'a\n1\n');
    await stack.call('POST', `/v1/datasets/${created.id}/versions`, { as: USERS.northwind });
    const byMember = await stack.call('POST', `/v1/datasets/${created.id}/retire`, { as: USERS.andes, body: { reason: 'Not mine to retire' } });
    expect(byMember.status).toBe(403);
    const retired = await stack.call('POST', `/v1/datasets/${created.id}/retire`, { as: USERS.northwind, body: { reason: 'Superseded by a new feed' } });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ state: 'retired', retiredReason: 'Superseded by a new feed' });
    const catalog = await stack.call('GET', '/v1/datasets?q=retiring', { as: USERS.andes });
    expect(catalog.body.items).toEqual([]);
    // Retiring again is a retry, not a conflict: it completes the revocation and keeps the first reason.
    const twice = await stack.call('POST', `/v1/datasets/${created.id}/retire`, { as: USERS.northwind, body: { reason: 'Retired again by a retry' } });
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ state: 'retired', retiredReason: 'Superseded by a new feed' });
  });

  it('creates once when a creating POST is retried with the same Idempotency-Key', async () => {
    const body = datasetMetadata({ title: 'Idempotent freight flows' });
    const headers = { 'idempotency-key': 'create-freight-1' };
    const first = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body, headers });
    const retry = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const mine = await stack.call('GET', '/v1/datasets?scope=mine&q=idempotent&limit=100', { as: USERS.northwind });
    expect(mine.body.items).toHaveLength(1);
    const reused = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: { ...body, title: 'Other' }, headers });
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: 'idempotency_key_reused', details: { field: 'Idempotency-Key' } });
    // Keys are per user: the same key from another provider is a new request.
    const other = await stack.call('POST', '/v1/datasets', { as: USERS.helios, body, headers });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });
});
