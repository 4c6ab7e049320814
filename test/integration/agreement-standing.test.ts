import { beforeAll, describe, expect, it } from 'vitest';
import { approvedProposal, catalogIds, proposalFields, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

/** Issue 13, point 5: the agreement binds every use, not only a submission. */

let stack: TestStack;
let grant: { id: string };
let fileId: string;
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));
const V2_TEXT = '# Common data agreement, version 2\n\nThe parties agree to report outcomes within thirty days of a grant ending, and to keep every copy of granted data inside the project team.';

beforeAll(async () => {
  stack = await createTestStack({ clock });
  const ids = await catalogIds(stack);
  const proposal = await approvedProposal(stack, proposalFields([ids[TITLES.ridership]!], { startDate: '2026-05-10', endDate: '2026-07-31' }));
  grant = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.find((g: any) => g.proposalId === proposal.id);
  fileId = (await stack.call('GET', `/v1/grants/${grant.id}/files`, { as: USERS.andes })).body.items[0].id;
  // Version 2 with a seven-day grace period; Andes signed only version 1.
  const v2 = await stack.call('POST', '/v1/agreement/versions', { as: USERS.admin, body: { text: V2_TEXT, graceDays: 7 } });
  expect(v2.status).toBe(201);
});

const mint = () => stack.call('POST', `/v1/grants/${grant.id}/downloads`, { as: USERS.andes, body: { fileId } });
const renew = () => stack.call('POST', `/v1/grants/${grant.id}/renewals`, { as: USERS.andes, body: { endDate: '2026-08-31', reason: 'The analysis needs another month of data.' } });

describe('an organisation whose agreement is outdated', () => {
  it('still downloads during the grace period', async () => {
    expect((await mint()).status).toBe(201);
  });

  it('can neither download nor renew once the grace period is over, and is told to sign', async () => {
    clock.set('2026-05-18T09:00:00Z');
    for (const refused of [await mint(), await renew()]) {
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'agreement_not_signed', details: { currentVersion: 2, signedVersion: 1 } });
    }
  });

  it('downloads and renews again once it signs the current version', async () => {
    const current = (await stack.call('GET', '/v1/agreement', { as: USERS.andes })).body;
    expect((await stack.call('POST', '/v1/agreement/signatures', { as: USERS.andes, body: { version: current.version, sha256: current.sha256 } })).status).toBe(201);
    expect((await mint()).status).toBe(201);
    expect((await renew()).status).toBe(201);
  });
});
