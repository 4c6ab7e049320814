import { expect } from 'vitest';
import { datasetMetadata } from './fixtures';
import { USERS, type TestStack } from './stack';

/**
 * A dataset `as` (a provider's user) creates, uploads one small file to, waits to see verified and
 * publishes; `overrides` change its metadata (consent is not required unless they say so).
 */
export async function publishedDataset(stack: TestStack, overrides: Record<string, unknown> = {}, as: string = USERS.northwind): Promise<{ id: string }> {
  const created = await stack.call('POST', '/v1/datasets', { as, body: datasetMetadata({ consentRequired: false, ...overrides }) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const content = 'hub,tonnes\nA,12\n';
  const started = await stack.call('POST', `/v1/datasets/${id}/uploads`, {
    as,
    body: { fileName: 'flows.csv', size: Buffer.byteLength(content), contentType: 'text/csv', sample: false },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const put = await fetch(started.body.url, { method: 'PUT', body: content, headers: { 'content-type': 'text/csv' } });
  expect(put.status).toBe(200);
  const completed = await stack.call('POST', `/v1/datasets/${id}/uploads/${started.body.fileId}/complete`, { as, body: {} });
  expect(completed.status, JSON.stringify(completed.body)).toBe(202);
  // Files are verified after completion, out of the request (in this process, locally).
  await stack.deps.verification.idle();
  const published = await stack.call('POST', `/v1/datasets/${id}/versions`, { as });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
  return { id };
}
