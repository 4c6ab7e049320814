import { describe, expect, it } from 'vitest';
import { RenewalReviewRequestSchema, RevokeRequestSchema, type Grant, type Renewal } from '../../shared/schemas/grant';
import type { MeResponse } from '../../shared/schemas/identity';
import type { AuditEvent, ChainVerification } from '../../web/src/api/endpoints';
import {
  actionLabel,
  auditQueryOf,
  downloadRows,
  eventSummary,
  filtersFromParams,
  isoToLocal,
  localToIso,
  NO_AUDIT_FILTERS,
  paramsOf,
  verificationSummary,
} from '../../web/src/lib/audit-view';
import { validate } from '../../web/src/lib/forms';
import { accessWindow, canRevoke, extensionDays, pendingRenewalOf, renewalChoices, renewalReviewBody, renewalWaitingFor } from '../../web/src/lib/grant-review';
import { navigationFor } from '../../web/src/lib/navigation';

const event = (seq: number, action: string, details: Record<string, unknown> = {}): AuditEvent => ({
  seq,
  at: `2026-03-0${seq}T10:00:00.000Z`,
  actor: { userId: 'u1', email: 'analyst@andes-bank.example', orgId: 'o1', orgName: 'Andes Development Bank' },
  action,
  entity: { type: 'grant', id: 'g1' },
  orgId: 'o1',
  providerOrgIds: ['p1'],
  details,
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
});

describe('audit filters and the API query', () => {
  it('sends nothing for empty filters', () => {
    expect(auditQueryOf(NO_AUDIT_FILTERS)).toEqual({ ok: true, query: { entityType: undefined, entityId: undefined, from: undefined, to: undefined } });
  });

  it('sends an entity as its type and trimmed id, and local times as UTC instants', () => {
    const checked = auditQueryOf({ entityType: 'grant', entityId: '  g-42 ', from: '2026-03-01T09:30', to: '' });
    expect(checked).toEqual({ ok: true, query: { entityType: 'grant', entityId: 'g-42', from: new Date('2026-03-01T09:30').toISOString(), to: undefined } });
  });

  it('asks for the kind of entity when only an id is given, and for the id when only a kind is', () => {
    expect(auditQueryOf({ ...NO_AUDIT_FILTERS, entityId: 'g-42' })).toEqual({ ok: false, errors: { entityType: 'Choose the kind of entity this id belongs to' } });
    expect(auditQueryOf({ ...NO_AUDIT_FILTERS, entityType: 'proposal' })).toEqual({ ok: false, errors: { entityId: 'Enter the id of the entity, or clear its kind' } });
  });

  it('refuses a "before" time that is not after the "from" time, on the "before" field', () => {
    const checked = auditQueryOf({ ...NO_AUDIT_FILTERS, from: '2026-03-02T10:00', to: '2026-03-01T10:00' });
    expect(checked).toEqual({ ok: false, errors: { to: 'Enter a time after the “from” time' } });
  });

  it('names the field of a time that is no date', () => {
    const checked = auditQueryOf({ ...NO_AUDIT_FILTERS, from: 'yesterday' });
    expect(checked.ok).toBe(false);
    expect(Object.keys(!checked.ok ? checked.errors : {})).toEqual(['from']);
  });

  it('keeps the filters in the address and reads back only known entity kinds', () => {
    const filters = { entityType: 'grant' as const, entityId: 'g1', from: '2026-03-01T09:30', to: '' };
    expect(paramsOf(filters).toString()).toBe('entityType=grant&entityId=g1&from=2026-03-01T09%3A30');
    expect(filtersFromParams(paramsOf(filters))).toEqual(filters);
    expect(filtersFromParams(new URLSearchParams('entityType=user&entityId=x'))).toEqual({ ...NO_AUDIT_FILTERS, entityId: 'x' });
  });

  it('turns local times into instants and back', () => {
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('not a date')).toBe('not a date');
    expect(isoToLocal(localToIso('2026-07-14T08:05')!)).toBe('2026-07-14T08:05');
  });
});

describe('audit events in words', () => {
  it('labels known actions and spells out unknown ones', () => {
    expect(actionLabel('grant.download_minted')).toBe('Download link issued');
    expect(actionLabel('proposal.submitted')).toBe('Proposal submitted');
    expect(actionLabel('dataset.retired')).toBe('Dataset retired');
    expect(actionLabel('something')).toBe('something');
  });

  it('summarises each kind of grant event from its details', () => {
    expect(eventSummary(event(1, 'grant.download_minted', { fileName: 'stops.csv', version: 2, url: undefined }))).toBe('stops.csv (version 2)');
    expect(eventSummary(event(2, 'grant.revoked', { reason: 'Breach of condition 2', by: 'admin' }))).toBe('By the secretariat: Breach of condition 2');
    expect(eventSummary(event(3, 'grant.revoked', { reason: 'Misuse', by: 'provider' }))).toBe('By the provider: Misuse');
    expect(eventSummary(event(4, 'grant.renewal_requested', { fromEndDate: '2026-06-01', endDate: '2026-09-01', reason: 'Fieldwork ran late' }))).toBe(
      'End date 2026-06-01 → 2026-09-01: Fieldwork ran late',
    );
    expect(eventSummary(event(5, 'grant.closed', { attestation: {}, outcomeReport: {} }))).toBe('deletion attestation and outcome report');
    expect(eventSummary(event(6, 'proposal.rejected', { text: 'Out of scope' }))).toBe('Out of scope');
    expect(eventSummary(event(7, 'proposal.consented', { text: null }))).toBe('');
  });

  it('lists the download mints only, with who, which organisation, which file and when', () => {
    const rows = downloadRows([event(1, 'grant.issued'), event(2, 'grant.download_minted', { fileName: 'stops.csv', version: 1 }), event(3, 'grant.revoked')]);
    expect(rows).toEqual([
      { seq: 2, at: '2026-03-02T10:00:00.000Z', grantId: 'g1', email: 'analyst@andes-bank.example', orgName: 'Andes Development Bank', fileName: 'stops.csv', version: 1 },
    ]);
  });

  it('reports an intact chain with its count, and a broken one with its first broken link', () => {
    const base: ChainVerification = { intact: true, checked: 12, headSeq: 12, firstBroken: null, broken: [], verifiedAt: '2026-03-01T10:00:00.000Z' };
    expect(verificationSummary(base)).toBe('The chain is intact: 12 events checked, up to event 12.');
    const link = { seq: 5, problem: 'altered' as const, message: 'Event 5 does not hash to its stored hash.' };
    const broken = { ...base, intact: false, firstBroken: link, broken: [link, { seq: 9, problem: 'missing' as const, message: 'gap' }] };
    expect(verificationSummary(broken)).toBe('The chain is broken at event 5 (altered): Event 5 does not hash to its stored hash. 12 events checked. 1 more finding after it.');
  });
});

const renewal = (overrides: Partial<Renewal> = {}): Renewal => ({
  id: 'r1',
  requestedBy: 'analyst@andes-bank.example',
  requestedAt: '2026-03-01T10:00:00.000Z',
  fromEndDate: '2026-06-01',
  endDate: '2026-07-01',
  reason: 'Fieldwork ran late.',
  state: 'pending',
  providerConsent: 'pending',
  adminDecision: 'pending',
  decidedAt: null,
  decidedBy: null,
  decisionText: null,
  ...overrides,
});

describe('reviewing a grant', () => {
  it('revokes only a running grant', () => {
    expect(canRevoke({ state: 'active' })).toBe(true);
    for (const state of ['expired', 'revoked', 'closed'] as const) expect(canRevoke({ state })).toBe(false);
  });

  it('asks for a revocation reason of 10 to 512 characters, as the API does', () => {
    expect(validate(RevokeRequestSchema, { reason: '  too short ' }, ['reason'])).toEqual({ ok: false, errors: { reason: 'Enter at least 10 characters' } });
    expect(validate(RevokeRequestSchema, { reason: 'x'.repeat(513) }, ['reason'])).toEqual({ ok: false, errors: { reason: 'Enter at most 512 characters' } });
    expect(validate(RevokeRequestSchema, { reason: '  Breach of condition 2.  ' }, ['reason'])).toEqual({ ok: true, value: { reason: 'Breach of condition 2.' } });
  });

  it('states the access window as instants: from 00:00 UTC of the start to the end of the end date', () => {
    expect(accessWindow({ startDate: '2026-02-27', endDate: '2026-02-28' })).toEqual({ from: '2026-02-27T00:00:00.000Z', until: '2026-03-01T00:00:00.000Z' });
  });

  it('offers admins approve or refuse and the provider consent or decline, each only while theirs is pending', () => {
    expect(renewalChoices(renewal(), 'admin')).toEqual(['approve', 'refuse']);
    expect(renewalChoices(renewal(), 'provider')).toEqual(['consent', 'decline']);
    expect(renewalChoices(renewal({ providerConsent: null }), 'provider')).toEqual([]);
    expect(renewalChoices(renewal({ adminDecision: 'approved' }), 'admin')).toEqual([]);
    expect(renewalChoices(renewal({ state: 'refused' }), 'admin')).toEqual([]);
  });

  it('says what a pending renewal waits for and how much longer it makes the grant', () => {
    expect(renewalWaitingFor(renewal())).toBe("Awaiting the provider's consent and a consortium admin's decision.");
    expect(renewalWaitingFor(renewal({ providerConsent: 'consented' }))).toBe("Awaiting a consortium admin's decision.");
    expect(renewalWaitingFor(renewal({ state: 'approved', providerConsent: 'consented', adminDecision: 'approved' }))).toBe('');
    expect(extensionDays(renewal())).toBe(30);
    expect(pendingRenewalOf({ renewals: [renewal({ id: 'old', state: 'refused' }), renewal()] })?.id).toBe('r1');
    expect(pendingRenewalOf({ renewals: [] as Grant['renewals'] })).toBeNull();
  });

  it('needs a reason to refuse or decline a renewal, not to approve it', () => {
    const fields = ['decision', 'text'];
    expect(validate(RenewalReviewRequestSchema, renewalReviewBody('approve', '  '), fields)).toEqual({ ok: true, value: { decision: 'approve' } });
    expect(validate(RenewalReviewRequestSchema, renewalReviewBody('decline', 'no'), fields)).toEqual({ ok: false, errors: { text: 'Say why (at least 5 characters)' } });
  });
});

describe('navigation to the grants and the audit log', () => {
  const me = (kinds: MeResponse['organization']['kinds'], roles: MeResponse['roles']): MeResponse => ({
    user: { id: 'u1', email: 'u@x.example', name: 'U' },
    organization: { id: 'o1', name: 'Org', kinds },
    roles,
    agreement: { state: 'signed', currentVersion: 1, signedVersion: 1, graceEndsAt: null, mayAct: true },
  });
  const items = (m: MeResponse) => navigationFor(m).flatMap((g) => g.items);

  it('gives the secretariat its grants and audit log, and providers the access to their data', () => {
    const admin = items(me(['secretariat'], ['org-admin', 'consortium-admin']));
    expect(admin.filter((i) => ['/admin/grants', '/admin/audit'].includes(i.to)).map((i) => i.label)).toEqual(['Grants', 'Audit log']);
    expect(items(me(['provider'], ['org-admin'])).find((i) => i.to === '/provider/grants')).toEqual({ to: '/provider/grants', label: 'Access to my data' });
    expect(items(me(['member'], ['org-admin'])).some((i) => i.to.startsWith('/admin') || i.to === '/provider/grants')).toBe(false);
  });
});
