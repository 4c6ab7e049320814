import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STORE_CALL_BOUND_MS } from '../../functions/adapters/store-faults';
import { PENDING_LEASE_SECONDS } from '../../functions/adapters/dynamodb/idempotency-store';
import { startDynamoDbLocal, type DynamoDbLocalServer } from '../../functions/local/dynamodb-local';
import { injectFault } from '../support/faults';
import { approvedProposal, catalogIds, proposalFields, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type CallResult, type TestStack } from '../support/stack';

// Its own DynamoDB Local: pausing the one of the global setup would stall every file running beside this one.
let dynamo: DynamoDbLocalServer;
let stack: TestStack;
const clock = new TestClock(Date.parse('2026-05-10T09:00:00Z'));
let grantId: string;
let fileId: string;

/** Generous on a busy machine, and still under an API function's 10 s: the point is "bounded", not "fast". */
const ANSWER_BOUND_MS = STORE_CALL_BOUND_MS + 3_000;
/** How long the store stays paused if requests do not come back: longer than any bound, as the attack's 10 s pause. */
const PAUSE_MS = 15_000;

const KEY = 'outage-proposal-1';
const OUTAGE_TITLE = 'Heat exposure proposed during an outage';

/** Every 2xx write answered in this file, to find after the outage. */
const answered = { proposals: new Set<string>(), mints: 0 };

const draftDuringOutage = () =>
  stack.call('POST', '/v1/proposals', {
    as: USERS.andes,
    headers: { 'idempotency-key': KEY },
    body: { title: OUTAGE_TITLE },
  });
const mint = () => stack.call('POST', `/v1/grants/${grantId}/downloads`, { as: USERS.andes, body: { fileId } });

async function timed(request: () => Promise<CallResult>): Promise<CallResult & { ms: number }> {
  const started = performance.now();
  const result = await request();
  return { ...result, ms: performance.now() - started };
}

function record(result: CallResult, kind: 'proposal' | 'mint'): void {
  if (result.status >= 300) return;
  if (kind === 'proposal') answered.proposals.add(result.body.id);
  else answered.mints++;
}

const downloadEvents = async () =>
  (await stack.deps.audit.readChain()).events.filter((e) => e.action.endsWith('download_minted') && e.entity.id === grantId).length;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  stack = await createTestStack({ clock, dynamoEndpoint: dynamo.endpoint });
  const ids = await catalogIds(stack);
  const proposal = await approvedProposal(stack, proposalFields([ids[TITLES.ridership]!], { startDate: '2026-05-01', endDate: '2026-07-31' }));
  const grants = await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes });
  grantId = grants.body.items.find((g: any) => g.proposalId === proposal.id).id;
  fileId = (await stack.call('GET', `/v1/grants/${grantId}/files`, { as: USERS.andes })).body.items[0].id;
  // Every caller signs in before the outage. Every request reads the caller's standing from the
  // store (caller-resolver.ts), so during the outage each one needs the store to know who it is.
  for (const as of [USERS.andes, USERS.northwind, USERS.admin, USERS.helios]) await stack.token(as);
  const minted = await mint();
  expect(minted.status, JSON.stringify(minted.body)).toBe(201);
  record(minted, 'mint');
}, 120_000);

afterAll(async () => {
  dynamo?.resume();
  await dynamo?.stop();
});

describe('DynamoDB not answering', () => {
  it('answers reads and writes 503 store_unavailable with Retry-After, each within the bound', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    dynamo.pause();
    const requests = [
      timed(() => stack.call('GET', '/v1/me', { as: USERS.andes })),
      timed(() => stack.call('GET', '/v1/datasets', { as: USERS.andes })),
      timed(() => stack.call('GET', '/v1/proposals', { as: USERS.helios })),
      timed(() => stack.call('GET', `/v1/grants/${grantId}`, { as: USERS.northwind })),
      timed(draftDuringOutage),
      timed(mint),
      // A burst beyond the client's 50 pooled sockets: queued requests are bounded too.
      ...Array.from({ length: 60 }, (_, n) => timed(() => stack.call('GET', n % 2 ? '/v1/datasets' : '/v1/me', { as: USERS.andes }))),
    ];
    // On code without timeouts nothing comes back while paused; resume after PAUSE_MS so the test ends (and fails).
    const settled = Promise.all(requests);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, PAUSE_MS))]);
    dynamo.resume();
    const results = await settled;
    record(results[4]!, 'proposal');
    record(results[5]!, 'mint');

    const slowest = Math.max(...results.map((r) => r.ms));
    console.log(`store paused: ${results.length} requests, slowest 503 after ${Math.round(slowest)} ms (bound ${STORE_CALL_BOUND_MS} ms)`);
    for (const result of results) {
      expect(result.status, JSON.stringify(result.body)).toBe(503);
      expect(result.body.error.code).toBe('store_unavailable');
      expect(result.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      expect(result.ms).toBeLessThan(ANSWER_BOUND_MS);
    }
    // Each is logged (as a warning, with the store's own error), never shown to the caller.
    expect(warn.mock.calls.filter(([line]) => String(line).includes('"code":"store_unavailable"'))).toHaveLength(results.length);
    warn.mockRestore();
  }, 60_000);

  it('recovers by itself once the store answers again', async () => {
    const started = performance.now();
    let me: CallResult = await stack.call('GET', '/v1/me', { as: USERS.andes });
    while (me.status !== 200 && performance.now() - started < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      me = await stack.call('GET', '/v1/me', { as: USERS.andes });
    }
    console.log(`recovered ${Math.round(performance.now() - started)} ms after the store was resumed`);
    expect(me.status).toBe(200);
    expect((await stack.call('GET', '/v1/datasets', { as: USERS.andes })).status).toBe(200);
    expect((await stack.call('GET', '/v1/proposals', { as: USERS.helios })).status).toBe(200);
    const minted = await mint();
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    record(minted, 'mint');
  }, 60_000);

  it('creates exactly one proposal when the outage\'s request is retried with its Idempotency-Key', async () => {
    let retried = await draftDuringOutage();
    if (retried.status === 409) {
      // The outage's claim reached the store after its caller gave up: it stays pending until its lease lapses.
      expect(retried.body.error.code).toBe('idempotency_in_progress');
      console.log('the outage\'s claim landed late; retried after its lease');
      clock.set(clock.now().getTime() + (PENDING_LEASE_SECONDS + 1) * 1000);
      retried = await draftDuringOutage();
    }
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    record(retried, 'proposal');
    const replayed = await draftDuringOutage();
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.id).toBe(retried.body.id);
    const mine = (await stack.call('GET', '/v1/proposals?limit=100', { as: USERS.andes })).body.items;
    expect(mine.filter((p: any) => p.fields.title === OUTAGE_TITLE)).toHaveLength(1);
  });

  it('lets a key whose claim landed after its caller gave up be claimed again once the claim\'s lease lapses', async () => {
    const headers = { 'idempotency-key': 'lost-claim-1' };
    const body = { title: 'Heat exposure after a lost claim' };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    injectFault(stack.deps.db.doc, 'PutItemCommand', { afterServer: true, error: () => Object.assign(new Error('request timed out'), { name: 'TimeoutError' }) });
    const lost = await stack.call('POST', '/v1/proposals', { as: USERS.andes, headers, body });
    warn.mockRestore();
    expect(lost.status).toBe(503);
    const early = await stack.call('POST', '/v1/proposals', { as: USERS.andes, headers, body });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('idempotency_in_progress');
    clock.set(clock.now().getTime() + (PENDING_LEASE_SECONDS + 1) * 1000);
    const created = await stack.call('POST', '/v1/proposals', { as: USERS.andes, headers, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    record(created, 'proposal');
    const mine = (await stack.call('GET', '/v1/proposals?limit=100', { as: USERS.andes })).body.items;
    expect(mine.filter((p: any) => p.fields.title === body.title)).toHaveLength(1);
  });

  it('takes a claim whose first attempt landed late, met by the SDK\'s retry of it, as this request\'s own', async () => {
    const headers = { 'idempotency-key': 'retried-claim-1' };
    const body = { title: 'Heat exposure after a retried claim' };
    const fault = injectFault(stack.deps.db.doc, 'PutItemCommand', {
      afterServer: true,
      insideRetries: true,
      error: () => Object.assign(new Error('request timed out'), { name: 'TimeoutError' }),
    });
    const created = await stack.call('POST', '/v1/proposals', { as: USERS.andes, headers, body });
    expect(fault.failed()).toBe(1);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    record(created, 'proposal');
  });

  it('leaves nothing half-written: the audit chain verifies, every proposal has its events, every 2xx write is there', async () => {
    const verified = await stack.call('GET', '/v1/audit/verify', { as: USERS.admin });
    expect(verified.body.intact, JSON.stringify(verified.body)).toBe(true);
    const proposals = (await stack.call('GET', '/v1/proposals?limit=100', { as: USERS.andes })).body.items;
    for (const proposal of proposals) {
      const timeline = await stack.call('GET', `/v1/proposals/${proposal.id}/timeline`, { as: USERS.andes });
      expect(timeline.body.items.length, proposal.id).toBeGreaterThan(0);
    }
    for (const id of answered.proposals) {
      expect((await stack.call('GET', `/v1/proposals/${id}`, { as: USERS.andes })).status).toBe(200);
    }
    // A mint refused with 503 may still be audited (its link was never given); an answered one always is.
    expect(await downloadEvents()).toBeGreaterThanOrEqual(answered.mints);
  });
});
