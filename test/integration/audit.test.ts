import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditDraft } from '../../shared/audit-chain';
import { DynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { injectFault } from '../support/faults';
import { approvedProposal, catalogIds, proposalFields, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

let stack: TestStack;
let ids: Record<string, string>;
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));
const grants: Record<string, any> = {};

beforeAll(async () => {
  stack = await createTestStack({ clock });
  ids = await catalogIds(stack);
  const period = { startDate: '2026-05-01', endDate: '2026-07-31' };
  // Andes holds a grant on Northwind's data and one on Helios' data.
  for (const [name, title, consenter] of [['northwind', TITLES.ridership, null], ['helios', TITLES.population, USERS.helios]] as const) {
    const proposal = await approvedProposal(stack, proposalFields([ids[title]!], period), consenter ? [consenter] : []);
    const list = await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes });
    grants[name] = list.body.items.find((g: any) => g.proposalId === proposal.id);
  }
  const file = (await stack.call('GET', `/v1/grants/${grants.northwind.id}/files`, { as: USERS.andes })).body.items[0];
  await stack.call('POST', `/v1/grants/${grants.northwind.id}/downloads`, { as: USERS.andes, body: { fileId: file.id } });
});

const list = async (as: string, query = '') => (await stack.call('GET', `/v1/audit?limit=100${query}`, { as })).body;

describe('reading the trail', () => {
  it('shows admins every event, newest first', async () => {
    const page = await list(USERS.admin);
    const seqs = page.items.map((e: any) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));
    expect(page.items.map((e: any) => e.action)).toEqual(expect.arrayContaining(['proposal.submitted', 'proposal.approved', 'grant.issued', 'grant.download_minted']));
  });

  it('shows a member only its own organisation\'s events and a provider only those on its datasets', async () => {
    const andes = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
    const member = await list(USERS.andes);
    expect(member.items.length).toBeGreaterThan(0);
    expect(member.items.every((e: any) => e.orgId === andes)).toBe(true);
    const northwind = (await stack.call('GET', '/v1/me', { as: USERS.northwind })).body.organization.id;
    const provider = await list(USERS.northwind);
    expect(provider.items.every((e: any) => e.providerOrgIds.includes(northwind))).toBe(true);
    const entities = provider.items.map((e: any) => e.entity.id);
    expect(entities).toContain(grants.northwind.id);
    expect(entities).not.toContain(grants.helios.id);
    expect(provider.items.some((e: any) => e.action === 'grant.download_minted')).toBe(true);
    // Civic sees its own admission, and nothing of Andes' projects.
    const civic = (await list(USERS.civic)).items;
    expect(civic.map((e: any) => e.action)).toEqual(['organization.admitted']);
  });

  it('filters by entity, also within the caller\'s scope', async () => {
    const query = `&entityType=grant&entityId=${grants.helios.id}`;
    expect((await list(USERS.admin, query)).items.map((e: any) => e.action)).toEqual(['grant.issued']);
    expect((await list(USERS.andes, query)).items).toHaveLength(1);
    expect((await list(USERS.northwind, query)).items).toEqual([]);
    const half = await stack.call('GET', '/v1/audit?entityType=grant', { as: USERS.admin });
    expect(half.status).toBe(400);
    expect(half.body.error.details.field).toBe('entityId');
  });

  it('filters by time and pages with a cursor', async () => {
    const all = await list(USERS.admin);
    const times = all.items.map((e: any) => e.at);
    expect((await list(USERS.admin, `&from=${encodeURIComponent('2026-05-10T09:00:00Z')}`)).items.length).toBe(all.items.length);
    expect((await list(USERS.admin, '&to=2026-05-10T09:00:00Z')).items).toEqual([]);
    expect(times.length).toBeGreaterThan(0);
    // Offsets are normalised: 10:00+02:00 is 08:00Z, before everything here.
    expect((await list(USERS.andes, '&from=2026-05-10T10:00:00%2B02:00')).items.length).toBe((await list(USERS.andes)).items.length);
    const first = await stack.call('GET', '/v1/audit?limit=2', { as: USERS.admin });
    expect(first.body.items).toHaveLength(2);
    const second = await stack.call('GET', `/v1/audit?limit=2&cursor=${first.body.nextCursor}`, { as: USERS.admin });
    expect(second.body.items[0].seq).toBe(first.body.items[1].seq - 1);
    const forged = await stack.call('GET', `/v1/audit?limit=2&cursor=${first.body.nextCursor}`, { as: USERS.andes });
    expect(forged.status).toBe(400);
  });
});

describe('coverage', () => {
  it('records admissions, agreement publication and signatures, and dataset publication', async () => {
    const actions = new Set((await stack.deps.audit.readChain()).events.map((e) => e.action));
    for (const action of ['organization.admitted', 'agreement.published', 'agreement.signed', 'dataset.version_published']) {
      expect(actions).toContain(action);
    }
  });
});

describe('the chain', () => {
  const draft = (n: number): AuditDraft => ({
    at: new Date(Date.parse('2026-05-10T10:00:00Z') + n).toISOString(),
    actor: { userId: null, email: 'system', orgId: null, orgName: 'Accord' },
    action: n % 3 === 0 ? 'grant.reminder_sent' : n % 3 === 1 ? 'grant.download_minted' : 'proposal.submitted',
    entity: { type: n % 3 === 2 ? 'proposal' : 'grant', id: `entity-${n % 17}` },
    orgId: `org-${n % 5}`,
    providerOrgIds: n % 4 === 0 ? [] : [`provider-${n % 3}`, `provider-${(n + 1) % 3}`],
    details: { n, note: n % 7 === 0 ? undefined : `event ${n}` },
  });

  it('stays intact over a thousand events appended four at a time, concurrently', async () => {
    for (let start = 0; start < 1000; start += 4) {
      await Promise.all(Array.from({ length: 4 }, (_, i) => stack.deps.audit.append([draft(start + i)])));
    }
    const verified = await stack.call('GET', '/v1/audit/verify', { as: USERS.admin });
    expect(verified.body).toMatchObject({ intact: true, firstBroken: null, broken: [] });
    expect(verified.body.checked).toBeGreaterThanOrEqual(1000);
    expect(verified.body.headSeq).toBe(verified.body.checked);
  });

  it('lets fifty different changes sent at once from one process all land, in one unbroken chain', async () => {
    const fields = proposalFields([ids[TITLES.ridership]!], { startDate: '2026-08-01', endDate: '2026-08-31' });
    const drafts = await Promise.all(Array.from({ length: 50 }, () => stack.call('POST', '/v1/proposals', { as: USERS.andes, body: fields })));
    const before = (await stack.deps.audit.readChain()).head.seq;
    // Before appends were queued per process, about a third of these lost the head twelve times and got 409 concurrent_update.
    const submits = await Promise.all(drafts.map((d) => stack.call('POST', `/v1/proposals/${d.body.id}/submit`, { as: USERS.andes })));
    expect(submits.map((r) => r.status)).toEqual(Array(50).fill(200));
    const { events, head } = await stack.deps.audit.readChain();
    expect(head.seq - before).toBe(50);
    expect(events.filter((e) => e.seq > before).map((e) => e.action)).toEqual(Array(50).fill('proposal.submitted'));
    expect((await stack.call('GET', '/v1/audit/verify', { as: USERS.admin })).body.intact).toBe(true);
  });

  it('appends after a head handed in by the caller, and re-reads it when it has moved since', async () => {
    const log = new DynamoAuditLog(stack.deps.db);
    const read = await log.head();
    const [first] = await log.transact([], [draft(6000)], read);
    expect(first!.seq).toBe(read.seq + 1);
    // `read` is stale now: the append's first attempt loses the head's condition, re-reads and lands after `first`.
    const [second] = await log.transact([], [draft(6001)], read);
    expect(second!).toMatchObject({ seq: read.seq + 2, prevHash: first!.hash });
    expect((await stack.call('GET', '/v1/audit/verify', { as: USERS.admin })).body.intact).toBe(true);
  });

  it('loses no event to a failed append: the business write and the event fail together', async () => {
    const before = (await stack.deps.audit.readChain()).head.seq;
    injectFault(stack.deps.db.doc, 'TransactWriteItemsCommand');
    // A store fault after the SDK's retries is the domain's 503.
    await expect(stack.deps.audit.append([draft(5000)])).rejects.toMatchObject({ code: 'store_unavailable' });
    expect((await stack.deps.audit.readChain()).head.seq).toBe(before);
    expect((await stack.call('GET', '/v1/audit/verify', { as: USERS.admin })).body.intact).toBe(true);
  });

  // Last: it breaks this table's chain on purpose.
  it('detects an event edited and another deleted directly in DynamoDB, naming the first broken link', async () => {
    const { head } = await stack.deps.audit.readChain();
    const edited = head.seq - 500;
    const deleted = head.seq - 100;
    await stack.deps.db.doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.auditEvent(edited),
        UpdateExpression: 'SET details.n = :n',
        ExpressionAttributeValues: { ':n': -1 },
      }),
    );
    await stack.deps.db.doc.send(new DeleteCommand({ TableName: stack.tableName, Key: keys.auditEvent(deleted) }));
    const verified = await stack.call('GET', '/v1/audit/verify', { as: USERS.admin });
    expect(verified.body.intact).toBe(false);
    expect(verified.body.firstBroken).toMatchObject({ seq: edited, problem: 'altered' });
    expect(verified.body.broken.map((b: any) => [b.seq, b.problem])).toEqual([
      [edited, 'altered'],
      [deleted, 'missing'],
    ]);
  });
});
