import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { injectFault } from '../support/faults';
import { approvedProposal, catalogIds, issuedWhileRunning, proposalFields, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

let stack: TestStack;
let ids: Record<string, string>;
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));
const TEAMLESS = 'intern@andes-bank.example';
const running = { startDate: '2026-05-01', endDate: '2026-07-31' };

beforeAll(async () => {
  stack = await createTestStack({ clock });
  ids = await catalogIds(stack);
  const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
  await stack.call('POST', `/v1/organizations/${andes}/members`, { as: USERS.andes, body: { email: TEAMLESS, name: 'Intern', roles: ['member'] } });
});

/** An approved proposal for Northwind's ridership data (no consent needed); returns its one grant. */
async function grantFor(period: { startDate: string; endDate: string }) {
  const proposal = await issuedWhileRunning(clock, period, () => approvedProposal(stack, proposalFields([ids[TITLES.ridership]!], period)));
  const list = await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes });
  return list.body.items.find((g: any) => g.proposalId === proposal.id);
}

const mint = (grantId: string, fileId: string, as: string = USERS.andes) => stack.call('POST', `/v1/grants/${grantId}/downloads`, { as, body: { fileId } });
const filesOf = async (grantId: string) => (await stack.call('GET', `/v1/grants/${grantId}/files`, { as: USERS.andes })).body.items;
const sha256 = (bytes: ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes)).digest('hex');
const chain = async () => (await stack.deps.audit.readChain()).events;

describe('seeing grants', () => {
  it('shows the grantee its grants, the provider grants on its data, the admins every grant, others none', async () => {
    const grant = await grantFor(running);
    expect(grant).toMatchObject({ state: 'active', datasetTitle: TITLES.ridership, team: [USERS.andes] });
    const seen = async (as: string, query = '') => (await stack.call('GET', `/v1/grants?limit=100${query}`, { as })).body.items.map((g: any) => g.id);
    expect(await seen(USERS.northwind)).toContain(grant.id);
    expect(await seen(USERS.admin)).toContain(grant.id);
    expect(await seen(USERS.helios)).not.toContain(grant.id);
    expect(await seen(USERS.civic)).toEqual([]);
    expect(await seen(USERS.admin, '&state=active')).toContain(grant.id);
    expect(await seen(USERS.admin, '&state=revoked')).not.toContain(grant.id);
    expect((await stack.call('GET', '/v1/grants?view=all', { as: USERS.northwind })).status).toBe(403);
  });

  it('hides the team from the provider and answers 404 to a stranger', async () => {
    const grant = await grantFor(running);
    expect((await stack.call('GET', `/v1/grants/${grant.id}`, { as: USERS.northwind })).body.team).toEqual([]);
    expect((await stack.call('GET', `/v1/grants/${grant.id}`, { as: USERS.admin })).body.team).toEqual([USERS.andes]);
    for (const stranger of [USERS.helios, USERS.civic]) {
      expect((await stack.call('GET', `/v1/grants/${grant.id}`, { as: stranger })).status).toBe(404);
      expect((await stack.call('GET', `/v1/grants/${grant.id}/files`, { as: stranger })).status).toBe(404);
    }
  });

  it('lists the granted version\'s files with sizes and sha256, never where they are stored', async () => {
    const grant = await grantFor(running);
    const files = await stack.call('GET', `/v1/grants/${grant.id}/files`, { as: USERS.andes });
    expect(files.status).toBe(200);
    expect(files.body.items.length).toBe(2);
    for (const file of files.body.items) {
      expect(Object.keys(file).sort()).toEqual(['id', 'name', 'sha256', 'size', 'version']);
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(JSON.stringify(files.body)).not.toMatch(/datasets\/|bucket|objectKey/i);
  });

  it('reads a grant past its end as expired, whatever the stored item says', async () => {
    const grant = await grantFor({ startDate: '2026-04-01', endDate: '2026-05-09' });
    expect(grant.state).toBe('expired');
    expect((await stack.deps.grants.get(grant.id))!.state).toBe('active');
    const expired = await stack.call('GET', '/v1/grants?limit=100&state=expired', { as: USERS.andes });
    expect(expired.body.items.map((g: any) => g.id)).toContain(grant.id);
  });
});

describe('downloads', () => {
  it('mints a URL that fetches the exact bytes, as an attachment under a server-chosen name', async () => {
    const grant = await grantFor(running);
    const [file] = await filesOf(grant.id);
    const minted = await mint(grant.id, file.id);
    expect(minted.status).toBe(201);
    expect(minted.headers.get('cache-control')).toBe('no-store');
    expect(minted.body).toMatchObject({ fileId: file.id, size: file.size, sha256: file.sha256 });
    expect(minted.body.fileName).toBe(`public-transit-ridership-by-stop-v1-${file.name}`);
    expect(Date.parse(minted.body.expiresAt) - clock.now().getTime()).toBe(300_000);
    const response = await fetch(minted.body.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${minted.body.fileName}"`);
    expect(sha256(await response.arrayBuffer())).toBe(file.sha256);
  });

  it('appends an audit event before the URL, with no signature in it', async () => {
    const grant = await grantFor(running);
    const [file] = await filesOf(grant.id);
    const minted = await mint(grant.id, file.id);
    const events = (await chain()).filter((e) => e.action === 'grant.download_minted' && e.entity.id === grant.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { email: USERS.andes }, details: { fileId: file.id, sha256: file.sha256 } });
    const stored = JSON.stringify(events[0]);
    expect(stored).not.toContain('X-Amz-Signature');
    expect(stored).not.toContain(new URL(minted.body.url).searchParams.get('X-Amz-Signature'));
  });

  it('gives no URL when the audit append fails', async () => {
    const grant = await grantFor(running);
    const [file] = await filesOf(grant.id);
    const before = (await chain()).length;
    injectFault(stack.deps.db.doc, 'TransactWriteItemsCommand');
    const failed = await mint(grant.id, file.id);
    expect(failed.status).toBe(503);
    expect(JSON.stringify(failed.body)).not.toContain('http');
    expect((await chain()).length).toBe(before);
  });

  it('refuses a tampered URL', async () => {
    const grant = await grantFor(running);
    const [file] = await filesOf(grant.id);
    const url = new URL((await mint(grant.id, file.id)).body.url);
    url.searchParams.set('response-content-disposition', 'inline');
    expect((await fetch(url)).status).toBe(403);
    const forged = new URL((await mint(grant.id, file.id)).body.url);
    const signature = forged.searchParams.get('X-Amz-Signature')!;
    forged.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    expect((await fetch(forged)).status).toBe(403);
  });

  it('cuts the URL\'s life at the grant\'s end, after which the URL fails', async () => {
    const grant = await grantFor({ startDate: '2026-05-01', endDate: '2026-05-20' });
    const [file] = await filesOf(grant.id);
    const saved = clock.now().getTime();
    clock.set('2026-05-20T23:59:58Z');
    try {
      const minted = await mint(grant.id, file.id);
      expect(minted.status).toBe(201);
      expect(minted.body.expiresAt).toBe('2026-05-21T00:00:00.000Z');
      expect(new URL(minted.body.url).searchParams.get('X-Amz-Expires')).toBe('2');
      await new Promise((resolve) => setTimeout(resolve, 3500));
      expect((await fetch(minted.body.url)).status).toBe(403);
      clock.set('2026-05-21T00:00:00Z');
      const after = await mint(grant.id, file.id);
      expect(after.status).toBe(403);
      expect(after.body.error.code).toBe('grant_expired');
    } finally {
      clock.set(saved);
    }
  });

  it('mints nothing for a grant past its end although its item still says active', async () => {
    const grant = await grantFor({ startDate: '2026-04-01', endDate: '2026-05-09' });
    const [file] = await filesOf(grant.id);
    const refused = await mint(grant.id, file.id);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('grant_expired');
  });

  it('mints nothing before the grant starts', async () => {
    const grant = await grantFor({ startDate: '2026-06-01', endDate: '2026-07-01' });
    const [file] = await filesOf(grant.id);
    const refused = await mint(grant.id, file.id);
    expect(refused.body.error.code).toBe('grant_not_started');
  });

  it('is only for the grantee\'s project team', async () => {
    const grant = await grantFor(running);
    const [file] = await filesOf(grant.id);
    const teamless = await mint(grant.id, file.id, TEAMLESS);
    expect(teamless.status).toBe(403);
    expect(teamless.body.error.code).toBe('not_on_team');
    expect((await mint(grant.id, file.id, USERS.northwind)).status).toBe(403);
    expect((await mint(grant.id, file.id, USERS.admin)).status).toBe(403);
    expect((await mint(grant.id, file.id, USERS.helios)).status).toBe(404);
    expect((await mint(grant.id, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('revocation', () => {
  it('stops every mint at once and shows the grantee the reason', async () => {
    const grant = await grantFor(running);
    const [file] = await filesOf(grant.id);
    expect((await mint(grant.id, file.id)).status).toBe(201);
    const reason = 'The data was found to be shared beyond the team.';
    const revoked = await stack.call('POST', `/v1/grants/${grant.id}/revoke`, { as: USERS.admin, body: { reason } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ state: 'revoked', revokedReason: reason, revokedBy: USERS.admin });
    const refused = await mint(grant.id, file.id);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('grant_revoked');
    const seen = await stack.call('GET', `/v1/grants/${grant.id}`, { as: USERS.andes });
    expect(seen.body).toMatchObject({ state: 'revoked', revokedReason: reason });
    expect(seen.body.obligations.map((o: any) => o.kind).sort()).toEqual(['deletion_attestation', 'outcome_report']);
    expect((await chain()).some((e) => e.action === 'grant.revoked' && e.entity.id === grant.id && e.details.reason === reason)).toBe(true);
  });

  it('is for the dataset\'s provider and the admins, with a reason of 10 to 512 characters', async () => {
    const grant = await grantFor(running);
    const path = `/v1/grants/${grant.id}/revoke`;
    expect((await stack.call('POST', path, { as: USERS.northwind, body: { reason: 'too short' } })).status).toBe(400);
    expect((await stack.call('POST', path, { as: USERS.northwind, body: { reason: 'x'.repeat(513) } })).status).toBe(400);
    expect((await stack.call('POST', path, { as: USERS.andes, body: { reason: 'We do not need it any more.' } })).status).toBe(403);
    expect((await stack.call('POST', path, { as: USERS.helios, body: { reason: 'Not my data but I try anyway.' } })).status).toBe(404);
    const revoked = await stack.call('POST', path, { as: USERS.northwind, body: { reason: 'Our licence for this data changed.' } });
    expect(revoked.status).toBe(200);
    const again = await stack.call('POST', path, { as: USERS.admin, body: { reason: 'Revoking a second time.' } });
    expect(again.status).toBe(409);
  });

  it('wins against a mint racing it: afterwards no URL is ever minted', async () => {
    const grant = await grantFor(running);
    const [file] = await filesOf(grant.id);
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => mint(grant.id, file.id)),
      stack.call('POST', `/v1/grants/${grant.id}/revoke`, { as: USERS.admin, body: { reason: 'Revoked while downloads run.' } }),
      ...Array.from({ length: 5 }, () => mint(grant.id, file.id)),
    ]);
    expect(results[5]!.status).toBe(200);
    const revokedSeq = (await chain()).find((e) => e.action === 'grant.revoked' && e.entity.id === grant.id)!.seq;
    const minted = (await chain()).filter((e) => e.action === 'grant.download_minted' && e.entity.id === grant.id);
    // Every URL handed out was recorded before the revocation; none after it.
    expect(minted.every((e) => e.seq < revokedSeq)).toBe(true);
    expect(minted.length).toBe(results.filter((r) => r.status === 201).length);
    expect((await mint(grant.id, file.id)).body.error.code).toBe('grant_revoked');
  });
});

describe('retiring a dataset', () => {
  it('revokes every running grant to it and tells the holders', async () => {
    const proposal = await approvedProposal(stack, proposalFields([ids[TITLES.od]!], running), [USERS.northwind]);
    const grant = (await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes })).body.items.find((g: any) => g.proposalId === proposal.id);
    const retired = await stack.call('POST', `/v1/datasets/${ids[TITLES.od]}/retire`, { as: USERS.northwind, body: { reason: 'The matrix is no longer maintained.' } });
    expect(retired.status).toBe(200);
    const seen = (await stack.call('GET', `/v1/grants/${grant.id}`, { as: USERS.andes })).body;
    expect(seen).toMatchObject({ state: 'revoked', revokedReason: 'The dataset was retired: The matrix is no longer maintained.' });
    const [file] = await filesOf(grant.id);
    expect((await mint(grant.id, file.id)).body.error.code).toBe('grant_revoked');
    const inbox = (await stack.call('GET', '/v1/notifications?limit=100', { as: USERS.andes })).body.items;
    expect(inbox.some((n: any) => n.kind === 'grant_revoked' && n.subject.id === grant.id)).toBe(true);
    const actions = (await chain()).filter((e) => e.entity.id === ids[TITLES.od] || e.entity.id === grant.id).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['dataset.retired', 'grant.revoked']);
  });
});
