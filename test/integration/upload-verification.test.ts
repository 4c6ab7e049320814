import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { datasetObjectKey, stagingObjectKey } from '../../functions/uploads/object-keys';
import { verifyUpload } from '../../functions/uploads/verify-upload';
import type { ObjectStore } from '../../shared/ports';
import { MULTIPART_THRESHOLD_BYTES } from '../../shared/schemas/dataset';
import { datasetMetadata } from '../support/fixtures';
import { approvedProposal, proposalFields } from '../support/proposal-flow';
import { createTestStack, USERS, type TestStack } from '../support/stack';

/**
 * Issue 12, flaw 2, as the attack went: a presigned upload URL that outlived completion replaced
 * a published sample, sizes were not bound, and empty files were published. Against the real
 * local S3 server (which checks SigV4 signatures, the signed Content-Length included) and
 * DynamoDB Local, with the verifier running in process as `npm start` runs it.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function draft(title: string) {
  const created = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata({ title, consentRequired: false }) });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function startUpload(datasetId: string, fileName: string, size: number, sample = false) {
  const started = await stack.call('POST', `/v1/datasets/${datasetId}/uploads`, { as: USERS.northwind, body: { fileName, size, contentType: 'text/csv', sample } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body as { fileId: string; url: string; parts: { partNumber: number; url: string }[]; partSize: number };
}

const complete = (datasetId: string, fileId: string, body: unknown = {}) =>
  stack.call('POST', `/v1/datasets/${datasetId}/uploads/${fileId}/complete`, { as: USERS.northwind, body });

async function fileOf(datasetId: string, fileId: string) {
  const dataset = await stack.call('GET', `/v1/datasets/${datasetId}`, { as: USERS.northwind });
  return dataset.body.files.find((f: { id: string }) => f.id === fileId);
}

/** PUTs with no signature at all, straight to a key: the local S3 server lets that through (S3 would not), standing for bytes that arrived some other way. */
async function unsignedPut(datasetId: string, fileId: string, name: string, body: string | Buffer) {
  const key = stagingObjectKey(datasetObjectKey(datasetId, 1, fileId, name));
  const url = `${inject('s3Endpoint')}/${inject('bucket')}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const response = await fetch(url, { method: 'PUT', body: typeof body === 'string' ? body : new Uint8Array(body) });
  expect(response.status).toBe(200);
}

describe('the bytes a link serves are the bytes that were published', () => {
  it('keeps serving the published bytes after a second PUT to the upload URL, to samples and to grant downloads alike', async () => {
    const datasetId = await draft('Overwritten freight sample');
    const csv = 'hub,tonnes\nNorth,120\nSouth,80\n';
    const upload = await startUpload(datasetId, 'sample.csv', Buffer.byteLength(csv), true);
    expect((await fetch(upload.url, { method: 'PUT', body: csv, headers: { 'content-type': 'text/csv' } })).status).toBe(200);
    // (Completion's 202 and the file's `verifying` are asserted elsewhere; this test runs the attack
    // as it was, so that it also runs, and fails, against the code before the fix.)
    expect((await complete(datasetId, upload.fileId)).status).toBeLessThan(300);
    await stack.deps.verification?.idle();
    const published = await stack.call('POST', `/v1/datasets/${datasetId}/versions`, { as: USERS.northwind });
    expect(published.status).toBe(201);
    const recorded = published.body.files[0];
    expect(recorded).toMatchObject({ size: Buffer.byteLength(csv), sha256: sha256(csv) });

    // The attack: the upload URL is still valid (15 minutes) and storage accepts an HTML page of
    // the same length (the URL signs the length, not the bytes).
    const html = '<script>alert(1)</script>'.padEnd(Buffer.byteLength(csv), ' ');
    expect((await fetch(upload.url, { method: 'PUT', body: html, headers: { 'content-type': 'text/html' } })).status).toBe(200);
    await stack.deps.verification?.idle();

    // A member's sample link serves the published bytes, with the recorded hash.
    const samples = await stack.call('GET', `/v1/datasets/${datasetId}/samples`, { as: USERS.andes });
    expect(samples.body.items[0]).toMatchObject({ size: recorded.size, sha256: recorded.sha256 });
    const sample = Buffer.from(await (await fetch(samples.body.items[0].url)).arrayBuffer());
    expect(sample.toString()).toBe(csv);
    expect(sha256(sample)).toBe(recorded.sha256);

    // So does a grant's download link.
    await approvedProposal(stack, proposalFields([datasetId], { startDate: day(-1), endDate: day(30) }, { title: 'Freight flows after an overwrite' }));
    const grants = await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes });
    const grant = grants.body.items.find((g: { datasetId: string }) => g.datasetId === datasetId);
    const files = await stack.call('GET', `/v1/grants/${grant.id}/files`, { as: USERS.andes });
    expect(files.body.items[0]).toMatchObject({ size: recorded.size, sha256: recorded.sha256 });
    const minted = await stack.call('POST', `/v1/grants/${grant.id}/downloads`, { as: USERS.andes, body: { fileId: files.body.items[0].id } });
    expect(minted.status).toBe(201);
    const download = Buffer.from(await (await fetch(minted.body.url)).arrayBuffer());
    expect(download.toString()).toBe(csv);
    expect(sha256(download)).toBe(recorded.sha256);
  });

  it('gives upload URLs for the staging key only, signing the declared length', async () => {
    const datasetId = await draft('Staged freight flows');
    const upload = await startUpload(datasetId, 'flows.csv', 4, true);
    const url = new URL(upload.url);
    expect(url.pathname).toBe(`/${inject('bucket')}/staging/datasets/${datasetId}/v1/${upload.fileId}/flows.csv`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
  });
});

describe('the declared size binds the upload', () => {
  it('refuses 1 MB sent to a URL for 10 declared bytes (storage), and completion and the file say so if such bytes arrive anyway', async () => {
    const datasetId = await draft('Oversized freight flows');
    const upload = await startUpload(datasetId, 'flows.csv', 10);
    const megabyte = Buffer.alloc(1024 * 1024, 'x');
    const put = await fetch(upload.url, { method: 'PUT', body: megabyte });
    expect(put.status).toBe(403);
    expect(await put.text()).toContain('SignatureDoesNotMatch');
    expect((await fetch(upload.url, { method: 'PUT', body: '0123456789a' })).status).toBe(403);
    expect((await complete(datasetId, upload.fileId)).body.error.code).toBe('upload_missing');

    await unsignedPut(datasetId, upload.fileId, 'flows.csv', megabyte);
    const completed = await complete(datasetId, upload.fileId);
    expect(completed.status).toBe(409);
    expect(completed.body.error).toMatchObject({ code: 'size_mismatch', details: { field: 'size', declared: 10, received: 1024 * 1024 } });
    expect(await fileOf(datasetId, upload.fileId)).toMatchObject({ status: 'rejected', rejectedReason: '1048576 bytes arrived, but 10 were declared when the upload started.', sha256: null });
    const publish = await stack.call('POST', `/v1/datasets/${datasetId}/versions`, { as: USERS.northwind });
    expect(publish.status).toBe(409);
    expect(publish.body.error.code).toBe('files_not_ready');
  });

  it('refuses an empty file: a declared size of 0, an empty body for a declared size, and an empty object at verification', async () => {
    const datasetId = await draft('Empty freight flows');
    const zero = await stack.call('POST', `/v1/datasets/${datasetId}/uploads`, { as: USERS.northwind, body: { fileName: 'empty.csv', size: 0 } });
    expect(zero.status).toBe(400);
    expect(zero.body.error.details.field).toBe('size');

    const upload = await startUpload(datasetId, 'empty.csv', 10);
    expect((await fetch(upload.url, { method: 'PUT', body: '' })).status).toBe(403);
    await unsignedPut(datasetId, upload.fileId, 'empty.csv', '');
    const completed = await complete(datasetId, upload.fileId);
    expect(completed.status).toBe(409);
    expect(completed.body.error.code).toBe('size_mismatch');
    expect(await fileOf(datasetId, upload.fileId)).toMatchObject({ status: 'rejected', rejectedReason: 'The file is empty: 0 bytes arrived.' });
  });

  it('has the verifier reject bytes that changed size after completion, and keeps nothing of them', async () => {
    const datasetId = await draft('Swapped freight flows');
    const upload = await startUpload(datasetId, 'flows.csv', 10);
    await fetch(upload.url, { method: 'PUT', body: '0123456789' });
    // Completed by hand (not through the route, whose verification would start at once): the
    // file is verifying and the staging object is then replaced by another length.
    const stored = (await stack.deps.datasets.get(datasetId))!.files[0]!;
    await stack.deps.datasets.markVerifying(datasetId, stored);
    await unsignedPut(datasetId, upload.fileId, 'flows.csv', '0123456789-and-more');
    const result = await verifyUpload(stack.deps, { datasetId, fileId: upload.fileId });
    expect(result).toEqual({ outcome: 'rejected', reason: '19 bytes arrived, but 10 were declared when the upload started.' });
    expect(await fileOf(datasetId, upload.fileId)).toMatchObject({ status: 'rejected', sha256: null });
    expect(await stack.deps.objects.head(stored.objectKey)).toBeNull();
    expect(await stack.deps.objects.head(stagingObjectKey(stored.objectKey))).toBeNull();
  });

  it('binds each part of a multipart upload to its length, and completes only with every part', async () => {
    const datasetId = await draft('Multipart freight flows');
    const size = MULTIPART_THRESHOLD_BYTES + 1024;
    const upload = await startUpload(datasetId, 'big.bin', size);
    expect(upload.parts).toHaveLength(5);
    expect((await fetch(upload.parts[4]!.url, { method: 'PUT', body: Buffer.alloc(1024 + 1) })).status).toBe(403);
    const last = await fetch(upload.parts[4]!.url, { method: 'PUT', body: Buffer.alloc(1024) });
    expect(last.status).toBe(200);
    const partial = await complete(datasetId, upload.fileId, { parts: [{ partNumber: 5, etag: last.headers.get('etag') }] });
    expect(partial.status).toBe(400);
    expect(partial.body.error.details.field).toBe('parts');
  });
});

describe('verification runs apart from the request, and publishing waits for it', () => {
  it('refuses to publish while a file is verifying, naming it, and publishes once it is ready', async () => {
    const datasetId = await draft('Verifying freight flows');
    const upload = await startUpload(datasetId, 'flows.csv', 10);
    await fetch(upload.url, { method: 'PUT', body: '0123456789' });
    const stored = (await stack.deps.datasets.get(datasetId))!.files[0]!;
    await stack.deps.datasets.markVerifying(datasetId, stored);

    const early = await stack.call('POST', `/v1/datasets/${datasetId}/versions`, { as: USERS.northwind });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({
      code: 'files_not_ready',
      message: expect.stringContaining('flows.csv (verifying)'),
      details: { files: [{ id: upload.fileId, name: 'flows.csv', status: 'verifying', rejectedReason: null }] },
    });
    expect(await verifyUpload(stack.deps, { datasetId, fileId: upload.fileId })).toMatchObject({ outcome: 'ready', size: 10, sha256: sha256('0123456789') });
    expect((await stack.call('POST', `/v1/datasets/${datasetId}/versions`, { as: USERS.northwind })).status).toBe(201);
  });

  it('hands a file over again when its completion is repeated while it verifies, and a second delivery changes nothing', async () => {
    const datasetId = await draft('Redelivered freight flows');
    const upload = await startUpload(datasetId, 'flows.csv', 10);
    await fetch(upload.url, { method: 'PUT', body: '0123456789' });
    expect((await complete(datasetId, upload.fileId)).status).toBe(202);
    expect((await complete(datasetId, upload.fileId)).status).toBe(202);
    await stack.deps.verification.idle();
    const ready = await fileOf(datasetId, upload.fileId);
    expect(ready).toMatchObject({ status: 'ready', sha256: sha256('0123456789') });
    // Once ready, a completion is a conflict, and a late delivery of the job is ignored even if
    // the staging object was written again meanwhile.
    expect((await complete(datasetId, upload.fileId)).body.error.code).toBe('already_completed');
    await fetch(upload.url, { method: 'PUT', body: 'ABCDEFGHIJ' });
    expect(await verifyUpload(stack.deps, { datasetId, fileId: upload.fileId })).toEqual({ outcome: 'skipped' });
    const stored = (await stack.deps.datasets.get(datasetId))!.files[0]!;
    expect(await stack.deps.objects.digest(stored.objectKey)).toEqual({ size: 10, sha256: sha256('0123456789') });
  });

  it('gives up its claim when a store fails part-way, so the next delivery verifies at once', async () => {
    const datasetId = await draft('Interrupted freight flows');
    const upload = await startUpload(datasetId, 'flows.csv', 10);
    await fetch(upload.url, { method: 'PUT', body: '0123456789' });
    const stored = (await stack.deps.datasets.get(datasetId))!.files[0]!;
    await stack.deps.datasets.markVerifying(datasetId, stored);
    // The real store, but its copy fails once (as a 503 from S3 would).
    const objects: ObjectStore = Object.assign(Object.create(stack.deps.objects) as ObjectStore, { copy: () => Promise.reject(new Error('S3 is down')) });
    const failingCopy = { ...stack.deps, objects };
    await expect(verifyUpload(failingCopy, { datasetId, fileId: upload.fileId })).rejects.toThrow('S3 is down');
    expect(await fileOf(datasetId, upload.fileId)).toMatchObject({ status: 'verifying' });
    expect(await verifyUpload(stack.deps, { datasetId, fileId: upload.fileId })).toMatchObject({ outcome: 'ready', sha256: sha256('0123456789') });
  });

  it('lets two deliveries of one job race without either copying over what the other hashed', async () => {
    const datasetId = await draft('Raced freight flows');
    const upload = await startUpload(datasetId, 'flows.csv', 10);
    await fetch(upload.url, { method: 'PUT', body: '0123456789' });
    const stored = (await stack.deps.datasets.get(datasetId))!.files[0]!;
    await stack.deps.datasets.markVerifying(datasetId, stored);
    const results = await Promise.all([1, 2].map(() => verifyUpload(stack.deps, { datasetId, fileId: upload.fileId })));
    expect(results.map((r) => r.outcome).sort()).toEqual(['ready', 'skipped']);
  });
});

describe('a provider clears a rejected file', () => {
  it('removes a draft file, deletes its bytes, uploads the name again and publishes; a published file cannot be removed', async () => {
    const datasetId = await draft('Cleared freight flows');
    const bad = await startUpload(datasetId, 'flows.csv', 10);
    await unsignedPut(datasetId, bad.fileId, 'flows.csv', 'short');
    expect((await complete(datasetId, bad.fileId)).body.error.code).toBe('size_mismatch');
    expect((await startUpload(datasetId, 'other.csv', 4)).fileId).toBeDefined();
    const again = await stack.call('POST', `/v1/datasets/${datasetId}/uploads`, { as: USERS.northwind, body: { fileName: 'flows.csv', size: 10 } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('file_exists');

    const removed = await stack.call('DELETE', `/v1/datasets/${datasetId}/files/${bad.fileId}`, { as: USERS.northwind });
    expect(removed.status).toBe(200);
    expect(removed.body.files.map((f: { name: string }) => f.name)).toEqual(['other.csv']);
    await stack.deps.verification.idle();
    expect(await stack.deps.objects.head(stagingObjectKey(datasetObjectKey(datasetId, 1, bad.fileId, 'flows.csv')))).toBeNull();
    const other = (await stack.call('GET', `/v1/datasets/${datasetId}`, { as: USERS.northwind })).body.files[0];
    expect((await stack.call('DELETE', `/v1/datasets/${datasetId}/files/${other.id}`, { as: USERS.northwind })).status).toBe(200);

    const upload = await startUpload(datasetId, 'flows.csv', 10);
    await fetch(upload.url, { method: 'PUT', body: '0123456789' });
    await complete(datasetId, upload.fileId);
    await stack.deps.verification.idle();
    expect((await stack.call('POST', `/v1/datasets/${datasetId}/versions`, { as: USERS.northwind })).status).toBe(201);
    const frozen = await stack.call('DELETE', `/v1/datasets/${datasetId}/files/${upload.fileId}`, { as: USERS.northwind });
    expect(frozen.status).toBe(409);
    expect(frozen.body.error.code).toBe('version_published');
    expect(await stack.deps.objects.digest(datasetObjectKey(datasetId, 1, upload.fileId, 'flows.csv'))).toEqual({ size: 10, sha256: sha256('0123456789') });
  });

  it('deletes the verified copy of a ready file removed before publication', async () => {
    const datasetId = await draft('Withdrawn freight flows');
    const upload = await startUpload(datasetId, 'flows.csv', 10);
    await fetch(upload.url, { method: 'PUT', body: '0123456789' });
    await complete(datasetId, upload.fileId);
    await stack.deps.verification.idle();
    const key = datasetObjectKey(datasetId, 1, upload.fileId, 'flows.csv');
    expect(await stack.deps.objects.head(key)).toEqual({ size: 10 });
    await stack.call('DELETE', `/v1/datasets/${datasetId}/files/${upload.fileId}`, { as: USERS.northwind });
    await stack.deps.verification.idle();
    expect(await stack.deps.objects.head(key)).toBeNull();
  });
});
