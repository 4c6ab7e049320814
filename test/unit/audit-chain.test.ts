import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, EMPTY_HEAD, GENESIS_HASH, hashEvent, linkEvents, redactSecrets, verifyChain, type AuditDraft, type AuditEvent } from '../../shared/audit-chain';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const draft = (n: number): AuditDraft => ({
  at: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
  actor: { userId: 'u1', email: 'a@example.org', orgId: 'o1', orgName: 'Org' },
  action: 'grant.download_minted',
  entity: { type: 'grant', id: `g${n}` },
  orgId: 'o1',
  providerOrgIds: ['p1'],
  details: { n, nested: { b: 2, a: [1, 'x'] } },
});

const chainOf = (count: number) => linkEvents(Array.from({ length: count }, (_, i) => draft(i)), EMPTY_HEAD, sha256);
const headOf = (events: AuditEvent[]) => ({ seq: events.at(-1)!.seq, hash: events.at(-1)!.hash });

describe('canonical JSON', () => {
  it('sorts keys at every level, keeps array order and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'é"' } })).toBe('{"a":{"c":"é\\"","d":[3,{"x":null,"z":1}]},"b":1}');
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow();
  });
});

describe('linking', () => {
  it('numbers events after the head and hashes each over the previous hash', () => {
    const events = chainOf(3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    const { prevHash: _p, hash: _h, ...body } = events[2]!;
    expect(events[2]!.hash).toBe(sha256(canonicalJson(body) + events[1]!.hash));
    expect(hashEvent(events[2]!, events[2]!.prevHash, sha256)).toBe(events[2]!.hash);
  });

  it('keeps URL signatures and tokens out of the details', () => {
    const [event] = linkEvents([{ ...draft(1), details: { url: 'https://s3/x?X-Amz-Signature=abc', note: 'Bearer eyJhbGciOi.eyJzdWIiOiJ4.sig', fine: 'ok' } }], EMPTY_HEAD, sha256);
    expect(event!.details).toEqual({ url: '[redacted]', note: '[redacted]', fine: 'ok' });
    expect(redactSecrets(['a', { token: 't' }])).toEqual(['a', { token: '[redacted]' }]);
  });
});

describe('verification', () => {
  it('accepts an untouched chain', () => {
    const events = chainOf(50);
    expect(verifyChain(events, headOf(events), sha256)).toMatchObject({ intact: true, checked: 50, headSeq: 50, firstBroken: null });
    expect(verifyChain([], EMPTY_HEAD, sha256).intact).toBe(true);
  });

  it('names an event changed after it was recorded', () => {
    const events = chainOf(10);
    const tampered = events.map((e) => (e.seq === 4 ? { ...e, details: { ...e.details, n: 99 } } : e));
    const result = verifyChain(tampered, headOf(events), sha256);
    expect(result.intact).toBe(false);
    expect(result.firstBroken).toMatchObject({ seq: 4, problem: 'altered' });
    expect(result.broken).toHaveLength(1);
  });

  it('names the next link when an event was changed and its hash recomputed', () => {
    const events = chainOf(10);
    const forged = { ...events[3]!, details: { forged: true } };
    const rehashed = { ...forged, hash: hashEvent(forged, forged.prevHash, sha256) };
    const result = verifyChain(events.map((e) => (e.seq === 4 ? rehashed : e)), headOf(events), sha256);
    expect(result.firstBroken).toMatchObject({ seq: 5, problem: 'relinked' });
  });

  it('names a removed event, in the middle and at the end', () => {
    const events = chainOf(10);
    expect(verifyChain(events.filter((e) => e.seq !== 6), headOf(events), sha256).firstBroken).toMatchObject({ seq: 6, problem: 'missing' });
    expect(verifyChain(events.slice(0, 8), headOf(events), sha256).firstBroken).toMatchObject({ seq: 10, problem: 'missing' });
    expect(verifyChain(events.slice(1), headOf(events), sha256).firstBroken).toMatchObject({ seq: 1, problem: 'missing' });
  });

  it('reports every break, the first one first', () => {
    const events = chainOf(20);
    const tampered = events.filter((e) => e.seq !== 15).map((e) => (e.seq === 3 ? { ...e, action: 'grant.revoked' } : e));
    const result = verifyChain(tampered, headOf(events), sha256);
    expect(result.broken.map((b) => [b.seq, b.problem])).toEqual([[3, 'altered'], [15, 'missing']]);
    expect(result.firstBroken!.seq).toBe(3);
  });
});
