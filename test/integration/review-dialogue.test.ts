import { beforeAll, describe, expect, it } from 'vitest';
import { catalogIds, proposalFields, submitProposal, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

/** Issue 13, point 3: reviewers ask, applicants answer, in the proposal's own thread. */

let stack: TestStack;
let proposal: { id: string; state: string };
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));

beforeAll(async () => {
  stack = await createTestStack({ clock });
  const ids = await catalogIds(stack);
  // Northwind's matrix and Helios' population data, both needing consent.
  proposal = await submitProposal(stack, proposalFields([ids[TITLES.od]!, ids[TITLES.population]!], { startDate: '2026-07-01', endDate: '2026-09-30' }));
});

const review = (as: string, body: Record<string, unknown>) => stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as, body });
const timeline = async (as: string) => (await stack.call('GET', `/v1/proposals/${proposal.id}/timeline`, { as })).body.items;
const inbox = async (as: string, kind: string) => (await stack.call('GET', '/v1/notifications?limit=100', { as })).body.items.filter((n: any) => n.kind === kind && n.subject.id === proposal.id);

describe('a reviewer\'s question', () => {
  let questionId: string;

  it('is asked by a provider without moving the proposal, and reaches the authors', async () => {
    const asked = await review(USERS.northwind, { decision: 'question', text: 'Will trips be reported below district level anywhere?' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body.state).toBe('submitted');
    const entry = (await timeline(USERS.andes)).find((e: any) => e.kind === 'question');
    expect(entry).toMatchObject({ by: USERS.northwind, text: 'Will trips be reported below district level anywhere?' });
    questionId = entry.details.questionId;
    expect(await inbox(USERS.andes, 'proposal_question')).toHaveLength(1);
    // Another provider asked for data does not read Northwind's question.
    expect((await timeline(USERS.helios)).some((e: any) => e.kind === 'question')).toBe(false);
  });

  it('is answered by the authors in the same thread, which only the asker (and admins) read, and the asker is told', async () => {
    const answered = await review(USERS.andes, { decision: 'answer', questionId, text: 'No: every output is aggregated to districts.' });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    const northwind = (await timeline(USERS.northwind)).filter((e: any) => e.details?.questionId === questionId).map((e: any) => e.kind);
    expect(northwind).toEqual(['question', 'answer']);
    expect((await timeline(USERS.helios)).some((e: any) => e.kind === 'answer')).toBe(false);
    expect((await timeline(USERS.admin)).some((e: any) => e.kind === 'answer')).toBe(true);
    expect(await inbox(USERS.northwind, 'proposal_answer')).toHaveLength(1);
    expect((await stack.deps.audit.readChain()).events.filter((e) => e.entity.id === proposal.id).map((e) => e.action)).toEqual(
      expect.arrayContaining(['proposal.question_asked', 'proposal.question_answered']),
    );
  });

  it('sends an admin\'s answer to the consortium admins', async () => {
    await review(USERS.admin, { decision: 'question', text: 'Who on the team holds the data?' });
    const adminQuestion = (await timeline(USERS.andes)).find((e: any) => e.kind === 'question' && e.by === USERS.admin);
    await review(USERS.andes, { decision: 'answer', questionId: adminQuestion.details.questionId, text: 'Only the named analyst.' });
    expect(await inbox(USERS.admin, 'proposal_answer')).toHaveLength(1);
  });

  it('refuses an answer to no question, an answer by a reviewer, and a question by the authors', async () => {
    const unknown = await review(USERS.andes, { decision: 'answer', questionId: '00000000-0000-4000-8000-000000000000', text: 'An answer to nothing.' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.field).toBe('questionId');
    expect((await review(USERS.northwind, { decision: 'answer', questionId, text: 'Answering myself.' })).status).toBe(403);
    expect((await review(USERS.andes, { decision: 'question', text: 'A question to ourselves?' })).body.error.code).toBe('conflict_of_interest');
    expect((await review(USERS.andes, { decision: 'answer', text: 'No question named.' })).body.error.details.field).toBe('questionId');
  });
});
