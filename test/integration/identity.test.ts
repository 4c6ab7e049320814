import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, USERS, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});

describe('GET /v1/me', () => {
  it('answers with the user, organisation, roles and agreement standing from the server\'s records', async () => {
    const me = await stack.call('GET', '/v1/me', { as: USERS.andes });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email: USERS.andes, name: 'Ana Andes' },
      organization: { name: 'Andes Development Bank', kinds: ['member'] },
      roles: ['org-admin'],
      agreement: { state: 'signed', currentVersion: 1, signedVersion: 1, mayAct: true },
    });
    const civic = await stack.call('GET', '/v1/me', { as: USERS.civic });
    expect(civic.body.agreement).toMatchObject({ state: 'unsigned', mayAct: false });
    const admin = await stack.call('GET', '/v1/me', { as: USERS.admin });
    expect(admin.body.roles).toEqual(['org-admin', 'consortium-admin']);
  });

  it('ignores an organisation or roles the client claims in headers or the query', async () => {
    const helios = await stack.call('GET', '/v1/me', { as: USERS.helios });
    const me = await stack.call('GET', `/v1/me?orgId=${helios.body.organization.id}`, {
      as: USERS.andes,
      headers: { 'x-org-id': helios.body.organization.id, 'x-roles': 'consortium-admin' },
    });
    expect(me.status).toBe(200);
    expect(me.body.organization.name).toBe('Andes Development Bank');
    expect(me.body.roles).toEqual(['org-admin']);
  });

  it('is 401 without a token or with a malformed header', async () => {
    expect((await stack.call('GET', '/v1/me')).status).toBe(401);
    expect((await stack.call('GET', '/v1/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    const garbage = await stack.call('GET', '/v1/me', { token: 'not.a.jwt' });
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.code).toBe('unauthorized');
  });

  it('is 403 not_a_member for a valid token of someone no organisation knows', async () => {
    const token = await stack.issuer.sign({ sub: 'stranger-sub', email: 'stranger@nowhere.example' });
    const response = await stack.call('GET', '/v1/me', { token });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('not_a_member');
  });

  it('refuses a local token for an unknown email', async () => {
    const response = await stack.call('POST', '/local/token', { body: { email: 'nobody@nowhere.example' } });
    expect(response.status).toBe(404);
  });
});

describe('organisations', () => {
  const admission = (name: string, email: string) => ({ name, kinds: ['member'], firstAdmin: { email, name: 'First Admin' } });

  it('are admitted by consortium admins with their first org-admin, who can then sign in', async () => {
    const created = await stack.call('POST', '/v1/organizations', { as: USERS.admin, body: admission('Lakeside Health NGO', 'it@lakeside.example') });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.members).toEqual([expect.objectContaining({ email: 'it@lakeside.example', roles: ['org-admin'] })]);
    const me = await stack.call('GET', '/v1/me', { as: 'it@lakeside.example' });
    expect(me.body.organization).toMatchObject({ id: created.body.id, name: 'Lakeside Health NGO' });
  });

  it('are admitted by nobody else', async () => {
    for (const who of [USERS.northwind, USERS.andes, USERS.civic]) {
      const response = await stack.call('POST', '/v1/organizations', { as: who, body: admission(`Rogue ${who}`, `x-${who}`) });
      expect(response.status).toBe(403);
    }
  });

  it('have unique names, case-insensitively, and a user belongs to one organisation', async () => {
    const duplicate = await stack.call('POST', '/v1/organizations', { as: USERS.admin, body: admission('northwind mobility', 'new@northwind2.example') });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('name_taken');
    const takenEmail = await stack.call('POST', '/v1/organizations', { as: USERS.admin, body: admission('Fresh Org', USERS.andes) });
    expect(takenEmail.status).toBe(409);
    expect(takenEmail.body.error.code).toBe('email_taken');
    const names = await stack.call('GET', '/v1/organizations?limit=100', { as: USERS.admin });
    expect(names.body.items.map((o: any) => o.name)).not.toContain('Fresh Org');
  });

  it('name the field of a bad admission', async () => {
    const response = await stack.call('POST', '/v1/organizations', { as: USERS.admin, body: { name: 'X', kinds: ['member'], firstAdmin: { email: 'a@b.example', name: 'A' } } });
    expect(response.status).toBe(400);
    expect(response.body.error.details.field).toBe('name');
    const kinds = await stack.call('POST', '/v1/organizations', { as: USERS.admin, body: { ...admission('Good Name', 'ok@good.example'), kinds: ['secretariat'] } });
    expect(kinds.body.error.details.field).toBe('kinds.0');
  });

  it('are all listed for admins, and only one\'s own for anyone else', async () => {
    const all = await stack.call('GET', '/v1/organizations?limit=100', { as: USERS.admin });
    expect(all.body.items.length).toBeGreaterThanOrEqual(5);
    const own = await stack.call('GET', '/v1/organizations', { as: USERS.andes });
    expect(own.body.items.map((o: any) => o.name)).toEqual(['Andes Development Bank']);
  });

  it('show their members to their own users and admins, and are 404 to other tenants', async () => {
    const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
    expect((await stack.call('GET', `/v1/organizations/${andes}`, { as: USERS.andes })).status).toBe(200);
    expect((await stack.call('GET', `/v1/organizations/${andes}`, { as: USERS.admin })).body.members).toHaveLength(1);
    const foreign = await stack.call('GET', `/v1/organizations/${andes}`, { as: USERS.civic });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('Andes');
  });

  it('gain members added by their org-admin, who may not add to another organisation', async () => {
    const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
    const added = await stack.call('POST', `/v1/organizations/${andes}/members`, {
      as: USERS.andes,
      body: { email: 'economist@andes-bank.example', name: 'Eco Nomist', roles: ['member'] },
    });
    expect(added.status).toBe(201);
    const me = await stack.call('GET', '/v1/me', { as: 'economist@andes-bank.example' });
    expect(me.body).toMatchObject({ organization: { id: andes }, roles: ['member'] });
    const byMember = await stack.call('POST', `/v1/organizations/${andes}/members`, {
      as: 'economist@andes-bank.example',
      body: { email: 'another@andes-bank.example', name: 'Another', roles: ['member'] },
    });
    expect(byMember.status).toBe(403);
    const foreign = await stack.call('POST', `/v1/organizations/${andes}/members`, {
      as: USERS.civic,
      body: { email: 'spy@civic-lab.example', name: 'Spy', roles: ['org-admin'] },
    });
    expect(foreign.status).toBe(404);
    const elevation = await stack.call('POST', `/v1/organizations/${andes}/members`, {
      as: USERS.andes,
      body: { email: 'boss@andes-bank.example', name: 'Boss', roles: ['consortium-admin'] },
    });
    expect(elevation.status).toBe(403);
  });

  it('are admitted once when the admission is retried with the same Idempotency-Key', async () => {
    const body = admission('Retry Institute', 'head@retry.example');
    const headers = { 'idempotency-key': 'admit-retry-institute' };
    const first = await stack.call('POST', '/v1/organizations', { as: USERS.admin, body, headers });
    const second = await stack.call('POST', '/v1/organizations', { as: USERS.admin, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
  });
});

describe('governance', () => {
  it('is read by anyone signed in and set only by consortium admins', async () => {
    const read = await stack.call('GET', '/v1/governance', { as: USERS.andes });
    expect(read.body).toMatchObject({ adminApprovalsRequired: 1, providerResponseDays: 30, closureDeadlineDays: 30 });
    const settings = { adminApprovalsRequired: 2, providerResponseDays: 21, maxGrantDays: 365, closureDeadlineDays: 30, agreementGraceDays: 14 };
    expect((await stack.call('PUT', '/v1/governance', { as: USERS.northwind, body: settings })).status).toBe(403);
    const saved = await stack.call('PUT', '/v1/governance', { as: USERS.admin, body: settings });
    expect(saved.body).toMatchObject({ ...settings, updatedBy: USERS.admin });
    const invalid = await stack.call('PUT', '/v1/governance', { as: USERS.admin, body: { ...settings, adminApprovalsRequired: 0 } });
    expect(invalid.body.error.details.field).toBe('adminApprovalsRequired');
  });
});
