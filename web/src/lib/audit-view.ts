import { ENTITY_TYPES, type AuditEntityType } from '../../../shared/audit-chain';
import { AuditQuerySchema } from '../../../shared/schemas/audit';
import type { AuditEvent, AuditFilter, ChainVerification } from '../api/endpoints';
import { errorsFromIssues, type FieldErrors } from './forms';

/**
 * The audit page's filters as typed: `from`/`to` are `datetime-local` values (the reader's
 * wall-clock time, no zone), kept in the address so a filtered view can be shared.
 */
export interface AuditFilters {
  readonly entityType: AuditEntityType | '';
  readonly entityId: string;
  readonly from: string;
  readonly to: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = { entityType: '', entityId: '', from: '', to: '' };
export const AUDIT_FILTER_FIELDS = ['entityType', 'entityId', 'from', 'to'] as const;

export const ENTITY_LABELS: Record<AuditEntityType, string> = {
  proposal: 'Proposal',
  grant: 'Grant',
  dataset: 'Dataset',
  organization: 'Organisation',
  agreement: 'Agreement',
};

export function filtersFromParams(params: URLSearchParams): AuditFilters {
  const type = params.get('entityType') ?? '';
  return {
    entityType: (ENTITY_TYPES as readonly string[]).includes(type) ? (type as AuditEntityType) : '',
    entityId: params.get('entityId') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

export function paramsOf(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_FIELDS) if (filters[key].trim()) params.set(key, filters[key].trim());
  return params;
}

/**
 * A `datetime-local` value (`2026-03-03T14:05`, the reader's time) as an ISO instant in UTC;
 * `undefined` when empty, the text itself when it is no date (so the schema names the field).
 */
export function localToIso(value: string): string | undefined {
  if (!value.trim()) return undefined;
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** An ISO instant as a `datetime-local` value in the reader's time zone (to prefill a filter). */
export function isoToLocal(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The filters as the API's query, checked with the API's own schema: an entity needs both its
 * type and its id, and `from` must be before `to`. On failure, a message per filter field.
 */
export function auditQueryOf(filters: AuditFilters): { ok: true; query: AuditFilter } | { ok: false; errors: FieldErrors } {
  const query = {
    entityType: filters.entityType || undefined,
    entityId: filters.entityId.trim() || undefined,
    from: localToIso(filters.from),
    to: localToIso(filters.to),
  };
  const parsed = AuditQuerySchema.safeParse(query);
  if (!parsed.success) {
    const errors = { ...errorsFromIssues(parsed.error.issues, AUDIT_FILTER_FIELDS) };
    // "entityType and entityId go together" is reported on the id; say it where the gap is.
    if (errors.entityId && query.entityId && !query.entityType) {
      errors.entityType = 'Choose the kind of entity this id belongs to';
      delete errors.entityId;
    } else if (errors.entityId && !query.entityId) errors.entityId = 'Enter the id of the entity, or clear its kind';
    if (errors.to === 'from must be before to') errors.to = 'Enter a time after the “from” time';
    return { ok: false, errors };
  }
  const { limit: _limit, ...rest } = parsed.data;
  return { ok: true, query: rest };
}

const ACTION_LABELS: Record<string, string> = {
  'grant.issued': 'Grant issued',
  'grant.download_minted': 'Download link issued',
  'grant.revoked': 'Grant revoked',
  'grant.expired': 'Grant expired',
  'grant.expiry_reminder_sent': 'Expiry reminder sent',
  'grant.obligations_overdue': 'Obligations overdue',
  'grant.closure_submitted': 'Closure documents submitted',
  'grant.closed': 'Grant closed',
  'grant.renewal_requested': 'Renewal requested',
  'grant.renewal_consented': 'Renewal consented by the provider',
  'grant.renewal_approved_by_admin': 'Renewal approved by an admin',
  'grant.renewed': 'Grant renewed',
  'grant.renewal_refused': 'Renewal refused',
  'proposal.admin_approved': 'Proposal approved by an admin',
  'proposal.consented': 'Provider consented',
  'proposal.declined': 'Provider declined',
  'proposal.changes_requested': 'Changes requested',
  'dataset.version_published': 'Dataset version published',
  'organization.admitted': 'Organisation admitted',
  'agreement.published': 'Agreement version published',
  'agreement.signed': 'Agreement signed',
};

/** "grant.download_minted" → "Download link issued"; an unknown action reads as its words. */
export function actionLabel(action: string): string {
  if (ACTION_LABELS[action]) return ACTION_LABELS[action];
  const [entity = '', verb = action] = action.includes('.') ? action.split('.', 2) : ['', action];
  const words = verb.replace(/_/g, ' ');
  return entity ? `${ENTITY_LABELS[entity as AuditEntityType] ?? entity} ${words}` : words;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** One line on what the event did, from its details; empty when the action says it all. */
export function eventSummary(event: Pick<AuditEvent, 'action' | 'details'>): string {
  const d = event.details;
  switch (event.action) {
    case 'grant.issued':
      return `Access from ${str(d.startDate) ?? '?'} to ${str(d.endDate) ?? '?'}`;
    case 'grant.download_minted':
      return `${str(d.fileName) ?? 'a file'}${typeof d.version === 'number' ? ` (version ${d.version})` : ''}`;
    case 'grant.revoked':
      return `By the ${d.by === 'provider' ? 'provider' : 'secretariat'}: ${str(d.reason) ?? ''}`.trim();
    case 'grant.expired':
      return `Ended after ${str(d.endDate) ?? 'its end date'}`;
    case 'grant.expiry_reminder_sent':
      return `${String(d.daysBefore ?? '?')} days before ${str(d.endDate) ?? 'the end date'}`;
    case 'grant.renewal_requested':
      return `End date ${str(d.fromEndDate) ?? '?'} → ${str(d.endDate) ?? '?'}: ${str(d.reason) ?? ''}`.trim();
    case 'grant.renewed':
      return `End date ${str(d.fromEndDate) ?? '?'} → ${str(d.endDate) ?? '?'}`;
    case 'grant.closure_submitted':
    case 'grant.closed':
      return [d.attestation ? 'deletion attestation' : null, d.outcomeReport ? 'outcome report' : null].filter(Boolean).join(' and ');
    case 'dataset.retired':
    case 'proposal.withdrawn':
      return str(d.reason) ?? '';
    case 'agreement.published':
    case 'agreement.signed':
      return `Version ${String(d.version ?? '?')}`;
    case 'organization.admitted':
      return str(d.name) ?? '';
    default:
      return str(d.text) ?? '';
  }
}

export interface DownloadRow {
  readonly seq: number;
  readonly at: string;
  readonly grantId: string;
  readonly email: string;
  readonly orgName: string;
  readonly fileName: string;
  readonly version: number | null;
}

/** The download mints among the events, as "who fetched which file of my data, and when". */
export function downloadRows(events: readonly AuditEvent[]): DownloadRow[] {
  return events
    .filter((e) => e.action === 'grant.download_minted')
    .map((e) => ({
      seq: e.seq,
      at: e.at,
      grantId: e.entity.id,
      email: e.actor.email,
      orgName: e.actor.orgName,
      fileName: str(e.details.fileName) ?? '—',
      version: typeof e.details.version === 'number' ? e.details.version : null,
    }));
}

/** The verification result in one sentence. */
export function verificationSummary(v: ChainVerification): string {
  const count = `${v.checked} event${v.checked === 1 ? '' : 's'} checked`;
  if (v.intact) return `The chain is intact: ${count}, up to event ${v.headSeq}.`;
  const first = v.firstBroken;
  const others = v.broken.length > 1 ? ` ${v.broken.length - 1} more finding${v.broken.length === 2 ? '' : 's'} after it.` : '';
  const where = first ? ` at event ${first.seq} (${first.problem.replace(/_/g, ' ')}): ${first.message.replace(/\.$/, '')}` : '';
  return `The chain is broken${where}. ${count}.${others}`;
}

/** Details as indented JSON, for reading. */
export const prettyDetails = (details: Record<string, unknown>): string => JSON.stringify(details, null, 2);
