import { beforeAll, describe, expect, it } from 'vitest';
import { publishedDataset } from '../support/catalog-flow';
import { proposalFields, submitProposal } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

/** Issue 13, point 6: governance that is exercised end to end. */

let stack: TestStack;
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));
const period = { startDate: '2026-06-01', endDate: '2026-08-31' };
const SECOND_ADMIN = 'second.admin@secretariat.example';

beforeAll(async () => {
  stack = await createTestStack({ clock });
});

const review = (proposalId: string, as: string, body: Record<string, unknown>) => stack.call('POST', `/v1/proposals/${proposalId}/reviews`, { as, body });

describe('a quorum of two admin approvals', () => {
  it('approves only once a second, different admin approves, and issues the grants then', async () => {
    const secretariat = (await stack.call('GET', '/v1/me', { as: USERS.admin })).body.organization.id;
    const added = await stack.call('POST', `/v1/organizations/${secretariat}/members`, { as: USERS.admin, body: { email: SECOND_ADMIN, name: 'Second Admin', roles: ['consortium-admin'] } });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const settings = { adminApprovalsRequired: 2, providerResponseDays: 30, maxGrantDays: 365, closureDeadlineDays: 30, agreementGraceDays: 30 };
    expect((await stack.call('PUT', '/v1/governance', { as: USERS.admin, body: settings })).status).toBe(200);

    const dataset = await publishedDataset(stack, { title: 'Quorum data' });
    const proposal = await submitProposal(stack, proposalFields([dataset.id], period));
    const first = await review(proposal.id, USERS.admin, { decision: 'approve', conditions: ['Aggregate to districts.'] });
    expect(first.body).toMatchObject({ state: 'in_review', adminApprovals: [{ by: USERS.admin }] });
    expect((await review(proposal.id, USERS.admin, { decision: 'approve' })).body.error.code).toBe('already_approved');
    const grantsBefore = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.filter((g: any) => g.proposalId === proposal.id);
    expect(grantsBefore).toEqual([]);

    const second = await review(proposal.id, SECOND_ADMIN, { decision: 'approve', conditions: ['Publish no maps below district level.'] });
    expect(second.body).toMatchObject({ state: 'approved', conditions: ['Aggregate to districts.', 'Publish no maps below district level.'] });
    const [grant] = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.filter((g: any) => g.proposalId === proposal.id);
    expect(grant).toMatchObject({ state: 'active', conditions: ['Aggregate to districts.', 'Publish no maps below district level.'] });
    const timeline = (await stack.call('GET', `/v1/proposals/${proposal.id}/timeline`, { as: USERS.andes })).body.items.map((e: any) => `${e.kind} by ${e.by}`);
    expect(timeline).toEqual(expect.arrayContaining([`admin_approved by ${USERS.admin}`, `admin_approved by ${SECOND_ADMIN}`, 'approved by system']));

    await stack.call('PUT', '/v1/governance', { as: USERS.admin, body: { ...settings, adminApprovalsRequired: 1 } });
  });
});

describe('an organisation that is both member and provider', () => {
  const BOTH = 'data@both-ways.example';

  it('does not wait on its own consent when it asks for its own dataset, and the proposal says so', async () => {
    const admitted = await stack.call('POST', '/v1/organizations', {
      as: USERS.admin,
      body: { name: 'Both Ways Cooperative', kinds: ['member', 'provider'], firstAdmin: { email: BOTH, name: 'Bea Both' } },
    });
    expect(admitted.status, JSON.stringify(admitted.body)).toBe(201);
    const agreement = (await stack.call('GET', '/v1/agreement', { as: BOTH })).body;
    expect((await stack.call('POST', '/v1/agreement/signatures', { as: BOTH, body: { version: agreement.version, sha256: agreement.sha256 } })).status).toBe(201);
    const own = await publishedDataset(stack, { title: 'Cooperative deliveries', consentRequired: true }, BOTH);

    const draft = await stack.call('POST', '/v1/proposals', { as: BOTH, body: proposalFields([own.id], period, { team: [BOTH] }) });
    const submitted = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: BOTH });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.consents).toEqual([
      expect.objectContaining({ datasetId: own.id, state: 'not_required', by: 'system', reason: expect.stringMatching(/provides this dataset/) }),
    ]);
    const approved = await review(draft.body.id, USERS.admin, { decision: 'approve' });
    expect(approved.body.state).toBe('approved');
  });
});

describe('a provider\'s conditions of consent', () => {
  it('reach the grant on its dataset, after the admins\' own, and only that grant', async () => {
    const withConsent = await publishedDataset(stack, { title: 'Conditional data', consentRequired: true });
    const without = await publishedDataset(stack, { title: 'Unconditional data' });
    const proposal = await submitProposal(stack, proposalFields([withConsent.id, without.id], period));
    const consent = await review(proposal.id, USERS.northwind, { decision: 'consent', datasetIds: [withConsent.id], conditions: ['Report results at district level only.'] });
    expect(consent.status, JSON.stringify(consent.body)).toBe(200);
    expect(consent.body.consents.find((c: any) => c.datasetId === withConsent.id)).toMatchObject({ state: 'consented', conditions: ['Report results at district level only.'] });
    expect((await review(proposal.id, USERS.northwind, { decision: 'decline', datasetIds: [without.id], text: 'No.', conditions: ['x y z w v'] })).status).toBe(400);
    const approved = await review(proposal.id, USERS.admin, { decision: 'approve', conditions: ['Publish the code.'] });
    expect(approved.body.state).toBe('approved');
    const grants = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.filter((g: any) => g.proposalId === proposal.id);
    expect(grants.find((g: any) => g.datasetId === withConsent.id).conditions).toEqual(['Publish the code.', 'Report results at district level only.']);
    expect(grants.find((g: any) => g.datasetId === without.id).conditions).toEqual(['Publish the code.']);
  });
});
