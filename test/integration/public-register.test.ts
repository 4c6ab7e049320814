import { beforeAll, describe, expect, it } from 'vitest';
import { approvedProposal, catalogIds, proposalFields, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

let stack: TestStack;
let ids: Record<string, string>;
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));
const period = { startDate: '2026-05-01', endDate: '2026-05-31' };

beforeAll(async () => {
  stack = await createTestStack({ clock });
  ids = await catalogIds(stack);
});

const register = async () => (await stack.call('GET', '/v1/public/projects?limit=100')).body;

describe('the public register', () => {
  it('lists an approved project that agreed to be listed, without sign-in, and nothing private', async () => {
    const listed = await approvedProposal(stack, proposalFields([ids[TITLES.ridership]!, ids[TITLES.od]!], period), [USERS.northwind]);
    const unlisted = await approvedProposal(stack, proposalFields([ids[TITLES.ridership]!], period, { title: 'A quiet project', listInPublicRegister: false }));
    const page = await register();
    const project = page.items.find((p: any) => p.id === listed.id);
    expect(project).toEqual({
      id: listed.id,
      title: 'Commuting and heat exposure',
      organisation: 'Andes Development Bank',
      purpose: { category: 'climate-environment', label: 'Climate and environment' },
      datasets: expect.arrayContaining([
        { title: TITLES.ridership, provider: 'Northwind Mobility' },
        { title: TITLES.od, provider: 'Northwind Mobility' },
      ]),
      // Approved after its start date: access, and the listed period, start on the day of approval.
      startDate: '2026-05-10',
      endDate: period.endDate,
      approvedAt: '2026-05-10T09:00:00.000Z',
      state: 'active',
      outcomes: [],
    });
    expect(page.items.some((p: any) => p.id === unlisted.id)).toBe(false);
    expect(JSON.stringify(page)).not.toMatch(/@|team|justification/);
  });

  it('keeps a project running while one of its grants is revoked, and shows it ended once every grant is, before its period is over', async () => {
    const proposal = await approvedProposal(stack, proposalFields([ids[TITLES.ridership]!, ids[TITLES.od]!], period, { title: 'Revoked project' }), [USERS.northwind]);
    const grants = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.filter((g: any) => g.proposalId === proposal.id);
    expect(grants).toHaveLength(2);
    const revoke = (grantId: string) => stack.call('POST', `/v1/grants/${grantId}/revoke`, { as: USERS.admin, body: { reason: 'Breach of the agreement\'s conditions.' } });
    expect((await revoke(grants[0].id)).status).toBe(200);
    expect((await register()).items.find((p: any) => p.id === proposal.id).state).toBe('active');
    expect((await revoke(grants[1].id)).status).toBe(200);
    expect((await register()).items.find((p: any) => p.id === proposal.id)).toMatchObject({ state: 'ended', endDate: period.endDate });
  });

  it('shows the project ended after its period and closed with its public summaries once every grant is closed', async () => {
    const proposal = await approvedProposal(stack, proposalFields([ids[TITLES.ridership]!], period, { title: 'Closed-out project' }));
    const grant = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.find((g: any) => g.proposalId === proposal.id);
    clock.set('2026-06-02T09:00:00Z');
    expect((await register()).items.find((p: any) => p.id === proposal.id).state).toBe('ended');
    const closed = await stack.call('POST', `/v1/grants/${grant.id}/closure`, {
      as: USERS.andes,
      body: {
        attestation: { deletedBy: 'Ana Andes', deletedAt: '2026-06-01T10:00:00Z', method: 'Secure erase of the project volume.', copies: [{ location: 'Project volume' }], statement: 'All copies were deleted.' },
        outcomeReport: { outputs: [{ title: 'Crowding report' }], indicators: [{ indicator: 'Load factor', result: 'Down 8%' }], publicSummary: 'Evening buses were re-timed and crowding fell by 8%.' },
      },
    });
    expect(closed.body.state).toBe('closed');
    const project = (await register()).items.find((p: any) => p.id === proposal.id);
    expect(project).toMatchObject({ state: 'closed', outcomes: [{ dataset: TITLES.ridership, summary: 'Evening buses were re-timed and crowding fell by 8%.', closedAt: '2026-06-02T09:00:00.000Z' }] });
  });
});
