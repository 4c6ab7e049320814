import { beforeAll, describe, expect, it } from 'vitest';
import { catalogIds, proposalFields, TITLES } from '../support/proposal-flow';
import { createTestStack, USERS, type TestStack } from '../support/stack';

/**
 * The grantee organisation's org-admin manages a running grant's project team: members of the
 * organisation only; whoever leaves can no longer mint; providers learn that it changed, never
 * who is on it.
 */
let stack: TestStack;
let grantId: string;
let fileId: string;
const ANALYST = 'second-analyst@andes-bank.example';
const JUNIOR = 'junior@andes-bank.example';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  stack = await createTestStack();
  const andesOrg = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
  for (const email of [ANALYST, JUNIOR]) {
    await stack.call('POST', `/v1/organizations/${andesOrg}/members`, { as: USERS.andes, body: { email, name: email.split('@')[0], roles: ['member'] } });
  }
  const ids = await catalogIds(stack);
  const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: proposalFields([ids[TITLES.ridership]!], { startDate: day(-5), endDate: day(30) }, { team: [USERS.andes, ANALYST] }) });
  await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
  await stack.call('POST', `/v1/proposals/${draft.body.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
  grantId = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.find((g: any) => g.proposalId === draft.body.id).id;
  fileId = (await stack.call('GET', `/v1/grants/${grantId}/files`, { as: USERS.andes })).body.items[0].id;
});

const mint = (as: string) => stack.call('POST', `/v1/grants/${grantId}/downloads`, { as, body: { fileId } });

describe('managing a grant\'s team', () => {
  it('takes minting away from whoever leaves and gives it to whoever joins, on their next request', async () => {
    expect((await mint(ANALYST)).status).toBe(201);
    expect((await mint(JUNIOR)).status).toBe(403);

    const changed = await stack.call('PUT', `/v1/grants/${grantId}/team`, { as: USERS.andes, body: { team: [USERS.andes, JUNIOR] } });

    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.team).toEqual([USERS.andes, JUNIOR]);
    const refused = await mint(ANALYST);
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 403, code: 'not_on_team' });
    expect((await mint(JUNIOR)).status).toBe(201);
  });

  it('refuses anyone outside the grantee organisation, naming them', async () => {
    const changed = await stack.call('PUT', `/v1/grants/${grantId}/team`, { as: USERS.andes, body: { team: [USERS.andes, USERS.northwind] } });

    expect(changed.status).toBe(400);
    expect(changed.body.error.details).toMatchObject({ field: 'team', outsiders: [USERS.northwind] });
    expect(changed.body.error.message).toContain(USERS.northwind);
  });

  it('tells the grantee\'s people who joined and left, and the provider only that the team changed', async () => {
    await stack.call('PUT', `/v1/grants/${grantId}/team`, { as: USERS.andes, body: { team: [USERS.andes, ANALYST] } });

    const granteeNotices = (await stack.call('GET', '/v1/notifications?limit=100', { as: ANALYST })).body.items.filter((n: any) => n.kind === 'grant_team_changed');
    expect(granteeNotices.map((n: any) => n.text)).toEqual(expect.arrayContaining([
      expect.stringContaining(`Left: ${ANALYST}; they can no longer download`),
      expect.stringContaining(`Joined: ${ANALYST}`),
    ]));
    const providerNotices = (await stack.call('GET', '/v1/notifications?limit=100', { as: USERS.northwind })).body.items.filter((n: any) => n.kind === 'grant_team_changed');
    expect(providerNotices.length).toBeGreaterThan(0);
    expect(JSON.stringify(providerNotices)).not.toMatch(/andes-bank\.example/);
  });

  it('keeps the names from the provider in the grant and in the audit trail', async () => {
    const seen = await stack.call('GET', `/v1/grants/${grantId}`, { as: USERS.northwind });
    expect(seen.body.team).toEqual([]);
    const audit = await stack.call('GET', `/v1/audit?view=provided&entityType=grant&entityId=${grantId}`, { as: USERS.northwind });
    const changes = audit.body.items.filter((e: any) => e.action === 'grant.team_changed');
    expect(changes.length).toBeGreaterThan(0);
    expect(JSON.stringify(changes.map((e: any) => e.details))).not.toMatch(/@/);
  });

  it('is refused to a plain member of the grantee, to the provider and to the consortium admin', async () => {
    for (const as of [JUNIOR, USERS.northwind, USERS.admin]) {
      const changed = await stack.call('PUT', `/v1/grants/${grantId}/team`, { as, body: { team: [USERS.andes] } });
      expect({ as, status: changed.status }).toEqual({ as, status: 403 });
    }
  });
});

describe('removing a member from the organisation', () => {
  it('takes them off every running grant team, so adding them again gives back no download rights', async () => {
    const andesOrg = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
    await stack.call('PUT', `/v1/grants/${grantId}/team`, { as: USERS.andes, body: { team: [USERS.andes, JUNIOR] } });
    const junior = (await stack.call('GET', `/v1/organizations/${andesOrg}`, { as: USERS.andes })).body.members.find((m: any) => m.email === JUNIOR);

    await stack.call('DELETE', `/v1/organizations/${andesOrg}/members/${junior.id}`, { as: USERS.andes });

    expect((await stack.call('GET', `/v1/grants/${grantId}`, { as: USERS.andes })).body.team).toEqual([USERS.andes]);
    await stack.call('POST', `/v1/organizations/${andesOrg}/members`, { as: USERS.andes, body: { email: JUNIOR, name: 'Junior again', roles: ['member'] } });
    const again = await stack.call('POST', `/v1/grants/${grantId}/downloads`, { token: await freshToken(JUNIOR), body: { fileId } });
    expect({ status: again.status, code: again.body.error?.code }).toEqual({ status: 403, code: 'not_on_team' });
  });
});

/** A token for the user's current subject (the stack caches tokens by email). */
async function freshToken(email: string): Promise<string> {
  const response = await stack.app.request('/local/token', { method: 'POST', body: JSON.stringify({ email }), headers: { 'content-type': 'application/json' } });
  return ((await response.json()) as { accessToken: string }).accessToken;
}
