import { describe, expect, it } from 'vitest';
import type { Grant, Obligation } from '../../shared/schemas/grant';
import type { MeResponse } from '../../shared/schemas/identity';
import { ApiError } from '../../web/src/api/client';
import {
  closureFields,
  closureLabels,
  closureRequestFrom,
  emptyClosureForm,
  localDateTimeToIso,
  validateClosure,
  validateRenewal,
  type ClosureFormState,
} from '../../web/src/lib/closure-form';
import { errorsFromApi } from '../../web/src/lib/forms';
import { GRANT_STATE_LABELS } from '../../web/src/lib/grant-review';
import { downloadProblem, grantFlags, granteeActions, obligationsBanner, overdueObligations, PROJECT_STATE_LABELS } from '../../web/src/lib/held-grants';
import { notificationLink, unreadLabel } from '../../web/src/lib/notifications';

const NOW = Date.parse('2026-06-15T12:00:00Z');

const obligation = (kind: Obligation['kind'], dueAt: string, state: Obligation['state'] = 'open', overdue = false): Obligation => ({
  id: `${kind}-${dueAt}`,
  kind,
  dueAt,
  state,
  fulfilledAt: state === 'fulfilled' ? dueAt : null,
  overdue,
});

const grant = (over: Partial<Grant> = {}): Grant => ({
  id: 'g1',
  proposalId: 'p1',
  proposalTitle: 'Evening buses',
  granteeOrgId: 'o1',
  granteeOrgName: 'Andes',
  team: ['a@x.example'],
  datasetId: 'd1',
  datasetTitle: 'Ridership',
  providerOrgId: 'o2',
  providerName: 'Northwind',
  versions: [1],
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  conditions: [],
  state: 'active',
  revision: 1,
  issuedAt: '2026-01-01T00:00:00Z',
  revokedAt: null,
  revokedBy: null,
  revokedReason: null,
  endedAt: null,
  closedAt: null,
  obligations: [],
  renewals: [],
  attestation: null,
  outcomeReport: null,
  ...over,
});

describe('the obligations-overdue banner', () => {
  it('shows nothing while every obligation is fulfilled or still within its deadline', () => {
    const grants = [
      grant(),
      grant({ id: 'g2', state: 'expired', obligations: [obligation('deletion_attestation', '2026-07-01T00:00:00Z'), obligation('outcome_report', '2026-05-01T00:00:00Z', 'fulfilled')] }),
    ];
    expect(overdueObligations(grants, NOW)).toEqual([]);
    expect(obligationsBanner('Andes', grants, NOW)).toBeNull();
  });

  it('counts an open obligation the server marked overdue, and one whose deadline passed since the read', () => {
    const grants = [
      grant({ id: 'g2', state: 'revoked', obligations: [obligation('outcome_report', '2026-07-01T00:00:00Z', 'open', true)] }),
      grant({ id: 'g3', state: 'expired', obligations: [obligation('deletion_attestation', '2026-06-15T11:59:00Z')] }),
    ];
    expect(overdueObligations(grants, NOW).map((o) => [o.grantId, o.kind])).toEqual([
      ['g3', 'deletion_attestation'],
      ['g2', 'outcome_report'],
    ]);
  });

  it('names the organisation, what is late, and links each grant once', () => {
    const grants = [
      grant({
        id: 'g2',
        state: 'expired',
        obligations: [obligation('deletion_attestation', '2026-06-01T00:00:00Z', 'open', true), obligation('outcome_report', '2026-06-01T00:00:00Z', 'open', true)],
      }),
    ];
    const banner = obligationsBanner('Andes', grants, NOW)!;
    expect(banner.message).toBe(
      'Andes is late with the deletion attestation and outcome report of one grant. Until they are submitted it cannot submit proposals or ask for renewals.',
    );
    expect(banner.grants).toEqual([{ grantId: 'g2', label: 'Ridership (Evening buses): deletion attestation and outcome report' }]);
  });
});

describe('what the grantee may do with a grant', () => {
  it('downloads and renews an active grant that has started, with no renewal pending', () => {
    expect(granteeActions(grant(), NOW)).toEqual({ download: true, renew: true, close: false });
    expect(granteeActions(grant({ startDate: '2026-07-01' }), NOW).download).toBe(false);
    const pending = { id: 'r', state: 'pending' } as Grant['renewals'][number];
    expect(granteeActions(grant({ renewals: [pending] }), NOW).renew).toBe(false);
  });

  it('closes an ended or revoked grant until both documents are in, even before the job opened its obligations', () => {
    expect(granteeActions(grant({ state: 'expired' }), NOW)).toEqual({ download: false, renew: false, close: true });
    expect(granteeActions(grant({ state: 'revoked', outcomeReport: {} as Grant['outcomeReport'] }), NOW).close).toBe(true);
    expect(granteeActions(grant({ state: 'closed' }), NOW).close).toBe(false);
  });

  it('flags a pending renewal, a closure due and a closure overdue beside the state', () => {
    const pending = { id: 'r', state: 'pending' } as Grant['renewals'][number];
    const labels = (g: Grant) => grantFlags(g, NOW).map((f) => f.label);
    expect(labels(grant())).toEqual([]);
    expect(labels(grant({ renewals: [pending] }))).toEqual(['Renewal pending']);
    expect(labels(grant({ state: 'expired', obligations: [obligation('outcome_report', '2026-07-01T00:00:00Z')] }))).toEqual(['Closure due']);
    expect(labels(grant({ state: 'revoked', obligations: [obligation('outcome_report', '2026-06-01T00:00:00Z')] }))).toEqual(['Closure overdue']);
    expect(labels(grant({ state: 'closed', obligations: [obligation('outcome_report', '2026-06-01T00:00:00Z', 'fulfilled')] }))).toEqual([]);
  });

  it('names every grant and register state in words', () => {
    expect(Object.keys(GRANT_STATE_LABELS).sort()).toEqual(['active', 'closed', 'expired', 'revoked']);
    expect(Object.values(PROJECT_STATE_LABELS)).toEqual(['Running', 'Ended', 'Closed']);
  });

  it('explains a refused download by its code, and leaves other failures to the generic message', () => {
    expect(downloadProblem(new ApiError(403, 'grant_revoked', 'x'))?.title).toBe('This grant was revoked');
    expect(downloadProblem(new ApiError(403, 'grant_expired', 'This grant ended on 2026-05-31'))?.text).toMatch(/^This grant ended on 2026-05-31\. Delete/);
    expect(downloadProblem(new ApiError(403, 'not_on_team', 'x'))?.title).toMatch(/not on the project team/);
    expect(downloadProblem(new ApiError(500, 'internal', 'x'))).toBeNull();
    expect(downloadProblem(new Error('x'))).toBeNull();
  });
});

const filled = (): ClosureFormState => ({
  ...emptyClosureForm(grant(), ['a.csv', 'b.csv'], ['Load factor', 'Passengers left behind'], 'Ana Andes'),
  deletedAt: '2026-06-10T09:30',
  method: 'Secure erase of the encrypted volume',
  copies: [{ location: 'Analysis server', description: '' }],
  statement: 'No copy of the data remains with us.',
  outputs: [{ title: 'Evening schedule', url: ' https://example.org/schedule ', description: '' }],
  indicators: [
    { indicator: 'Load factor', result: 'Down from 1.3 to 0.9' },
    { indicator: 'Passengers left behind', result: 'Halved' },
  ],
  publicSummary: 'Evening buses were re-timed and crowding fell by a third.',
});

describe('the closure form', () => {
  it('starts with the parts still owed, every file, and one row per indicator of the proposal', () => {
    const form = emptyClosureForm(grant({ attestation: {} as Grant['attestation'] }), ['a.csv'], ['Load factor'], 'Ana');
    expect(form).toMatchObject({ sendAttestation: false, sendReport: true, deletedBy: 'Ana', files: ['a.csv'], indicators: [{ indicator: 'Load factor', result: '' }] });
    expect(emptyClosureForm(grant(), [], []).indicators).toEqual([{ indicator: '', result: '' }]);
  });

  it('maps the inputs to the API body: blank optional inputs left out, the local time as an instant', () => {
    const body = closureRequestFrom(filled());
    expect(body.attestation).toMatchObject({
      deletedBy: 'Ana Andes',
      deletedAt: new Date('2026-06-10T09:30').toISOString(),
      copies: [{ location: 'Analysis server', description: undefined }],
      files: ['a.csv', 'b.csv'],
    });
    expect(body.outcomeReport?.outputs).toEqual([{ title: 'Evening schedule', url: 'https://example.org/schedule', description: undefined }]);
    const checked = validateClosure(filled());
    expect(checked.ok).toBe(true);
  });

  it('sends only the part that is ticked', () => {
    const body = closureRequestFrom({ ...filled(), sendAttestation: false });
    expect(Object.keys(body)).toEqual(['outcomeReport']);
  });

  it('puts each schema message beside its input, rows included', () => {
    const form = { ...filled(), copies: [{ location: 'x', description: '' }], outputs: [{ title: 'Ok title', url: 'not a link', description: '' }], publicSummary: 'short' };
    const checked = validateClosure(form);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(['attestation.copies.0.location', 'outcomeReport.outputs.0.url', 'outcomeReport.publicSummary']);
    expect(checked.errors['attestation.copies.0.location']).toBe('Enter at least 2 characters');
  });

  it('asks for a part, for at least one file, and for a readable date', () => {
    expect(validateClosure({ ...filled(), sendAttestation: false, sendReport: false })).toEqual({ ok: false, errors: { parts: expect.any(String) } });
    const noFiles = validateClosure({ ...filled(), files: [] });
    expect(noFiles.ok === false && noFiles.errors['attestation.files']).toBe('Tick every file you deleted');
    const noDate = validateClosure({ ...filled(), deletedAt: '' });
    expect(noDate.ok === false && Object.keys(noDate.errors)).toEqual(['attestation.deletedAt']);
    expect(localDateTimeToIso('nonsense')).toBe('nonsense');
  });

  it('names every input, row by row, for the error summary', () => {
    const labels = closureLabels({ ...filled(), copies: [{ location: '', description: '' }, { location: '', description: '' }] });
    expect(labels).toMatchObject({
      'attestation.deletedAt': 'Deleted on',
      'attestation.copies': 'Copies',
      'attestation.copies.1.location': 'Copy 2: where it was',
      'attestation.copies.1.description': 'Copy 2: what was done (optional)',
      'outcomeReport.outputs.0.url': 'Output 1: link (optional)',
      'outcomeReport.indicators.1.result': 'Indicator 2: result',
    });
    expect(closureFields(filled())).toContain('outcomeReport.indicators.1.indicator');
  });

  it('places an API error naming a row field beside that row', () => {
    const error = new ApiError(400, 'invalid_request', 'outcomeReport.indicators.1.result: Too small: expected string to have >=1 characters', {
      field: 'outcomeReport.indicators.1.result',
    });
    expect(errorsFromApi(error, closureFields(filled()))).toEqual({ 'outcomeReport.indicators.1.result': 'Enter a value' });
  });
});

describe('the renewal form', () => {
  it('needs a valid later end date and a reason', () => {
    expect(validateRenewal({ endDate: '2027-03-01', reason: 'The survey slipped by a season.' }, '2026-12-31')).toEqual({
      ok: true,
      value: { endDate: '2027-03-01', reason: 'The survey slipped by a season.' },
    });
    expect(validateRenewal({ endDate: '2026-12-31', reason: 'The survey slipped by a season.' }, '2026-12-31')).toEqual({
      ok: false,
      errors: { endDate: 'Choose a date after the current end date' },
    });
    const both = validateRenewal({ endDate: '', reason: 'short' }, '2026-12-31');
    expect(both.ok === false && Object.keys(both.errors).sort()).toEqual(['endDate', 'reason']);
  });
});

describe('notifications', () => {
  const me = (kinds: MeResponse['organization']['kinds'], roles: MeResponse['roles'] = ['org-admin']): MeResponse => ({
    user: { id: 'u', email: 'u@x.example', name: 'U' },
    organization: { id: 'o', name: 'O', kinds },
    roles,
    agreement: { state: 'signed', currentVersion: 1, signedVersion: 1, graceEndsAt: null, mayAct: true },
  });

  it('link to the page of their proposal or grant that the reader has', () => {
    const grantNote = { subject: { type: 'grant' as const, id: 'g 1' } };
    const proposalNote = { subject: { type: 'proposal' as const, id: 'p1' } };
    expect(notificationLink(grantNote, me(['member']))).toBe('/grants/g%201');
    expect(notificationLink(proposalNote, me(['member']))).toBe('/proposals/p1');
    expect(notificationLink(proposalNote, me(['provider']))).toBe('/provider/reviews/p1');
    expect(notificationLink(proposalNote, me(['secretariat'], ['consortium-admin']))).toBe('/admin/proposals/p1');
    expect(notificationLink(grantNote, me(['provider']))).toBe('/provider/grants/g%201');
    expect(notificationLink(grantNote, me(['secretariat'], ['consortium-admin']))).toBe('/admin/grants/g%201');
  });

  it('count unread up to 99', () => {
    expect([0, 1, 99, 100].map(unreadLabel)).toEqual([null, '1', '99', '99+']);
  });
});
