import { describe, expect, it } from 'vitest';
import type { MeResponse } from '../../shared/schemas/identity';
import type { Proposal, TimelineEntry } from '../../shared/schemas/proposal';
import { daysBetween, formatBytes, formatDate, formatDateTime } from '../../web/src/lib/format';
import { markdownBlocks } from '../../web/src/lib/markdown';
import { agreementBanner, homeFor, navigationFor } from '../../web/src/lib/navigation';
import { authorActions, decisionBody, foldTimeline, latestChangeRequest, queueRows } from '../../web/src/lib/proposals';

const me = (kinds: MeResponse['organization']['kinds'], roles: MeResponse['roles'], state: MeResponse['agreement']['state'] = 'signed'): MeResponse => ({
  user: { id: 'u1', email: 'u@x.example', name: 'U' },
  organization: { id: 'o1', name: 'Org', kinds },
  roles,
  agreement: { state, currentVersion: 2, signedVersion: state === 'unsigned' ? null : 1, graceEndsAt: state === 'grace' ? '2027-01-01T00:00:00.000Z' : null, mayAct: state === 'signed' || state === 'grace' },
});

const labels = (m: MeResponse) => navigationFor(m).flatMap((g) => g.items.map((i) => i.label));

describe('navigation by role', () => {
  it('gives providers their datasets and reviews, members their proposals, admins the secretariat pages', () => {
    expect(labels(me(['provider'], ['org-admin']))).toEqual(expect.arrayContaining(['My datasets', 'Proposals to review']));
    expect(labels(me(['provider'], ['org-admin']))).not.toContain('My proposals');
    expect(labels(me(['member'], ['member']))).toEqual(expect.arrayContaining(['My proposals', 'New proposal', 'Catalog']));
    expect(labels(me(['member'], ['member']))).not.toContain('Review queue');
    expect(labels(me(['secretariat'], ['org-admin', 'consortium-admin']))).toEqual(
      expect.arrayContaining(['Review queue', 'Organisations', 'Agreement versions', 'Governance']),
    );
  });

  it('gives an organisation that is member and provider its grants, the access to its data and the inbox', () => {
    const labels = navigationFor(me(['member', 'provider'], ['org-admin'])).flatMap((g) => g.items.map((i) => i.label));
    expect(labels).toEqual(expect.arrayContaining(['My grants', 'Access to my data', 'Notifications']));
  });

  it('lands an organisation that must sign on the agreement, and the others on their main page', () => {
    expect(homeFor(me(['member'], ['org-admin'], 'unsigned'))).toBe('/agreement');
    expect(homeFor(me(['member'], ['org-admin']))).toBe('/proposals');
    expect(homeFor(me(['provider'], ['member'], 'grace'))).toBe('/provider/datasets');
    expect(homeFor(me(['secretariat'], ['consortium-admin'], 'unsigned'))).toBe('/admin/queue');
  });

  it('shows a banner while the agreement is unsigned, outdated or in its grace period', () => {
    const format = (iso: string) => `<${iso}>`;
    expect(agreementBanner(me(['member'], ['org-admin']), format)).toBeNull();
    expect(agreementBanner(me(['member'], ['org-admin'], 'unsigned'), format)).toMatchObject({ tone: 'danger', message: /has not signed .*Sign it to/ });
    expect(agreementBanner(me(['member'], ['member'], 'outdated'), format)?.message).toMatch(/An org-admin of your organisation must sign it/);
    expect(agreementBanner(me(['member'], ['org-admin'], 'grace'), format)).toMatchObject({ tone: 'warning', message: /by <2027-01-01T00:00:00.000Z>/ });
  });
});

const proposal = (id: string, submittedAt: string, consents: Proposal['consents'] = []): Proposal => ({
  id,
  orgId: 'o',
  orgName: 'Org',
  state: 'submitted',
  revision: 2,
  fields: { title: id },
  createdBy: 'a@x',
  createdAt: submittedAt,
  updatedAt: submittedAt,
  submittedAt,
  decidedAt: null,
  agreementVersion: 1,
  snapshots: [],
  consents,
  adminApprovals: [],
  conditions: [],
  changedSinceSubmission: [],
  overdue: false,
});

describe('the review queue', () => {
  it('puts the oldest submission first with its age in days and pending consents', () => {
    const pending = { datasetId: 'd', providerOrgId: 'p', state: 'pending' as const, by: null, at: null, reason: null };
    const rows = queueRows([proposal('new', '2026-03-10T12:00:00Z'), proposal('old', '2026-03-01T12:00:00Z', [pending])], Date.parse('2026-03-11T13:00:00Z'));
    expect(rows.map((r) => [r.proposal.id, r.ageDays, r.pendingConsents])).toEqual([
      ['old', 10, 1],
      ['new', 1, 0],
    ]);
  });

  it('builds a decision: conditions one per line, only on an approval', () => {
    expect(decisionBody('approve', '  ', 'Aggregates only.\n\n Cells of 10 or more. ')).toEqual({ decision: 'approve', text: undefined, conditions: ['Aggregates only.', 'Cells of 10 or more.'] });
    expect(decisionBody('reject', 'Out of scope', 'ignored')).toEqual({ decision: 'reject', text: 'Out of scope', conditions: undefined });
  });
});

describe('a proposal for its authors', () => {
  it('may be edited in draft and when changes are requested, withdrawn until decided', () => {
    expect(authorActions('draft')).toEqual({ edit: true, submit: true, withdraw: true });
    expect(authorActions('in_review')).toEqual({ edit: false, submit: false, withdraw: true });
    expect(authorActions('changes_requested')).toEqual({ edit: true, submit: true, withdraw: true });
    expect(authorActions('approved')).toEqual({ edit: false, submit: false, withdraw: false });
  });

  const entry = (kind: string, by = 'a@x', text: string | null = null): TimelineEntry => ({ at: '2026-01-01T00:00:00Z', by, orgName: 'Org', kind, text });

  it('shows the latest request for changes until it is answered by a resubmission', () => {
    expect(latestChangeRequest([entry('submitted'), entry('changes_requested', 'admin', 'Narrow it')])?.text).toBe('Narrow it');
    expect(latestChangeRequest([entry('changes_requested', 'admin', 'Narrow it'), entry('resubmitted')])).toBeNull();
  });

  it('folds a run of edits by one person into one timeline row', () => {
    const rows = foldTimeline([entry('created'), entry('edited'), entry('edited'), entry('edited', 'b@x'), entry('submitted')]);
    expect(rows.map((r) => [r.kind, r.by, r.count])).toEqual([
      ['created', 'a@x', 1],
      ['edited', 'a@x', 2],
      ['edited', 'b@x', 1],
      ['submitted', 'a@x', 1],
    ]);
  });
});

describe('dates and sizes', () => {
  it('states the time zone of every instant', () => {
    expect(formatDateTime('2026-03-01T13:05:00Z', { locale: 'en-GB', timeZone: 'Europe/Madrid' })).toBe('1 Mar 2026, 14:05 CET');
    expect(formatDateTime(null)).toBe('—');
  });

  it('never moves a calendar date to the day before', () => {
    expect(formatDate('2026-01-01', { locale: 'en-US' })).toBe('Jan 1, 2026');
  });

  it('counts days as the server does, and sizes in decimal units', () => {
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(formatBytes(999, 'en')).toBe('999 bytes');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(5 * 1000 ** 3, 'en')).toBe('5 GB');
  });
});

describe('the agreement text', () => {
  it('becomes headings, paragraphs and lists, never HTML', () => {
    const blocks = markdownBlocks('# Title\n\nFirst line\ncontinues.\n\n## 1. Scope\n- one\n- two\n\n1. first\n2. second\n<script>x</script>');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'paragraph', text: 'First line continues.' },
      { kind: 'heading', level: 2, text: '1. Scope' },
      { kind: 'list', ordered: false, items: ['one', 'two'] },
      { kind: 'list', ordered: true, items: ['first', 'second'] },
      { kind: 'paragraph', text: '<script>x</script>' },
    ]);
  });
});
