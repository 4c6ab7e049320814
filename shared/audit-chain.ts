/**
 * The audit trail's hash chain, pure: canonical JSON of an event, linking an event to the
 * previous one, and recomputing a chain to find the first broken link. Hashing is injected
 * (`Sha256`) because shared/ does no I/O and imports no Node module; functions/ passes
 * node:crypto's sha256.
 *
 * hash(n) = sha256( canonicalJson(body(n)) + hash(n-1) ), hash(0) = GENESIS_HASH,
 * where body is the event without `prevHash` and `hash`; keys sorted at every level, no spaces.
 */

/** Hex sha256 of a UTF-8 string. */
export type Sha256 = (text: string) => string;

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditActor {
  /** null for the system (the lifecycle job). */
  readonly userId: string | null;
  readonly email: string;
  readonly orgId: string | null;
  readonly orgName: string;
}

export const ENTITY_TYPES = ['proposal', 'grant', 'dataset', 'organization', 'agreement'] as const;
export type AuditEntityType = (typeof ENTITY_TYPES)[number];

/** An event before it is placed in the chain. */
export interface AuditDraft {
  readonly at: string;
  readonly actor: AuditActor;
  /** `<entity>.<verb>`, e.g. `grant.download_minted`. */
  readonly action: string;
  readonly entity: { readonly type: AuditEntityType; readonly id: string };
  /** The organisation whose business the event is (a proposal's or grantee's organisation). */
  readonly orgId: string | null;
  /** Providers whose datasets the event concerns. */
  readonly providerOrgIds: string[];
  readonly details: Readonly<Record<string, unknown>>;
}

/** What is hashed: the draft and its place in the chain. */
export interface AuditEventBody extends AuditDraft {
  readonly seq: number;
}

export interface AuditEvent extends AuditEventBody {
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export const EMPTY_HEAD: AuditHead = { seq: 0, hash: GENESIS_HASH };

/**
 * JSON with object keys sorted at every level and no whitespace; `undefined` members are left
 * out (as DynamoDB leaves them out), so an event hashes the same before and after a round trip.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('Audit events hold finite numbers only');
      return JSON.stringify(value);
    case 'object': {
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`Audit events hold JSON values only, not ${typeof value}`);
  }
}

/** The hashed part of an event: exactly the body's fields, whatever else a stored item carries. */
export const bodyOf = (event: AuditEventBody): AuditEventBody => ({
  seq: event.seq,
  at: event.at,
  actor: { userId: event.actor.userId, email: event.actor.email, orgId: event.actor.orgId, orgName: event.actor.orgName },
  action: event.action,
  entity: { type: event.entity.type, id: event.entity.id },
  orgId: event.orgId,
  providerOrgIds: [...event.providerOrgIds],
  details: event.details,
});

export const hashEvent = (body: AuditEventBody, prevHash: string, sha256: Sha256): string =>
  sha256(canonicalJson(bodyOf(body)) + prevHash);

const SECRET = /X-Amz-(Signature|Credential|Security-Token)|^Bearer\s|eyJ[\w-]{8,}\.[\w-]{8,}\./i;

/** Replaces anything that looks like a URL signature or a token with `[redacted]`: they never enter the trail. */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return SECRET.test(value) ? '[redacted]' : value;
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /^(url|token|signature|authorization)$/i.test(k) ? '[redacted]' : redactSecrets(v)]));
  }
  return value;
}

/** Places drafts after `head`, in order: each gets the next seq and hashes over the previous hash. */
export function linkEvents(drafts: readonly AuditDraft[], head: AuditHead, sha256: Sha256): AuditEvent[] {
  let previous = head;
  return drafts.map((draft) => {
    const body = bodyOf({ ...draft, details: redactSecrets(draft.details) as Record<string, unknown>, seq: previous.seq + 1 });
    const event: AuditEvent = { ...body, prevHash: previous.hash, hash: hashEvent(body, previous.hash, sha256) };
    previous = { seq: event.seq, hash: event.hash };
    return event;
  });
}

export type BrokenLinkProblem = 'missing' | 'altered' | 'relinked' | 'head_mismatch';

export interface BrokenLink {
  readonly seq: number;
  readonly problem: BrokenLinkProblem;
  readonly message: string;
}

export interface ChainVerification {
  readonly intact: boolean;
  /** Events read and recomputed. */
  readonly checked: number;
  readonly headSeq: number;
  readonly firstBroken: BrokenLink | null;
  /** Every broken link found, in chain order (at most 100). */
  readonly broken: BrokenLink[];
}

/**
 * Recomputes the chain from its first event. Finds events that were removed (a gap in seq, or a
 * head beyond the last event), changed (the stored hash is not the hash of the stored body), and
 * changed with their hash recomputed (the next event's prevHash no longer matches). After each
 * finding it resynchronises on the stored values, so one tampered event is reported once.
 */
export function verifyChain(events: Iterable<AuditEvent>, head: AuditHead, sha256: Sha256): ChainVerification {
  const broken: BrokenLink[] = [];
  const report = (link: BrokenLink) => {
    if (broken.length < 100) broken.push(link);
  };
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let checked = 0;
  for (const event of events) {
    checked++;
    if (event.seq > expectedSeq) {
      for (let seq = expectedSeq; seq < event.seq && broken.length < 100; seq++) {
        report({ seq, problem: 'missing', message: `Event ${seq} is missing from the chain` });
      }
    } else if (event.prevHash !== previousHash) {
      report({ seq: event.seq, problem: 'relinked', message: `Event ${event.seq} does not link to event ${event.seq - 1}: an event before it was changed` });
    }
    if (hashEvent(event, event.prevHash, sha256) !== event.hash) {
      report({ seq: event.seq, problem: 'altered', message: `Event ${event.seq} was changed after it was recorded` });
    }
    expectedSeq = event.seq + 1;
    previousHash = event.hash;
  }
  if (head.seq !== expectedSeq - 1 || head.hash !== previousHash) {
    const seq = Math.max(head.seq, expectedSeq - 1);
    report({
      seq,
      problem: head.seq > expectedSeq - 1 ? 'missing' : 'head_mismatch',
      message: head.seq > expectedSeq - 1 ? `Events ${expectedSeq} to ${head.seq} are missing from the end of the chain` : 'The chain head does not match the last event',
    });
  }
  return { intact: broken.length === 0, checked, headSeq: head.seq, firstBroken: broken[0] ?? null, broken };
}
