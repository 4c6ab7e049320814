import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { datasetMetadata } from '../support/fixtures';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

let stack: TestStack;
const clock = new TestClock(Date.parse('2026-03-01T09:00:00Z'));
const catalog: Record<string, { id: string; provider: string; consentRequired: boolean }> = {};

beforeAll(async () => {
  stack = await createTestStack({ clock });
  const listed = await stack.call('GET', '/v1/datasets?limit=100', { as: USERS.andes });
  for (const d of listed.body.items) catalog[d.metadata.title] = { id: d.id, provider: d.providerName, consentRequired: d.metadata.consentRequired };
});

const OD = () => catalog['Urban trip origin-destination matrix']!.id; // Northwind, consent required
const RIDERSHIP = () => catalog['Public transit ridership by stop']!.id; // Northwind, no consent
const POPULATION = () => catalog['Mobile network present population estimates']!.id; // Helios, consent required

const fields = (datasetIds: string[] = [OD(), POPULATION()]) => ({
  title: 'Commuting and heat exposure',
  purpose: { category: 'climate-environment' },
  problem: 'Heat waves hit commuters who travel long distances in the afternoon.',
  methods: 'Join district trip flows with present population by time of day to map exposure.',
  datasets: datasetIds.map((datasetId) => ({ datasetId, justification: 'Needed to know who travels where and when during heat waves.' })),
  startDate: '2026-04-01',
  endDate: '2026-09-15',
  team: [USERS.andes],
  expectedOutputs: 'A district heat-exposure index and a policy brief.',
  publicBenefit: 'Better targeted cooling centres and transit schedules.',
  impactIndicators: ['Cooling centres relocated', 'Heat-related ER visits among commuters'],
  confirmations: { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true },
  listInPublicRegister: true,
});

async function submitted(datasetIds?: string[]) {
  const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: fields(datasetIds) });
  expect(draft.status).toBe(201);
  const submit = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
  expect(submit.status).toBe(200);
  return submit.body;
}

const review = (id: string, as: string, body: unknown) => stack.call('POST', `/v1/proposals/${id}/reviews`, { as, body });

describe('drafting a proposal', () => {
  it('saves an incomplete draft and says what is missing on submit', async () => {
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { title: 'Half a proposal' } });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ state: 'draft', revision: 1 });
    const submit = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    expect(submit.status).toBe(400);
    expect(submit.body.error.details.field).toBe('purpose');
    expect(submit.body.error.details.missing.map((m: any) => m.field)).toEqual(expect.arrayContaining(['problem', 'datasets', 'team']));
  });

  it('is edited only by its organisation, with If-Match, and is invisible to everyone else', async () => {
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { title: 'Private draft' } });
    const edited = await stack.call('PATCH', `/v1/proposals/${draft.body.id}`, { as: USERS.andes, body: { problem: 'A problem stated at length here.' }, headers: { 'if-match': '"1"' } });
    expect(edited.status).toBe(200);
    const stale = await stack.call('PATCH', `/v1/proposals/${draft.body.id}`, { as: USERS.andes, body: { title: 'Stale edit' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    for (const other of [USERS.admin, USERS.northwind, USERS.helios, USERS.civic]) {
      expect((await stack.call('GET', `/v1/proposals/${draft.body.id}`, { as: other })).status).toBe(404);
    }
  });

  it('names the field of a justification shorter than a sentence and an "other" purpose without reason', async () => {
    const short = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { title: 'Short', datasets: [{ datasetId: OD(), justification: 'need it' }] } });
    expect(short.body.error.details.field).toBe('datasets.0.justification');
    const other = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { title: 'Other purpose', purpose: { category: 'other' } } });
    expect(other.body.error.details.field).toBe('purpose.otherReason');
  });

  it('is refused to an organisation that has not signed, and to providers', async () => {
    const civic = await stack.call('POST', '/v1/proposals', { as: USERS.civic, body: { title: 'Civic idea' } });
    expect(civic.status).toBe(403);
    expect(civic.body.error.code).toBe('agreement_not_signed');
    expect((await stack.call('POST', '/v1/proposals', { as: USERS.northwind, body: { title: 'Provider idea' } })).status).toBe(403);
  });

  it('refuses a period longer than the datasets allow', async () => {
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { ...fields(), endDate: '2027-03-01' } });
    const submit = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    expect(submit.status).toBe(400);
    expect(submit.body.error).toMatchObject({ details: { field: 'endDate', maxDays: 180 } });
  });

  it('refuses a team member from another organisation', async () => {
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { ...fields(), team: [USERS.civic] } });
    const submit = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    expect(submit.body.error.details.field).toBe('team.0');
  });
});

describe('submission', () => {
  it('freezes the agreement version and each dataset\'s metadata, and tells reviewers what changed since', async () => {
    const proposal = await submitted();
    expect(proposal).toMatchObject({ state: 'submitted', agreementVersion: 1 });
    expect(proposal.snapshots.map((s: any) => s.title)).toEqual(['Urban trip origin-destination matrix', 'Mobile network present population estimates']);
    const dataset = await stack.call('GET', `/v1/datasets/${OD()}`, { as: USERS.northwind });
    await stack.call('PATCH', `/v1/datasets/${OD()}`, { as: USERS.northwind, body: { description: 'Changed after the proposal was submitted.' }, headers: { 'if-match': `"${dataset.body.revision}"` } });
    const seen = await stack.call('GET', `/v1/proposals/${proposal.id}`, { as: USERS.admin });
    expect(seen.body.snapshots[0].metadataVersion).toBe(dataset.body.metadataVersion);
    expect(seen.body.changedSinceSubmission).toEqual([OD()]);
  });

  it('submits once when retried with the same Idempotency-Key', async () => {
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: fields() });
    const headers = { 'idempotency-key': `submit-${draft.body.id}` };
    const first = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes, headers });
    const retry = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes, headers });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.revision).toBe(first.body.revision);
    const timeline = await stack.call('GET', `/v1/proposals/${draft.body.id}/timeline`, { as: USERS.andes });
    expect(timeline.body.items.filter((e: any) => e.kind === 'submitted')).toHaveLength(1);
    const again = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'invalid_transition', details: { state: 'submitted' } });
  });

  /** An obligation item as the gate reads it, written straight to the table, due `daysAgo` days before now. */
  async function putObligation(orgId: string, daysAgo: number, id: string, state: 'open' | 'fulfilled', kind = 'deletion_attestation') {
    const due = new Date(clock.now().getTime() - daysAgo * 86_400_000).toISOString();
    const item = { ...keys.obligation(orgId, due, id), type: 'obligation', state, kind, dueAt: due };
    await stack.deps.db.doc.send(new PutCommand({ TableName: stack.tableName, Item: item }));
  }

  it('is blocked while the organisation has an overdue obligation', async () => {
    const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: fields() });
    await putObligation(andes, 1, 'test-obligation', 'open');
    const blocked = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('obligations_overdue');
    await putObligation(andes, 1, 'test-obligation', 'fulfilled');
    expect((await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes })).status).toBe(200);
  });

  it('is blocked by an overdue obligation however many fulfilled ones fell due before it', async () => {
    // Fulfilled obligation items as an earlier version left them (now a fulfilled one is removed):
    // a gate that read one page of 50 and then filtered would miss the open one after them.
    const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: fields() });
    for (let i = 0; i < 120; i++) await putObligation(andes, 200 - i, `fulfilled-${i}`, 'fulfilled', 'outcome_report');
    await putObligation(andes, 1, 'late-one', 'open');
    const blocked = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('obligations_overdue');
    await putObligation(andes, 1, 'late-one', 'fulfilled');
    expect((await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes })).status).toBe(200);
  });
});

describe('review', () => {
  it('approves when the admin approves and every consent-required provider consents', async () => {
    const proposal = await submitted();
    const approved = await review(proposal.id, USERS.admin, { decision: 'approve', conditions: ['Publish only district-level aggregates.'] });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('in_review');
    expect((await review(proposal.id, USERS.northwind, { decision: 'consent' })).body.state).toBe('in_review');
    const last = await review(proposal.id, USERS.helios, { decision: 'consent', text: 'Fine with aggregates.' });
    expect(last.body).toMatchObject({ state: 'approved', conditions: ['Publish only district-level aggregates.'] });
    const timeline = await stack.call('GET', `/v1/proposals/${proposal.id}/timeline`, { as: USERS.andes });
    expect(timeline.body.items.map((e: any) => e.kind)).toEqual(['created', 'submitted', 'admin_approved', 'consented', 'consented', 'approved']);
    expect(timeline.body.items[2]).toMatchObject({ by: USERS.admin, orgName: 'Accord Secretariat' });
  });

  it('shows providers only their own part and never another provider\'s answer', async () => {
    const proposal = await submitted();
    await review(proposal.id, USERS.helios, { decision: 'decline', text: 'Population data is not available for this purpose.' });
    const seen = await stack.call('GET', `/v1/proposals/${proposal.id}`, { as: USERS.northwind });
    expect(seen.body.fields.datasets.map((d: any) => d.datasetId)).toEqual([OD()]);
    expect(seen.body.fields.team).toBeUndefined();
    expect(seen.body.consents.map((c: any) => c.datasetId)).toEqual([OD()]);
    const timeline = await stack.call('GET', `/v1/proposals/${proposal.id}/timeline`, { as: USERS.northwind });
    expect(JSON.stringify(timeline.body)).not.toContain('not available for this purpose');
    const adminView = await stack.call('GET', `/v1/proposals/${proposal.id}/timeline`, { as: USERS.admin });
    expect(JSON.stringify(adminView.body)).toContain('not available for this purpose');
  });

  it('drops a declined dataset and approves the rest; with nothing left it cannot be approved', async () => {
    const partly = await submitted();
    await review(partly.id, USERS.helios, { decision: 'decline', text: 'Not for this use.' });
    await review(partly.id, USERS.northwind, { decision: 'consent' });
    const approved = await review(partly.id, USERS.admin, { decision: 'approve' });
    expect(approved.body.state).toBe('approved');
    expect(approved.body.consents.find((c: any) => c.datasetId === POPULATION()).state).toBe('declined');

    const none = await submitted([POPULATION()]);
    const declined = await review(none.id, USERS.helios, { decision: 'decline', text: 'Not for this use.' });
    expect(declined.body.state).toBe('in_review');
    const refused = await review(none.id, USERS.admin, { decision: 'approve' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('no_datasets_left');
  });

  it('needs no consent for datasets whose provider does not ask for it', async () => {
    const proposal = await submitted([RIDERSHIP()]);
    expect((await review(proposal.id, USERS.admin, { decision: 'approve' })).body.state).toBe('approved');
  });

  it('requires a reason to reject, request changes and decline', async () => {
    const proposal = await submitted();
    for (const [as, decision] of [[USERS.admin, 'reject'], [USERS.admin, 'request_changes'], [USERS.helios, 'decline']] as const) {
      const response = await review(proposal.id, as, { decision });
      expect(response.status).toBe(400);
      expect(response.body.error.details.field).toBe('text');
    }
  });

  it('lets the authors change and resubmit after changes are requested', async () => {
    const proposal = await submitted();
    const sentBack = await review(proposal.id, USERS.admin, { decision: 'request_changes', text: 'Narrow the team and the period.' });
    expect(sentBack.body.state).toBe('changes_requested');
    const edited = await stack.call('PATCH', `/v1/proposals/${proposal.id}`, { as: USERS.andes, body: { endDate: '2026-06-30' }, headers: { 'if-match': `"${sentBack.body.revision}"` } });
    expect(edited.status).toBe(200);
    const resubmitted = await stack.call('POST', `/v1/proposals/${proposal.id}/submit`, { as: USERS.andes });
    expect(resubmitted.body.state).toBe('submitted');
  });

  it('refuses reviews from the proposing organisation, from members and from uninvolved providers', async () => {
    const proposal = await submitted([RIDERSHIP()]);
    const own = await review(proposal.id, USERS.andes, { decision: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('conflict_of_interest');
    expect((await review(proposal.id, USERS.civic, { decision: 'approve' })).status).toBe(404);
    expect((await review(proposal.id, USERS.helios, { decision: 'consent' })).status).toBe(404);
    expect((await review(proposal.id, USERS.northwind, { decision: 'approve' })).status).toBe(403);
  });

  it('flags a proposal overdue to the admin once the provider response window passes', async () => {
    const proposal = await submitted();
    expect((await stack.call('GET', `/v1/proposals/${proposal.id}`, { as: USERS.admin })).body.overdue).toBe(false);
    clock.advanceDays(31);
    expect((await stack.call('GET', `/v1/proposals/${proposal.id}`, { as: USERS.admin })).body.overdue).toBe(true);
    clock.advanceDays(-31);
  });
});

describe('races', () => {
  it('turns twenty concurrent approvals into one decision and nineteen 409s', async () => {
    const proposal = await submitted([RIDERSHIP()]);
    const responses = await Promise.all(Array.from({ length: 20 }, () => review(proposal.id, USERS.admin, { decision: 'approve' })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const timeline = await stack.call('GET', `/v1/proposals/${proposal.id}/timeline`, { as: USERS.admin });
    expect(timeline.body.items.filter((e: any) => e.kind === 'approved')).toHaveLength(1);
  });

  it('ends an approve racing a withdraw in exactly one of the two', async () => {
    for (let round = 0; round < 5; round++) {
      const proposal = await submitted([RIDERSHIP()]);
      const [approve, withdraw] = await Promise.all([
        review(proposal.id, USERS.admin, { decision: 'approve' }),
        stack.call('POST', `/v1/proposals/${proposal.id}/withdraw`, { as: USERS.andes, body: {} }),
      ]);
      expect([approve.status, withdraw.status].sort()).toEqual([200, 409]);
      const final = await stack.call('GET', `/v1/proposals/${proposal.id}`, { as: USERS.andes });
      expect(final.body.state).toBe(approve.status === 200 ? 'approved' : 'withdrawn');
    }
  });
});

describe('lists', () => {
  it('show members their own, providers those asking for their data, admins a queue by age', async () => {
    const proposal = await submitted([POPULATION()]);
    const mine = await stack.call('GET', '/v1/proposals?limit=100', { as: USERS.andes });
    expect(mine.body.items.map((p: any) => p.id)).toContain(proposal.id);
    const helios = await stack.call('GET', '/v1/proposals?limit=100', { as: USERS.helios });
    expect(helios.body.items.map((p: any) => p.id)).toContain(proposal.id);
    const northwind = await stack.call('GET', '/v1/proposals?limit=100', { as: USERS.northwind });
    expect(northwind.body.items.map((p: any) => p.id)).not.toContain(proposal.id);
    const civic = await stack.call('GET', '/v1/proposals?limit=100', { as: USERS.civic });
    expect(civic.body.items).toEqual([]);
    const queue = await stack.call('GET', '/v1/proposals?view=queue&limit=100', { as: USERS.admin });
    const submittedAt = queue.body.items.map((p: any) => p.submittedAt);
    expect(submittedAt).toEqual([...submittedAt].sort());
    expect(queue.body.items.every((p: any) => ['submitted', 'in_review'].includes(p.state))).toBe(true);
    expect((await stack.call('GET', '/v1/proposals?view=queue', { as: USERS.northwind })).status).toBe(403);
    const drafts = await stack.call('GET', '/v1/proposals?state=draft&limit=100', { as: USERS.andes });
    expect(drafts.body.items.every((p: any) => p.state === 'draft')).toBe(true);
  });
});
