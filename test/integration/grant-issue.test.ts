import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { injectFault } from '../support/faults';
import { approvedProposal, catalogIds, proposalFields, submitProposal, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

let stack: TestStack;
let ids: Record<string, string>;
const clock = new TestClock(Date.parse('2026-03-01T09:00:00Z'));
const period = { startDate: '2026-04-01', endDate: '2026-06-30' };

beforeAll(async () => {
  stack = await createTestStack({ clock });
  ids = await catalogIds(stack);
});

const grantsOf = async (proposalId: string) => {
  const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
  const page = await stack.deps.grants.listByGrantee(andes, { limit: 100, today: '2026-03-01' });
  return page.items.filter((g) => g.proposalId === proposalId);
};

const auditActions = async () => (await stack.deps.audit.readChain()).events.map((e) => `${e.action}:${e.entity.id}`);

describe('issuing grants on approval', () => {
  it('creates one active grant per consented or consent-free dataset, over the version published at approval', async () => {
    const proposal = await approvedProposal(stack, proposalFields([ids[TITLES.od]!, ids[TITLES.ridership]!], period), [USERS.northwind]);
    const grants = await grantsOf(proposal.id);
    expect(grants.map((g) => g.datasetTitle).sort()).toEqual([TITLES.od, TITLES.ridership].sort());
    for (const grant of grants) {
      expect(grant).toMatchObject({
        state: 'active', granteeOrgName: 'Andes Development Bank', team: [USERS.andes], providerName: 'Northwind Mobility',
        versions: [1], startDate: period.startDate, endDate: period.endDate, conditions: ['Publish only aggregates.'], revision: 1,
      });
      expect(grant.files.length).toBeGreaterThan(0);
      expect(grant.files.every((f) => f.version === 1 && f.sha256)).toBe(true);
    }
  });

  it('leaves out a declined dataset', async () => {
    const proposal = await submitProposal(stack, proposalFields([ids[TITLES.od]!, ids[TITLES.population]!], period));
    await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.helios, body: { decision: 'decline', text: 'Not for this purpose.' } });
    await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.northwind, body: { decision: 'consent' } });
    const approved = await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    expect(approved.body.state).toBe('approved');
    expect((await grantsOf(proposal.id)).map((g) => g.datasetTitle)).toEqual([TITLES.od]);
  });

  it('records the approval and each grant in the audit chain in the same transaction', async () => {
    const proposal = await approvedProposal(stack, proposalFields([ids[TITLES.ridership]!], period));
    const [grant] = await grantsOf(proposal.id);
    const actions = await auditActions();
    expect(actions).toContain(`proposal.submitted:${proposal.id}`);
    expect(actions).toContain(`proposal.admin_approved:${proposal.id}`);
    expect(actions).toContain(`proposal.approved:${proposal.id}`);
    expect(actions).toContain(`grant.issued:${grant!.id}`);
  });

  it('issues nothing and approves nothing when the approving transaction fails', async () => {
    const proposal = await submitProposal(stack, proposalFields([ids[TITLES.ridership]!], period));
    const chainBefore = (await stack.deps.audit.readChain()).head.seq;
    const fault = injectFault(stack.deps.db.doc, 'TransactWriteItemsCommand');
    const failed = await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    expect(failed.status).toBe(503);
    expect(fault.failed()).toBe(1);
    expect((await stack.call('GET', `/v1/proposals/${proposal.id}`, { as: USERS.andes })).body.state).toBe('submitted');
    expect(await grantsOf(proposal.id)).toEqual([]);
    expect((await stack.deps.audit.readChain()).head.seq).toBe(chainBefore);
    // The same review succeeds once the fault is gone.
    const retried = await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    expect(retried.body.state).toBe('approved');
    expect(await grantsOf(proposal.id)).toHaveLength(1);
  });

  it('turns fifty concurrent approvals into one approval, one set of grants and one approval event', async () => {
    const proposal = await submitProposal(stack, proposalFields([ids[TITLES.ridership]!], period));
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(await grantsOf(proposal.id)).toHaveLength(1);
    const actions = await auditActions();
    expect(actions.filter((a) => a === `proposal.approved:${proposal.id}`)).toHaveLength(1);
    const items = await stack.deps.db.doc.send(
      new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `PROPOSAL#${proposal.id}` } }),
    );
    expect(items.Items!.filter((i) => i.type === 'proposal-event' && i.kind === 'approved')).toHaveLength(1);
  });
});
