import { beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogIds, proposalFields, TITLES } from '../support/proposal-flow';
import { createTestStack, USERS, type TestStack } from '../support/stack';

/**
 * People and organisations come and go: org-admins and consortium admins remove members and
 * change their roles, consortium admins suspend and reinstate organisations, and each change
 * takes effect on the very next request, token or no token.
 */
let stack: TestStack;
const orgs: Record<string, string> = {};
let counter = 0;

beforeAll(async () => {
  stack = await createTestStack();
  for (const [name, email] of [['andes', USERS.andes], ['northwind', USERS.northwind], ['civic', USERS.civic], ['secretariat', USERS.admin]] as const) {
    orgs[name] = (await stack.call('GET', '/v1/me', { as: email })).body.organization.id;
  }
});

/** Adds a fresh member to Andes (by its org-admin) and returns them with a token already issued. */
async function newAndesMember(roles: string[] = ['member']) {
  const email = `person-${++counter}@andes-bank.example`;
  const added = await stack.call('POST', `/v1/organizations/${orgs.andes}/members`, { as: USERS.andes, body: { email, name: `Person ${counter}`, roles } });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return { email, id: added.body.id as string, token: await stack.token(email) };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('removing a member', () => {
  it('refuses the removed member\'s very next request, made with their still-valid token', async () => {
    const person = await newAndesMember();
    expect((await stack.call('GET', '/v1/me', { token: person.token })).status).toBe(200);

    const removed = await stack.call('DELETE', `/v1/organizations/${orgs.andes}/members/${person.id}`, { as: USERS.andes });

    expect(removed.status).toBe(200);
    expect(removed.body.members.map((m: any) => m.email)).not.toContain(person.email);
    const next = await stack.call('GET', '/v1/me', { token: person.token });
    expect({ status: next.status, code: next.body.error.code }).toEqual({ status: 403, code: 'not_a_member' });
  });

  it('stops a removed team member from minting downloads on a grant they were on', async () => {
    const person = await newAndesMember();
    const ids = await catalogIds(stack);
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: proposalFields([ids[TITLES.ridership]!], { startDate: day(-5), endDate: day(30) }, { team: [USERS.andes, person.email] }) });
    await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    await stack.call('POST', `/v1/proposals/${draft.body.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    const grant = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.find((g: any) => g.proposalId === draft.body.id);
    const fileId = (await stack.call('GET', `/v1/grants/${grant.id}/files`, { as: USERS.andes })).body.items[0].id;
    expect((await stack.call('POST', `/v1/grants/${grant.id}/downloads`, { token: person.token, body: { fileId } })).status).toBe(201);

    await stack.call('DELETE', `/v1/organizations/${orgs.andes}/members/${person.id}`, { as: USERS.andes });

    const mint = await stack.call('POST', `/v1/grants/${grant.id}/downloads`, { token: person.token, body: { fileId } });
    expect({ status: mint.status, code: mint.body.error.code }).toEqual({ status: 403, code: 'not_a_member' });
  });

  it('completes a removal whose directory sign-out fails afterwards: the member is refused all the same, and no 500', async () => {
    const person = await newAndesMember();
    const failing = vi.spyOn(stack.deps.directory, 'revokeAccess').mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const removed = await stack.call('DELETE', `/v1/organizations/${orgs.andes}/members/${person.id}`, { as: USERS.andes });
    expect(removed.status).toBe(200);
    expect(failing).toHaveBeenCalledTimes(1);
    failing.mockRestore();
    expect((await stack.call('GET', '/v1/me', { token: person.token })).status).toBe(403);
  });

  it('lets a consortium admin remove a member of any organisation', async () => {
    const person = await newAndesMember();

    const removed = await stack.call('DELETE', `/v1/organizations/${orgs.andes}/members/${person.id}`, { as: USERS.admin });

    expect(removed.status).toBe(200);
    expect((await stack.call('GET', '/v1/me', { token: person.token })).status).toBe(403);
  });

  it('refuses to remove the last org-admin, naming why', async () => {
    const me = (await stack.call('GET', '/v1/me', { as: USERS.civic })).body;

    const removed = await stack.call('DELETE', `/v1/organizations/${orgs.civic}/members/${me.user.id}`, { as: USERS.admin });

    expect({ status: removed.status, code: removed.body.error.code }).toEqual({ status: 409, code: 'last_org_admin' });
    expect(removed.body.error.message).toContain(USERS.civic);
  });

  it('lets an org-admin leave once another org-admin remains', async () => {
    const second = await newAndesMember(['org-admin']);

    const removed = await stack.call('DELETE', `/v1/organizations/${orgs.andes}/members/${second.id}`, { token: second.token });

    expect(removed.status).toBe(200);
  });

  it('writes an audit event naming the member and their roles', async () => {
    const person = await newAndesMember();

    await stack.call('DELETE', `/v1/organizations/${orgs.andes}/members/${person.id}`, { as: USERS.andes });

    const audit = await stack.call('GET', '/v1/audit?limit=100', { as: USERS.admin });
    const event = audit.body.items.find((e: any) => e.action === 'organization.member_removed' && e.details.email === person.email);
    expect(event).toMatchObject({ actor: { email: USERS.andes }, entity: { type: 'organization', id: orgs.andes }, details: { userId: person.id, roles: ['member'] } });
  });

  it('answers 404 for a user who is not a member of the organisation', async () => {
    const northwindAdmin = (await stack.call('GET', '/v1/me', { as: USERS.northwind })).body.user.id;

    const removed = await stack.call('DELETE', `/v1/organizations/${orgs.andes}/members/${northwindAdmin}`, { as: USERS.andes });

    expect(removed.status).toBe(404);
  });
});

describe('changing roles', () => {
  it('gives a member the new roles on their very next request', async () => {
    const person = await newAndesMember();

    const changed = await stack.call('PATCH', `/v1/organizations/${orgs.andes}/members/${person.id}`, { as: USERS.andes, body: { roles: ['org-admin', 'member'] } });

    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['org-admin', 'member']);
    expect((await stack.call('GET', '/v1/me', { token: person.token })).body.roles).toEqual(['org-admin', 'member']);
    const detail = await stack.call('GET', `/v1/organizations/${orgs.andes}`, { as: USERS.andes });
    expect(detail.body.members.find((m: any) => m.id === person.id).roles).toEqual(['org-admin', 'member']);
  });

  it('takes an org-admin\'s rights away on their very next request once demoted', async () => {
    const person = await newAndesMember(['org-admin']);
    await stack.call('PATCH', `/v1/organizations/${orgs.andes}/members/${person.id}`, { as: USERS.andes, body: { roles: ['member'] } });

    const add = await stack.call('POST', `/v1/organizations/${orgs.andes}/members`, { token: person.token, body: { email: `late-${counter}@andes-bank.example`, name: 'Late', roles: ['member'] } });

    expect(add.status).toBe(403);
  });

  it('refuses to demote the last org-admin, naming why', async () => {
    const me = (await stack.call('GET', '/v1/me', { as: USERS.civic })).body;

    const changed = await stack.call('PATCH', `/v1/organizations/${orgs.civic}/members/${me.user.id}`, { as: USERS.civic, body: { roles: ['member'] } });

    expect({ status: changed.status, code: changed.body.error.code }).toEqual({ status: 409, code: 'last_org_admin' });
  });

  it('lets only one of two org-admins demoting each other at once succeed', async () => {
    const created = await stack.call('POST', '/v1/organizations', { as: USERS.admin, body: { name: 'Twin Admins Fund', kinds: ['member'], firstAdmin: { email: 'a@twins.example', name: 'A' } } });
    const orgId = created.body.id;
    const a = created.body.members[0].id;
    const b = (await stack.call('POST', `/v1/organizations/${orgId}/members`, { as: 'a@twins.example', body: { email: 'b@twins.example', name: 'B', roles: ['org-admin'] } })).body.id;

    const results = await Promise.all([
      stack.call('PATCH', `/v1/organizations/${orgId}/members/${b}`, { as: 'a@twins.example', body: { roles: ['member'] } }),
      stack.call('PATCH', `/v1/organizations/${orgId}/members/${a}`, { as: 'b@twins.example', body: { roles: ['member'] } }),
    ]);

    // The loser is refused either by the write's condition (409 last_org_admin, when both read
    // the members before either committed) or, when it started after the winner's commit, by its
    // own standing check (403: it is no longer org-admin).
    const [won, lost] = [...results].sort((x, y) => x.status - y.status);
    expect(won!.status).toBe(200);
    expect([403, 409]).toContain(lost!.status);
    const members = (await stack.call('GET', `/v1/organizations/${orgId}`, { as: USERS.admin })).body.members;
    expect(members.filter((m: any) => m.roles.includes('org-admin'))).toHaveLength(1);
  });

  it('refuses to demote the consortium\'s last consortium admin, naming why', async () => {
    const admin = (await stack.call('GET', '/v1/me', { as: USERS.admin })).body.user.id;

    const changed = await stack.call('PATCH', `/v1/organizations/${orgs.secretariat}/members/${admin}`, { as: USERS.admin, body: { roles: ['org-admin'] } });

    expect({ status: changed.status, code: changed.body.error.code }).toEqual({ status: 409, code: 'last_consortium_admin' });
  });

  it('refuses anyone giving themselves a role they do not hold', async () => {
    const email = 'deputy@secretariat.example';
    const added = await stack.call('POST', `/v1/organizations/${orgs.secretariat}/members`, { as: USERS.admin, body: { email, name: 'Deputy', roles: ['org-admin'] } });

    const changed = await stack.call('PATCH', `/v1/organizations/${orgs.secretariat}/members/${added.body.id}`, { as: email, body: { roles: ['org-admin', 'consortium-admin'] } });

    expect({ status: changed.status, code: changed.body.error.code }).toEqual({ status: 403, code: 'self_escalation' });
  });

  it('refuses consortium-admin outside the secretariat', async () => {
    const person = await newAndesMember();

    const changed = await stack.call('PATCH', `/v1/organizations/${orgs.andes}/members/${person.id}`, { as: USERS.admin, body: { roles: ['consortium-admin'] } });

    expect(changed.status).toBe(403);
  });

  it('writes an audit event with the roles before and after', async () => {
    const person = await newAndesMember();

    await stack.call('PATCH', `/v1/organizations/${orgs.andes}/members/${person.id}`, { as: USERS.andes, body: { roles: ['org-admin'] } });

    const audit = await stack.call('GET', '/v1/audit?limit=100', { as: USERS.admin });
    const event = audit.body.items.find((e: any) => e.action === 'organization.member_roles_changed' && e.details.email === person.email);
    expect(event.details).toMatchObject({ from: ['member'], to: ['org-admin'] });
  });
});

describe('suspending an organisation', () => {
  it('refuses its users on their next request and at sign-in, with organization_suspended, until reinstated', async () => {
    const token = await stack.token(USERS.civic);

    const suspended = await stack.call('POST', `/v1/organizations/${orgs.civic}/suspension`, { as: USERS.admin, body: { reason: 'Unpaid consortium fees' } });

    expect(suspended.status).toBe(200);
    expect(suspended.body.suspension).toMatchObject({ reason: 'Unpaid consortium fees', by: USERS.admin });
    for (const [method, path] of [['GET', '/v1/me'], ['GET', '/v1/datasets'], ['POST', '/v1/proposals'], ['POST', '/v1/agreement/signatures']] as const) {
      const refused = await stack.call(method, path, { token, body: method === 'POST' ? {} : undefined });
      expect({ path, status: refused.status, code: refused.body.error.code }).toEqual({ path, status: 403, code: 'organization_suspended' });
    }
    const signIn = await stack.app.request('/local/token', { method: 'POST', body: JSON.stringify({ email: USERS.civic }), headers: { 'content-type': 'application/json' } });
    expect(signIn.status).toBe(403);

    const reinstated = await stack.call('DELETE', `/v1/organizations/${orgs.civic}/suspension`, { as: USERS.admin });

    expect(reinstated.status).toBe(200);
    expect((await stack.call('GET', '/v1/me', { token })).status).toBe(200);
    // Both were security notices to its members (always emailed, whatever their preferences).
    const notices = (await stack.call('GET', '/v1/notifications?limit=100', { token })).body.items.filter((n: any) => n.subject.type === 'organization');
    expect(notices.map((n: any) => n.kind).sort()).toEqual(['organization_reinstated', 'organization_suspended']);
    expect(notices.find((n: any) => n.kind === 'organization_suspended').text).toContain('Unpaid consortium fees');
  });

  it('signs every member out and disables them in the directory (Cognito deployed), and enables them again on reinstatement', async () => {
    const revoked = vi.spyOn(stack.deps.directory, 'revokeAccess');
    const restored = vi.spyOn(stack.deps.directory, 'restoreAccess');
    const members = (await stack.call('GET', `/v1/organizations/${orgs.northwind}`, { as: USERS.admin })).body.members.map((m: any) => m.email).sort();

    await stack.call('POST', `/v1/organizations/${orgs.northwind}/suspension`, { as: USERS.admin, body: { reason: 'Audit of its consents' } });
    await stack.call('DELETE', `/v1/organizations/${orgs.northwind}/suspension`, { as: USERS.admin });

    const emails = (calls: unknown[][]) => calls.map((args) => (args[0] as { email: string }).email).sort();
    expect(emails(revoked.mock.calls)).toEqual(members);
    expect(emails(restored.mock.calls)).toEqual(members);
    revoked.mockRestore();
    restored.mockRestore();
  });

  it('refuses to suspend the secretariat, twice, or by anyone but a consortium admin', async () => {
    expect((await stack.call('POST', `/v1/organizations/${orgs.secretariat}/suspension`, { as: USERS.admin, body: { reason: 'Testing' } })).status).toBe(409);
    expect((await stack.call('POST', `/v1/organizations/${orgs.andes}/suspension`, { as: USERS.andes, body: { reason: 'Testing' } })).status).toBe(403);
    expect((await stack.call('DELETE', `/v1/organizations/${orgs.andes}/suspension`, { as: USERS.admin })).status).toBe(409);
  });

  it('writes audit events for the suspension and the reinstatement', async () => {
    await stack.call('POST', `/v1/organizations/${orgs.northwind}/suspension`, { as: USERS.admin, body: { reason: 'Data breach under investigation' } });
    await stack.call('DELETE', `/v1/organizations/${orgs.northwind}/suspension`, { as: USERS.admin });

    const audit = await stack.call('GET', `/v1/audit?limit=100`, { as: USERS.admin });
    const actions = audit.body.items.filter((e: any) => e.entity.id === orgs.northwind).map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['organization.suspended', 'organization.reinstated']));
  });
});

describe('offboarding an organisation', () => {
  // Last in the file: Andes stays suspended.
  it('suspends it and revokes its running grants with the reason, opening their closure obligations', async () => {
    const ids = await catalogIds(stack);
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: proposalFields([ids[TITLES.ridership]!], { startDate: day(-5), endDate: day(30) }) });
    await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
    await stack.call('POST', `/v1/proposals/${draft.body.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    const grant = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.find((g: any) => g.proposalId === draft.body.id);

    const offboarded = await stack.call('POST', `/v1/organizations/${orgs.andes}/offboarding`, { as: USERS.admin, body: { reason: 'The bank left the consortium' } });

    expect(offboarded.status, JSON.stringify(offboarded.body)).toBe(200);
    expect(offboarded.body.revokedGrants).toBeGreaterThanOrEqual(1);
    expect(offboarded.body.organization.suspension).toMatchObject({ reason: 'The bank left the consortium', offboardedAt: expect.any(String) });
    const seen = (await stack.call('GET', `/v1/grants/${grant.id}`, { as: USERS.admin })).body;
    expect(seen.state).toBe('revoked');
    expect(seen.revokedReason).toContain('The bank left the consortium');
    expect(seen.obligations.length).toBeGreaterThan(0);
    const running = (await stack.call('GET', '/v1/grants?view=all&state=active&limit=100', { as: USERS.admin })).body.items.filter((g: any) => g.granteeOrgId === orgs.andes);
    expect(running).toEqual([]);
    const refused = await stack.call('GET', '/v1/me', { as: USERS.andes });
    expect(refused.body.error.code).toBe('organization_suspended');
  });

  it('revokes nothing more when retried, and is refused to anyone but a consortium admin', async () => {
    const again = await stack.call('POST', `/v1/organizations/${orgs.andes}/offboarding`, { as: USERS.admin, body: { reason: 'The bank left the consortium' } });
    expect({ status: again.status, revoked: again.body.revokedGrants }).toEqual({ status: 200, revoked: 0 });
    expect((await stack.call('POST', `/v1/organizations/${orgs.civic}/offboarding`, { as: USERS.civic, body: { reason: 'Leaving' } })).status).toBe(403);
  });
});
