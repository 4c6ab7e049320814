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

describe('a new version of the agreement', () => {
  it('is announced to the admins of every organisation, with what changed and the date to sign by, and every version stays readable', async () => {
    const published = await stack.call('POST', '/v1/agreement/versions', {
      as: USERS.admin,
      body: { text: `${V2_TEXT}\n\nVersion 3 adds a duty to report incidents within 72 hours.`, graceDays: 14, summary: 'Incidents must be reported within 72 hours.' },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const version = published.body.version as number;
    for (const admin of [USERS.andes, USERS.northwind, USERS.helios, USERS.civic]) {
      const notices = (await stack.call('GET', '/v1/notifications?limit=100', { as: admin })).body.items.filter((n: any) => n.kind === 'agreement_published' && n.subject.id === String(version));
      expect(notices, admin).toHaveLength(1);
      expect(notices[0].text).toContain('Incidents must be reported within 72 hours.');
      expect(notices[0].text).toMatch(/Sign it by \d{4}-\d{2}-\d{2}/);
    }
    const versions = (await stack.call('GET', '/v1/agreement/versions', { as: USERS.civic })).body.items;
    expect(versions.map((v: any) => v.version)).toEqual([version, version - 1, version - 2]);
    expect(versions[0]).not.toHaveProperty('text');
    const first = await stack.call('GET', '/v1/agreement/versions/1', { as: USERS.civic });
    expect(first.body).toMatchObject({ version: 1 });
    expect(first.body.text.length).toBeGreaterThan(20);
    expect((await stack.call('GET', '/v1/agreement/versions/999', { as: USERS.civic })).status).toBe(404);
    expect((await stack.call('GET', '/v1/agreement/versions/abc', { as: USERS.civic })).status).toBe(400);
  });
});
