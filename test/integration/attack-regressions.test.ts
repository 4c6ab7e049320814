import { beforeAll, describe, expect, it } from 'vitest';
import { publishedDataset as publishDataset } from '../support/catalog-flow';
import { datasetMetadata } from '../support/fixtures';
import { proposalFields, submitProposal } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

/**
 * The flaws the outside attack on the local stack found (issue 12), each replayed as the attack
 * ran it. The malformed-input, upload, outage and fuzz classes have files of their own.
 */

let stack: TestStack;
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));
const period = { startDate: '2026-06-01', endDate: '2026-08-31' };

beforeAll(async () => {
  stack = await createTestStack({ clock });
});

const publishedDataset = (overrides: Record<string, unknown> = {}) => publishDataset(stack, overrides);

const grantsOfProposal = async (proposalId: string) =>
  (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.filter((g: any) => g.proposalId === proposalId);

describe('flaw 1: an approval racing the retirement of its dataset', () => {
  it('leaves no usable grant on a retired dataset, in any of 20 rounds of four approvals against one retirement', async () => {
    const outcomes = { approved: 0, refused: 0 };
    const codes: Record<string, number> = {};
    for (let round = 0; round < 20; round++) {
      const dataset = await publishedDataset({ title: `Race round ${round}` });
      const proposals = [];
      for (let n = 0; n < 4; n++) proposals.push(await submitProposal(stack, proposalFields([dataset.id], period, { title: `Race ${round}.${n}` })));

      // The retirement leaves a little later each round, so it lands before, among and after the approvals' reads.
      const [retired, ...approvals] = await Promise.all([
        new Promise((resolve) => setTimeout(resolve, (round % 10) * 3)).then(() =>
          stack.call('POST', `/v1/datasets/${dataset.id}/retire`, { as: USERS.northwind, body: { reason: 'Withdrawn during the race test.' } }),
        ),
        ...proposals.map((p) => stack.call('POST', `/v1/proposals/${p.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } })),
      ]);
      expect(retired!.status, JSON.stringify(retired!.body)).toBe(200);

      for (const [n, approval] of approvals.entries()) {
        // Either the approval committed before the retirement (and its grant was revoked), or it was refused whole.
        expect([200, 409], JSON.stringify(approval.body)).toContain(approval.status);
        const grants = await grantsOfProposal(proposals[n]!.id);
        if (approval.status === 409) {
          outcomes.refused++;
          codes[approval.body.error.code] = (codes[approval.body.error.code] ?? 0) + 1;
          expect(grants).toEqual([]);
          continue;
        }
        outcomes.approved++;
        for (const grant of grants) {
          expect(grant.state, `round ${round}, proposal ${n}`).toBe('revoked');
          const [file] = (await stack.call('GET', `/v1/grants/${grant.id}/files`, { as: USERS.andes })).body.items;
          const mint = await stack.call('POST', `/v1/grants/${grant.id}/downloads`, { as: USERS.andes, body: { fileId: file.id } });
          expect(mint.status).toBe(403);
        }
      }
    }
    console.log(`retirement race: ${outcomes.approved} approvals landed before the retirement, ${outcomes.refused} were refused (${JSON.stringify(codes)})`);
    expect(outcomes.approved + outcomes.refused).toBe(80);
  }, 240_000);

  it('refuses every mint once the dataset is retired, even on a grant the retirement did not revoke', async () => {
    const dataset = await publishedDataset({ title: 'Retired under a running grant' });
    const proposal = await submitProposal(stack, proposalFields([dataset.id], period));
    await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    const [grant] = await grantsOfProposal(proposal.id);
    // A retirement that committed and then failed before revoking: the write alone, through the repository.
    const stored = (await stack.deps.datasets.get(dataset.id))!;
    await stack.deps.datasets.retire(stored, clock.now().toISOString(), 'Half-finished retirement');
    clock.set('2026-06-02T09:00:00Z');
    const [file] = (await stack.call('GET', `/v1/grants/${grant.id}/files`, { as: USERS.andes })).body.items;
    const mint = await stack.call('POST', `/v1/grants/${grant.id}/downloads`, { as: USERS.andes, body: { fileId: file.id } });
    expect(mint.status).toBe(403);
    expect(mint.body.error.code).toBe('dataset_retired');

    // The provider retries the retirement: no 409, and the revocation is completed.
    const retry = await stack.call('POST', `/v1/datasets/${dataset.id}/retire`, { as: USERS.northwind, body: { reason: 'Withdrawn, second attempt.' } });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.retiredReason).toBe('Half-finished retirement');
    expect((await stack.call('GET', `/v1/grants/${grant.id}`, { as: USERS.andes })).body.state).toBe('revoked');
    clock.set('2026-05-10T09:00:00Z');
  });

  it('refuses an approval whose dataset got a new version after it was read', async () => {
    const dataset = await publishedDataset({ title: 'Republished meanwhile' });
    const proposal = await submitProposal(stack, proposalFields([dataset.id], period));
    const stored = (await stack.deps.datasets.get(dataset.id))!;
    const check = stack.deps.datasets.offeredAt(dataset.id, stored.publishedVersion! + 1);
    // The check a stale read would send: the approval's transaction is cancelled, nothing is written.
    await expect(stack.deps.proposals.save({ ...proposal, state: 'approved', revision: proposal.revision + 1 } as any, proposal as any, [], { writes: [check] })).rejects.toMatchObject({
      code: 'dataset_changed',
    });
    expect((await stack.call('GET', `/v1/proposals/${proposal.id}`, { as: USERS.andes })).body.state).toBe('submitted');
  });
});

describe('flaw 3: renewal within the dataset\'s maxGrantDays', () => {
  it('refuses to renew a grant on a 30-day dataset beyond 30 days from its start, as submission does', async () => {
    const dataset = await publishedDataset({ title: 'Thirty-day data', maxGrantDays: 30 });
    const tooLong = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: proposalFields([dataset.id], { startDate: '2026-06-01', endDate: '2026-08-30' }) });
    const refusedSubmit = await stack.call('POST', `/v1/proposals/${tooLong.body.id}/submit`, { as: USERS.andes });
    expect(refusedSubmit.status).toBe(400);

    const proposal = await submitProposal(stack, proposalFields([dataset.id], { startDate: '2026-06-01', endDate: '2026-06-21' }));
    await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    const [grant] = await grantsOfProposal(proposal.id);
    const renew = (endDate: string) => stack.call('POST', `/v1/grants/${grant.id}/renewals`, { as: USERS.andes, body: { endDate, reason: 'The analysis needs more time.' } });
    const yearLong = await renew('2027-05-31');
    expect(yearLong.status).toBe(400);
    expect(yearLong.body.error.details).toMatchObject({ field: 'endDate', maxDays: 30 });
    expect((await renew('2026-07-01')).status).toBe(201); // exactly 30 days from the start
  });
});

describe('flaw 9: periods already past', () => {
  it('refuses to submit a proposal whose period has ended', async () => {
    const dataset = await publishedDataset({ title: 'For a past period' });
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: proposalFields([dataset.id], { startDate: '2026-01-01', endDate: '2026-03-31' }) });
    const submitted = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    expect(submitted.status).toBe(400);
    expect(submitted.body.error.details.field).toBe('endDate');
  });

  it('refuses to approve once the period has ended, so no grant is born expired', async () => {
    const dataset = await publishedDataset({ title: 'Approved too late' });
    const proposal = await submitProposal(stack, proposalFields([dataset.id], { startDate: '2026-05-15', endDate: '2026-05-31' }));
    clock.set('2026-06-05T09:00:00Z');
    const approval = await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    expect(approval.status).toBe(409);
    expect(approval.body.error.code).toBe('period_ended');
    expect(await grantsOfProposal(proposal.id)).toEqual([]);
    clock.set('2026-05-10T09:00:00Z');
  });

  it('starts the grant on the day of approval when the start date already passed', async () => {
    const dataset = await publishedDataset({ title: 'Approved after its start' });
    const proposal = await submitProposal(stack, proposalFields([dataset.id], { startDate: '2026-05-12', endDate: '2026-07-31' }));
    clock.set('2026-05-20T09:00:00Z');
    const approval = await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    expect(approval.body.state).toBe('approved');
    const [grant] = await grantsOfProposal(proposal.id);
    expect(grant).toMatchObject({ startDate: '2026-05-20', endDate: '2026-07-31' });
    clock.set('2026-05-10T09:00:00Z');
  });
});

describe('flaw 5: an Idempotency-Key belongs to one user and one route', () => {
  const COLLEAGUE = 'economist@andes-bank.example';

  it('does not replay one user\'s response to another user of the same organisation', async () => {
    const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
    await stack.call('POST', `/v1/organizations/${andes}/members`, { as: USERS.andes, body: { email: COLLEAGUE, name: 'Economist', roles: ['member'] } });
    const body = { title: 'A draft sent twice' };
    const headers = { 'idempotency-key': 'shared-key-1' };
    const first = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body, headers });
    const second = await stack.call('POST', '/v1/proposals', { as: COLLEAGUE, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.createdBy).toBe(COLLEAGUE);
  });

  it('keeps the same key on another route apart, and answers 422 to the same key with another body', async () => {
    const headers = { 'idempotency-key': 'route-key-1' };
    const dataset = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata({ title: 'Route-scoped key' }), headers });
    const proposal = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { title: 'A draft with a reused key' }, headers });
    expect(dataset.status).toBe(201);
    expect(proposal.status).toBe(201);
    const other = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata({ title: 'Another body' }), headers });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });
});

describe('flaw 6: links are http or https only', () => {
  it('refuses a javascript: output link in a closure report, naming the field', async () => {
    const grant = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items[0];
    const closure = await stack.call('POST', `/v1/grants/${grant.id}/closure`, {
      as: USERS.andes,
      body: { outcomeReport: { outputs: [{ title: 'Brief', url: 'javascript:alert(document.domain)' }], indicators: [], publicSummary: 'What the project found, for the public.' } },
    });
    expect(closure.status).toBe(400);
    expect(closure.body.error.details.field).toBe('outcomeReport.outputs.0.url');
  });
});

describe('flaw 7: security headers, and public links from configuration', () => {
  const expectSecure = (headers: Headers) => {
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  };

  it('sends them with every API answer: success, error, unknown route', async () => {
    for (const [path, as] of [['/v1/me', USERS.andes], ['/v1/me', undefined], ['/v1/no-such-route', USERS.andes], ['/health', undefined]] as const) {
      const response = await stack.call('GET', path, { as });
      expectSecure(response.headers);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('strict-transport-security')).toBeNull(); // plain HTTP locally
    }
  });

  it('adds HSTS when the request came over HTTPS', async () => {
    const response = await stack.app.request('https://accord.example/health');
    expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });

  it('gives the reference page a policy with no inline script, its stylesheet allowed by hash', async () => {
    const docs = await stack.app.request('/docs');
    expectSecure(docs.headers);
    const csp = docs.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it('builds the DCAT document\'s links from configuration, never from the Host header', async () => {
    const response = await stack.app.request('http://attacker.example/v1/public/catalog.jsonld', { headers: { host: 'attacker.example' } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('attacker.example');
    expect(JSON.parse(text)['dcat:dataset'][0]['@id']).toMatch(/^\/v1\/public\/datasets\//);
  });
});
