import { beforeAll, describe, expect, it, vi } from 'vitest';

// The handler's own logic only: verification itself runs against the local servers in
// test/integration/upload-verification.test.ts.
const verifyUpload = vi.fn();
vi.mock('../../functions/uploads/verify-upload', () => ({ verifyUpload }));

let handler: (event: { Records: { messageId: string; body: string }[] }) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'accord');
  vi.stubEnv('BUCKET_NAME', 'accord-data');
  vi.stubEnv('AUTH_MODE', 'cognito');
  vi.stubEnv('COGNITO_USER_POOL_ID', 'eu-west-1_test');
  vi.stubEnv('COGNITO_CLIENT_ID', 'client');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  ({ handler } = await import('../../functions/jobs/verify-upload-handler'));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});

const job = { datasetId: '00000000-0000-4000-8000-000000000001', fileId: '10000000-0000-4000-8000-000000000001' };

describe('the upload verifier function', () => {
  it('verifies each message and reports only the ones that failed, for the queue to deliver again', async () => {
    verifyUpload.mockReset().mockResolvedValueOnce({ outcome: 'ready', size: 1, sha256: 'x' }).mockRejectedValueOnce(new Error('S3 is down'));
    const result = await handler({ Records: [{ messageId: 'm1', body: JSON.stringify(job) }, { messageId: 'm2', body: JSON.stringify(job) }] });
    expect(verifyUpload).toHaveBeenCalledTimes(2);
    expect(verifyUpload.mock.calls[0]![1]).toEqual(job);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });

  it('drops a malformed message instead of retrying what can never succeed', async () => {
    verifyUpload.mockReset();
    const result = await handler({ Records: [{ messageId: 'm1', body: 'not json' }, { messageId: 'm2', body: JSON.stringify({ ...job, objectKey: 'datasets/x' }) }] });
    expect(verifyUpload).not.toHaveBeenCalled();
    expect(result).toEqual({ batchItemFailures: [] });
  });
});
