import { describe, expect, it } from 'vitest';
import { PartFailedError, publishReadiness, PutFailedError, storedUploadText, uploadParts, verificationPollDelay, type PutFn } from '../../web/src/lib/upload';

const file = new Blob(['a'.repeat(10)]);
const parts = [1, 2, 3, 4].map((partNumber) => ({ partNumber, url: `https://s3.test/part-${partNumber}` }));

/** A fake storage: fails the given part the given number of times, then answers with an ETag. */
function storage(failures: Record<string, number> = {}) {
  const calls: string[] = [];
  const bodies: Record<string, string> = {};
  const put: PutFn = async (url, body, onProgress) => {
    calls.push(url);
    if ((failures[url] ?? 0) > 0) {
      failures[url]! -= 1;
      throw new PutFailedError(503);
    }
    bodies[url] = await body.text();
    onProgress(body.size);
    return { etag: `"etag-${url.slice(-1)}"` };
  };
  return { put, calls, bodies };
}

describe('a multipart upload', () => {
  it('puts each part’s slice of the file and returns the ETags in part order', async () => {
    const s = storage();
    const done = await uploadParts({ file, parts, partSize: 3, put: s.put, concurrency: 2 });
    expect(done).toEqual(parts.map((p) => ({ partNumber: p.partNumber, etag: `"etag-${p.partNumber}"` })));
    expect(Object.values(s.bodies).map((b) => b.length).sort()).toEqual([1, 3, 3, 3]);
  });

  it('retries a failing part up to three times', async () => {
    const s = storage({ 'https://s3.test/part-2': 2 });
    const done = await uploadParts({ file, parts, partSize: 3, put: s.put });
    expect(done).toHaveLength(4);
    expect(s.calls.filter((u) => u.endsWith('part-2'))).toHaveLength(3);
  });

  it('gives up on a part after three failures, storing every other part meanwhile', async () => {
    const s = storage({ 'https://s3.test/part-3': 5 });
    const failure = await uploadParts({ file, parts, partSize: 3, put: s.put, concurrency: 1 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PartFailedError);
    const error = failure as PartFailedError;
    expect(error.partNumber).toBe(3);
    expect(error.failedParts).toEqual([3]);
    expect(error.completed.map((p) => p.partNumber)).toEqual([1, 2, 4]);
    expect(s.calls.filter((u) => u.endsWith('part-3'))).toHaveLength(3);
    expect(error.message).toMatch(/^Part 3 failed after every attempt/);
  });

  it('names every part that failed', async () => {
    const s = storage({ 'https://s3.test/part-1': 3, 'https://s3.test/part-4': 3 });
    const error = (await uploadParts({ file, parts, partSize: 3, put: s.put }).catch((e: unknown) => e)) as PartFailedError;
    expect(error.failedParts).toEqual([1, 4]);
    expect(error.completed.map((p) => p.partNumber)).toEqual([2, 3]);
    expect(error.message).toMatch(/^Parts 1, 4 failed/);
  });

  it('resumes from the parts already stored when retried', async () => {
    const s = storage();
    const done = await uploadParts({
      file,
      parts,
      partSize: 3,
      put: s.put,
      completed: [
        { partNumber: 1, etag: '"kept-1"' },
        { partNumber: 2, etag: '"kept-2"' },
      ],
    });
    expect(s.calls).toEqual(['https://s3.test/part-3', 'https://s3.test/part-4']);
    expect(done.map((p) => p.etag)).toEqual(['"kept-1"', '"kept-2"', '"etag-3"', '"etag-4"']);
  });

  it('reports progress across parts, up to the file size', async () => {
    const seen: number[] = [];
    await uploadParts({ file, parts, partSize: 3, put: storage().put, concurrency: 1, onProgress: (n) => seen.push(n) });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(10);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('treats a response without an ETag (hidden by CORS) as a failure', async () => {
    const put: PutFn = async () => ({ etag: null });
    const failure = await uploadParts({ file, parts: parts.slice(0, 1), partSize: 10, put }).catch((e: unknown) => e);
    expect((failure as PartFailedError).message).toMatch(/no ETag/);
  });
});

describe('a draft version waiting for verification', () => {
  it('may be published once it has files and every one is ready', () => {
    expect(publishReadiness([])).toMatchObject({ canPublish: false, notReady: [] });
    expect(publishReadiness([{ name: 'a.csv', status: 'ready' }])).toMatchObject({ canPublish: true, ready: 1 });
    const mixed = publishReadiness([
      { name: 'a.csv', status: 'ready' },
      { name: 'b.csv', status: 'verifying' },
      { name: 'c.csv', status: 'rejected' },
      { name: 'd.csv', status: 'pending' },
    ]);
    expect(mixed).toMatchObject({ canPublish: false, ready: 1, verifying: 1 });
    expect(mixed.notReady.map((f) => f.name)).toEqual(['b.csv', 'c.csv', 'd.csv']);
  });

  it('is read again after 1 s, then less and less often, never more than 10 s apart', () => {
    expect([0, 1, 2, 3].map(verificationPollDelay)).toEqual([1000, 1500, 2250, 3375]);
    expect(verificationPollDelay(20)).toBe(10_000);
  });

  it('tells a stored upload how its verification went', () => {
    expect(storedUploadText(undefined, null)).toBe('Uploaded; verifying');
    expect(storedUploadText('verifying', null)).toBe('Uploaded; verifying');
    expect(storedUploadText('ready', null)).toBe('Uploaded and verified');
    expect(storedUploadText('rejected', 'The file is empty: 0 bytes arrived.')).toBe('Uploaded, but rejected: The file is empty: 0 bytes arrived.');
  });
});
