import { beforeAll, describe, expect, it } from 'vitest';
import { runConsentDeadlines } from '../../functions/jobs/consent-deadlines';
import { catalogIds, proposalFields, submitProposal, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

/** Issue 13, point 2: nothing waits forever on a provider's consent. */

let stack: TestStack;
let ids: Record<string, string>;
let proposal: { id: string };
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));
const settings = { adminApprovalsRequired: 1, providerResponseDays: 10, maxGrantDays: 365, closureDeadlineDays: 30, agreementGraceDays: 30, providerReminderDays: [7, 2] };

beforeAll(async () => {
  stack = await createTestStack({ clock });
  ids = await catalogIds(stack);
  expect((await stack.call('PUT', '/v1/governance', { as: USERS.admin, body: settings })).status).toBe(200);
  // Helios must consent for its population data, Northwind for its origin-destination matrix; the window closes 2026-05-20 09:00.
  proposal = await submitProposal(stack, proposalFields([ids[TITLES.population]!, ids[TITLES.od]!], { startDate: '2026-07-01', endDate: '2026-09-30' }));
  await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
});

const run = () => runConsentDeadlines(stack.deps);
const inbox = async (as: string) => (await stack.call('GET', '/v1/notifications?limit=100', { as })).body.items.filter((n: any) => n.subject.id === proposal.id);
const timeline = async (as: string) => (await stack.call('GET', `/v1/proposals/${proposal.id}/timeline`, { as })).body.items.map((e: any) => e.kind);
const decide = (body: Record<string, unknown>) => stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body });
const chainActions = async () => (await stack.deps.audit.readChain()).events.filter((e) => e.entity.id === proposal.id).map((e) => e.action);

describe('a consent nobody answers', () => {
  it('reminds each provider on the governance\'s days before its window closes, once each', async () => {
    expect(await run()).toMatchObject({ reminded: 0, escalated: 0 });
    clock.set('2026-05-13T10:00:00Z'); // 6.96 days left
    expect(await run()).toMatchObject({ reminded: 2, escalated: 0 });
    expect(await run()).toMatchObject({ reminded: 0 });
    expect((await inbox(USERS.helios)).filter((n: any) => n.kind === 'consent_reminder')).toHaveLength(1);
    clock.set('2026-05-18T10:00:00Z'); // 1.96 days left
    expect(await run()).toMatchObject({ reminded: 2 });
    expect((await inbox(USERS.northwind)).filter((n: any) => n.kind === 'consent_reminder')).toHaveLength(2);
    // Each provider reads only its own reminders on the timeline; the authors read them all.
    expect((await timeline(USERS.helios)).filter((k: string) => k === 'consent_reminder')).toHaveLength(2);
    expect((await timeline(USERS.andes)).filter((k: string) => k === 'consent_reminder')).toHaveLength(4);
  });

  it('lets the secretariat decide for the provider only once the window has closed', async () => {
    const early = await decide({ decision: 'drop_dataset', datasetIds: [ids[TITLES.od]], text: 'No answer from the provider.' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('window_open');
  });

  it('tells the admins once when the window closes, and flags the proposal overdue', async () => {
    clock.set('2026-05-20T10:00:00Z');
    expect(await run()).toMatchObject({ escalated: 2 });
    expect(await run()).toMatchObject({ escalated: 0, reminded: 0 });
    expect((await inbox(USERS.admin)).filter((n: any) => n.kind === 'consent_overdue')).toHaveLength(2);
    expect((await stack.call('GET', `/v1/proposals/${proposal.id}`, { as: USERS.admin })).body.overdue).toBe(true);
    expect(await timeline(USERS.andes)).toContain('consent_overdue');
  });

  it('extends one provider\'s window, records the other\'s consent with a reason, then drops the dataset still unanswered, which completes the approval', async () => {
    const extended = await decide({ decision: 'extend_window', datasetIds: [ids[TITLES.od]], days: 5 });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    expect(extended.body.consents.find((c: any) => c.datasetId === ids[TITLES.od])).toMatchObject({ state: 'pending', respondBy: '2026-05-25T10:00:00.000Z' });
    expect((await decide({ decision: 'drop_dataset', datasetIds: [ids[TITLES.od]], text: 'No answer from the provider.' })).body.error.code).toBe('window_open');

    const recorded = await decide({ decision: 'consent_for_provider', datasetIds: [ids[TITLES.population]], text: 'Helios consented by letter of 19 May.' });
    expect(recorded.body.consents.find((c: any) => c.datasetId === ids[TITLES.population])).toMatchObject({
      state: 'consented', by: USERS.admin, reason: 'Helios consented by letter of 19 May.', recordedByAdmin: true,
    });
    expect(recorded.body.state).toBe('in_review');

    clock.set('2026-05-25T11:00:00Z');
    expect(await run()).toMatchObject({ escalated: 1 });
    const dropped = await decide({ decision: 'drop_dataset', datasetIds: [ids[TITLES.od]], text: 'Still no answer after the extension.' });
    expect(dropped.body.state).toBe('approved');
    expect(dropped.body.consents.find((c: any) => c.datasetId === ids[TITLES.od])).toMatchObject({ state: 'dropped', by: USERS.admin });
    const grants = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.filter((g: any) => g.proposalId === proposal.id);
    expect(grants.map((g: any) => g.datasetId)).toEqual([ids[TITLES.population]]);

    expect(await chainActions()).toEqual(expect.arrayContaining([
      'proposal.consent_reminder', 'proposal.consent_overdue', 'proposal.extend_window', 'proposal.consent_for_provider', 'proposal.drop_dataset', 'proposal.approved',
    ]));
    expect(await timeline(USERS.andes)).toEqual(expect.arrayContaining(['extend_window', 'consent_for_provider', 'drop_dataset', 'approved']));
  });

  it('is for consortium admins only', async () => {
    const byProvider = await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.northwind, body: { decision: 'extend_window', datasetIds: [ids[TITLES.od]], days: 3 } });
    expect(byProvider.status).toBe(403);
  });
});
