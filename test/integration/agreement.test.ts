import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetMetadata } from '../support/fixtures';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

let stack: TestStack;
const clock = new TestClock();
beforeAll(async () => {
  stack = await createTestStack({ clock });
});

const V2_TEXT = '# Accord Common Data Agreement — version 2\n\nEverything in version 1, and a new incident clause.';

describe('the common data agreement', () => {
  it('shows its current version with the sha256 of its text', async () => {
    const current = await stack.call('GET', '/v1/agreement', { as: USERS.civic });
    expect(current.status).toBe(200);
    expect(current.body.version).toBe(1);
    expect(current.body.sha256).toBe(createHash('sha256').update(current.body.text).digest('hex'));
  });

  it('is signed by an org-admin for the version and hash they saw, once', async () => {
    const current = (await stack.call('GET', '/v1/agreement', { as: USERS.civic })).body;
    const wrongHash = await stack.call('POST', '/v1/agreement/signatures', { as: USERS.civic, body: { version: 1, sha256: '0'.repeat(64) } });
    expect(wrongHash.status).toBe(409);
    expect(wrongHash.body.error.code).toBe('agreement_changed');
    const signed = await stack.call('POST', '/v1/agreement/signatures', { as: USERS.civic, body: { version: 1, sha256: current.sha256 } });
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ orgName: 'Civic Data Lab', version: 1, signedBy: USERS.civic });
    const again = await stack.call('POST', '/v1/agreement/signatures', { as: USERS.civic, body: { version: 1, sha256: current.sha256 } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_signed');
    expect((await stack.call('GET', '/v1/me', { as: USERS.civic })).body.agreement.state).toBe('signed');
  });

  it('is not signed by a plain member', async () => {
    const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
    await stack.call('POST', `/v1/organizations/${andes}/members`, { as: USERS.andes, body: { email: 'junior@andes-bank.example', name: 'Junior', roles: ['member'] } });
    const current = (await stack.call('GET', '/v1/agreement', { as: USERS.andes })).body;
    const response = await stack.call('POST', '/v1/agreement/signatures', { as: 'junior@andes-bank.example', body: { version: 1, sha256: current.sha256 } });
    expect(response.status).toBe(403);
  });

  it('shows admins who signed which version, and nobody else', async () => {
    const signatures = await stack.call('GET', '/v1/agreement/signatures?limit=100', { as: USERS.admin });
    expect(signatures.status).toBe(200);
    expect(signatures.body.items.map((s: any) => s.orgName)).toEqual(
      expect.arrayContaining(['Accord Secretariat', 'Northwind Mobility', 'Helios Telecom', 'Andes Development Bank']),
    );
    expect((await stack.call('GET', '/v1/agreement/signatures', { as: USERS.northwind })).status).toBe(403);
  });

  it('gets new versions from consortium admins only', async () => {
    expect((await stack.call('POST', '/v1/agreement/versions', { as: USERS.northwind, body: { text: V2_TEXT } })).status).toBe(403);
    const short = await stack.call('POST', '/v1/agreement/versions', { as: USERS.admin, body: { text: 'too short' } });
    expect(short.body.error.details.field).toBe('text');
  });

  it('lets signers of the previous version act during the grace period, and blocks them after it', async () => {
    const v2 = await stack.call('POST', '/v1/agreement/versions', { as: USERS.admin, body: { text: V2_TEXT, graceDays: 10 } });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, graceDays: 10 });

    const during = await stack.call('GET', '/v1/me', { as: USERS.northwind });
    expect(during.body.agreement).toMatchObject({ state: 'grace', currentVersion: 2, signedVersion: 1, mayAct: true });
    expect((await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata() })).status).toBe(201);

    clock.advanceDays(11);
    const after = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata() });
    expect(after.status).toBe(403);
    expect(after.body.error.code).toBe('agreement_not_signed');
    expect((await stack.call('GET', '/v1/me', { as: USERS.northwind })).body.agreement.state).toBe('outdated');

    // Helios signs v2 and goes on working.
    await stack.call('POST', '/v1/agreement/signatures', { as: USERS.helios, body: { version: 2, sha256: v2.body.sha256 } });
    expect((await stack.call('POST', '/v1/datasets', { as: USERS.helios, body: datasetMetadata() })).status).toBe(201);
  });

  it('blocks a provider that never signed from creating datasets', async () => {
    await stack.call('POST', '/v1/organizations', {
      as: USERS.admin,
      body: { name: 'Unsigned Freight Co', kinds: ['provider'], firstAdmin: { email: 'ops@unsigned.example', name: 'Ops' } },
    });
    const response = await stack.call('POST', '/v1/datasets', { as: 'ops@unsigned.example', body: datasetMetadata() });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('agreement_not_signed');
  });
});
