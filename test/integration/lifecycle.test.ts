import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { runGrantLifecycle } from '../../functions/jobs/grant-lifecycle';
import { injectFault } from '../support/faults';
import { approvedProposal, catalogIds, issuedWhileRunning, proposalFields, submitProposal, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

let stack: TestStack;
let ids: Record<string, string>;
let andesOrg: string;
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));

beforeAll(async () => {
  stack = await createTestStack({ clock });
  ids = await catalogIds(stack);
  andesOrg = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
});

/** An approved proposal for one dataset; returns its grant as Andes sees it. */
async function grantFor(period: { startDate: string; endDate: string }, title: string = TITLES.ridership, consenters: string[] = []) {
  const proposal = await issuedWhileRunning(clock, period, () => approvedProposal(stack, proposalFields([ids[title]!], period), consenters));
  const list = await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes });
  return list.body.items.find((g: any) => g.proposalId === proposal.id);
}

const get = async (grantId: string, as: string = USERS.andes) => (await stack.call('GET', `/v1/grants/${grantId}`, { as })).body;
const inbox = async (as: string) => (await stack.call('GET', '/v1/notifications?limit=100', { as })).body;
const chain = async () => (await stack.deps.audit.readChain()).events;
const obligationItems = async () =>
  (
    await stack.deps.db.doc.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :o)',
        ExpressionAttributeValues: { ':pk': `ORG#${andesOrg}`, ':o': 'OBLIGATION#' },
      }),
    )
  ).Items ?? [];

const attestation = {
  deletedBy: 'Ana Andes, data steward',
  deletedAt: '2026-05-25T10:00:00Z',
  method: 'Secure erase of the project volume and its snapshots (NIST 800-88 purge).',
  copies: [{ location: 'Analysis server volume' }, { location: 'Encrypted backup', description: 'Nightly backups of the project bucket' }],
  statement: 'Every copy of the granted files was deleted; no derived microdata was kept.',
};
const outcomeReport = {
  outputs: [{ title: 'District heat-exposure index', url: 'https://example.org/index' }],
  indicators: [{ indicator: 'Cooling centres relocated', result: '4 of 12 centres moved to high-exposure districts' }],
  publicSummary: 'Trip flows showed where commuters wait in the heat; four cooling centres moved there.',
};

describe('the lifecycle job', () => {
  it('marks a grant past its end expired, opens its closure obligations and tells the grantee', async () => {
    const grant = await grantFor({ startDate: '2026-05-01', endDate: '2026-05-20' });
    clock.set('2026-05-21T00:01:00Z');
    const report = await runGrantLifecycle(stack.deps);
    expect(report.expired).toBeGreaterThanOrEqual(1);
    const stored = await stack.deps.grants.get(grant.id);
    expect(stored).toMatchObject({ state: 'expired', endedAt: '2026-05-21T00:00:00.000Z' });
    expect(stored!.obligations.map((o) => [o.kind, o.state, o.dueAt])).toEqual([
      ['deletion_attestation', 'open', '2026-06-20T00:00:00.000Z'],
      ['outcome_report', 'open', '2026-06-20T00:00:00.000Z'],
    ]);
    const items = (await obligationItems()).filter((i) => i.grantId === grant.id);
    expect(items.map((i) => i.state)).toEqual(['open', 'open']);
    expect(items[0]!.SK).toBe(`OBLIGATION#2026-06-20T00:00:00.000Z#${items[0]!.id}`);
    expect((await chain()).some((e) => e.action === 'grant.expired' && e.entity.id === grant.id && e.actor.email === 'system')).toBe(true);
    const kinds = (await inbox(USERS.andes)).items.filter((n: any) => n.subject.id === grant.id).map((n: any) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['grant_expired', 'obligation_due']));
    // A second run finds nothing more to do for it.
    await runGrantLifecycle(stack.deps);
    expect((await stack.deps.grants.get(grant.id))!.revision).toBe(stored!.revision);
  });

  it('reminds the grantee 14 and 3 days before the end, each once', async () => {
    clock.set('2026-05-21T09:00:00Z');
    const grant = await grantFor({ startDate: '2026-05-01', endDate: '2026-06-30' });
    const expiring = async () => (await inbox(USERS.andes)).items.filter((n: any) => n.subject.id === grant.id && n.kind === 'grant_expiring');
    clock.set('2026-06-17T08:00:00Z');
    await runGrantLifecycle(stack.deps);
    await runGrantLifecycle(stack.deps);
    expect((await expiring()).map((n: any) => n.title)).toEqual([`Access to ${TITLES.ridership} ends in 14 days`]);
    clock.set('2026-06-28T08:00:00Z');
    await runGrantLifecycle(stack.deps);
    await runGrantLifecycle(stack.deps);
    expect(await expiring()).toHaveLength(2);
    expect((await stack.deps.grants.get(grant.id))!.remindersSent).toEqual([14, 3]);
  });
});

describe('closure', () => {
  it('takes an attestation and a report, then closes; the provider reads the report for its data', async () => {
    clock.set('2026-05-10T09:00:00Z');
    const grant = await grantFor({ startDate: '2026-05-01', endDate: '2026-05-20' });
    const path = `/v1/grants/${grant.id}/closure`;
    expect((await stack.call('POST', path, { as: USERS.andes, body: { attestation } })).body.error.code).toBe('grant_not_ended');
    clock.set('2026-05-25T12:00:00Z');
    // The job has not run: the closure ends the grant in the same write.
    const first = await stack.call('POST', path, { as: USERS.andes, body: { attestation } });
    expect(first.status).toBe(200);
    expect(first.body.state).toBe('expired');
    expect(first.body.obligations.map((o: any) => [o.kind, o.state])).toEqual([['deletion_attestation', 'fulfilled'], ['outcome_report', 'open']]);
    expect((await stack.call('POST', path, { as: USERS.andes, body: { attestation } })).body.error.code).toBe('already_submitted');
    const second = await stack.call('POST', path, { as: USERS.andes, body: { outcomeReport } });
    expect(second.body).toMatchObject({ state: 'closed', closedAt: '2026-05-25T12:00:00.000Z' });
    const provider = await get(grant.id, USERS.northwind);
    expect(provider.outcomeReport).toMatchObject({ publicSummary: outcomeReport.publicSummary, submittedBy: USERS.andes });
    expect(provider.attestation).toMatchObject({ method: attestation.method });
    // The obligations gate's items go with the fulfilment; the grant keeps the record.
    expect((await obligationItems()).filter((i) => i.grantId === grant.id)).toEqual([]);
    const actions = (await chain()).filter((e) => e.entity.id === grant.id).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(['grant.expired', 'grant.closure_submitted', 'grant.closed']);
    expect((await stack.call('POST', path, { as: USERS.andes, body: { outcomeReport } })).status).toBe(409);
  });

  it('validates the attestation and the report, naming the field', async () => {
    const grant = await grantFor({ startDate: '2026-05-01', endDate: '2026-05-20' });
    const path = `/v1/grants/${grant.id}/closure`;
    const empty = await stack.call('POST', path, { as: USERS.andes, body: {} });
    expect(empty.body.error.details.field).toBe('attestation');
    const noCopies = await stack.call('POST', path, { as: USERS.andes, body: { attestation: { ...attestation, copies: [] } } });
    expect(noCopies.body.error.details.field).toBe('attestation.copies');
    const badLink = await stack.call('POST', path, { as: USERS.andes, body: { outcomeReport: { ...outcomeReport, outputs: [{ title: 'x', url: 'not a link' }] } } });
    expect(badLink.status).toBe(400);
  });

  it('opens the obligations at revocation, and a failed revocation leaves nothing behind', async () => {
    clock.set('2026-05-26T09:00:00Z');
    const grant = await grantFor({ startDate: '2026-05-01', endDate: '2026-08-31' });
    const before = { obligations: (await obligationItems()).length, events: (await chain()).length };
    injectFault(stack.deps.db.doc, 'TransactWriteItemsCommand');
    const failed = await stack.call('POST', `/v1/grants/${grant.id}/revoke`, { as: USERS.admin, body: { reason: 'Revoked during a storage fault.' } });
    expect(failed.status).toBe(503);
    expect((await get(grant.id)).state).toBe('active');
    expect((await obligationItems()).length).toBe(before.obligations);
    expect((await chain()).length).toBe(before.events);
    const revoked = await stack.call('POST', `/v1/grants/${grant.id}/revoke`, { as: USERS.admin, body: { reason: 'The provider withdrew this dataset.' } });
    expect(revoked.body.obligations.map((o: any) => o.dueAt)).toEqual(['2026-06-25T09:00:00.000Z', '2026-06-25T09:00:00.000Z']);
    const closed = await stack.call('POST', `/v1/grants/${grant.id}/closure`, { as: USERS.andes, body: { attestation, outcomeReport } });
    expect(closed.body).toMatchObject({ state: 'closed', revokedReason: 'The provider withdrew this dataset.' });
  });
});

describe('renewal', () => {
  it('moves the end date once the admin approves, with the provider\'s consent where its dataset requires it', async () => {
    clock.set('2026-05-26T09:00:00Z');
    const grant = await grantFor({ startDate: '2026-05-01', endDate: '2026-07-31' }, TITLES.od, [USERS.northwind]);
    const asked = await stack.call('POST', `/v1/grants/${grant.id}/renewals`, { as: USERS.andes, body: { endDate: '2026-08-31', reason: 'The heat season runs late this year.' } });
    expect(asked.status).toBe(201);
    const renewal = asked.body.renewals[0];
    expect(renewal).toMatchObject({ state: 'pending', providerConsent: 'pending', adminDecision: 'pending', fromEndDate: '2026-07-31' });
    expect((await stack.call('POST', `/v1/grants/${grant.id}/renewals`, { as: USERS.andes, body: { endDate: '2026-09-30', reason: 'A second request at once.' } })).body.error.code).toBe('renewal_pending');
    const review = (as: string, body: unknown) => stack.call('POST', `/v1/grants/${grant.id}/renewals/${renewal.id}/reviews`, { as, body });
    const admin = await review(USERS.admin, { decision: 'approve' });
    expect(admin.body).toMatchObject({ endDate: '2026-07-31', renewals: [{ state: 'pending', adminDecision: 'approved' }] });
    const consent = await review(USERS.northwind, { decision: 'consent' });
    expect(consent.body).toMatchObject({ endDate: '2026-08-31', renewals: [{ state: 'approved', providerConsent: 'consented' }] });
    expect((await chain()).some((e) => e.action === 'grant.renewed' && e.entity.id === grant.id && e.details.endDate === '2026-08-31')).toBe(true);
  });

  it('leaves the end date when refused', async () => {
    const grant = await grantFor({ startDate: '2026-05-01', endDate: '2026-07-31' });
    const asked = await stack.call('POST', `/v1/grants/${grant.id}/renewals`, { as: USERS.andes, body: { endDate: '2026-09-30', reason: 'More time for the analysis.' } });
    expect(asked.body.renewals[0].providerConsent).toBe(null);
    const refused = await stack.call('POST', `/v1/grants/${grant.id}/renewals/${asked.body.renewals[0].id}/reviews`, { as: USERS.admin, body: { decision: 'refuse', text: 'The period was already generous.' } });
    expect(refused.body).toMatchObject({ endDate: '2026-07-31', renewals: [{ state: 'refused', decisionText: 'The period was already generous.' }] });
    expect((await stack.call('POST', `/v1/grants/${grant.id}/renewals`, { as: USERS.andes, body: { endDate: '2026-07-01', reason: 'An earlier date than the end.' } })).status).toBe(400);
  });
});

// Last: Andes ends up with overdue obligations, which blocks it.
describe('the obligations gate', () => {
  it('blocks proposals and renewals while an obligation is overdue, announces it once, and lifts once closed', async () => {
    clock.set('2026-05-26T09:00:00Z');
    const running = await grantFor({ startDate: '2026-05-01', endDate: '2026-09-30' });
    const ended = await grantFor({ startDate: '2026-05-01', endDate: '2026-05-25' });
    await runGrantLifecycle(stack.deps);
    clock.set('2026-06-25T00:00:01Z');
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: proposalFields([ids[TITLES.ridership]!], { startDate: '2026-07-01', endDate: '2026-08-01' }) });
    const blocked = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('obligations_overdue');
    const renewal = await stack.call('POST', `/v1/grants/${running.id}/renewals`, { as: USERS.andes, body: { endDate: '2026-10-31', reason: 'We need another month.' } });
    expect(renewal.body.error.code).toBe('obligations_overdue');
    expect((await get(ended.id)).obligations.every((o: any) => o.overdue)).toBe(true);

    await runGrantLifecycle(stack.deps);
    await runGrantLifecycle(stack.deps);
    const overdue = (await inbox(USERS.andes)).items.filter((n: any) => n.kind === 'obligation_overdue' && n.subject.id === ended.id);
    expect(overdue).toHaveLength(1);
    expect((await inbox(USERS.admin)).items.some((n: any) => n.kind === 'obligation_overdue' && n.subject.id === ended.id)).toBe(true);

    // Every late closure is made up; then Andes may submit again.
    for (const grant of (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items) {
      if (grant.obligations.some((o: any) => o.state === 'open' && o.overdue)) {
        const closed = await stack.call('POST', `/v1/grants/${grant.id}/closure`, { as: USERS.andes, body: { attestation, outcomeReport } });
        expect(closed.status).toBe(200);
      }
    }
    const submitted = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    expect(submitted.status).toBe(200);
    // The gate's items went with the closures; the grants keep the fulfilled obligations.
    const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
    const left = await stack.deps.db.doc.send(
      new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :obligation)', ExpressionAttributeValues: { ':pk': `ORG#${andes}`, ':obligation': 'OBLIGATION#' } }),
    );
    expect(left.Items!.filter((item) => item.grantId === ended.id)).toEqual([]);
    expect(left.Items!.every((item) => item.state === 'open')).toBe(true);
    expect((await get(ended.id)).obligations.every((o: any) => o.state === 'fulfilled')).toBe(true);
  });
});

describe('notifications', () => {
  it('counts unread, marks one read once, and keeps each user\'s inbox to themselves', async () => {
    const before = await inbox(USERS.andes);
    expect(before.unread).toBe(before.items.filter((n: any) => !n.read).length);
    const first = before.items.find((n: any) => !n.read);
    const read = await stack.call('POST', `/v1/notifications/${first.id}/read`, { as: USERS.andes });
    expect(read.status).toBe(200);
    expect((await stack.call('POST', `/v1/notifications/${first.id}/read`, { as: USERS.andes })).status).toBe(200);
    const after = await inbox(USERS.andes);
    expect(after.unread).toBe(before.unread - 1);
    expect(after.items.find((n: any) => n.id === first.id).read).toBe(true);
    expect((await stack.call('POST', `/v1/notifications/${first.id}/read`, { as: USERS.civic })).status).toBe(404);
    expect((await stack.call('POST', '/v1/notifications/not-an-id/read', { as: USERS.andes })).status).toBe(400);
  });

  it('tells admins and providers of a submission, and the grantee of its grant', async () => {
    clock.set('2026-07-01T09:00:00Z');
    const proposal = await submitProposal(stack, proposalFields([ids[TITLES.od]!], { startDate: '2026-07-01', endDate: '2026-08-01' }));
    for (const who of [USERS.admin, USERS.northwind]) {
      expect((await inbox(who)).items.some((n: any) => n.kind === 'proposal_submitted' && n.subject.id === proposal.id)).toBe(true);
    }
    expect((await inbox(USERS.helios)).items.some((n: any) => n.subject.id === proposal.id)).toBe(false);
  });
});
