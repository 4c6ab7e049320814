import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ENTITY_TYPES, type AuditEntityType } from '../../../../shared/audit-chain';
import { api, type ChainVerification } from '../../api/endpoints';
import { AuditEventsTable, type EntityLink } from '../../components/audit-events';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { SelectField, TextField } from '../../components/fields';
import { Async, DateTime, Empty, ErrorState, Notice, Page, useAsync } from '../../components/ui';
import { auditQueryOf, ENTITY_LABELS, filtersFromParams, NO_AUDIT_FILTERS, paramsOf, verificationSummary, type AuditFilters } from '../../lib/audit-view';
import { userTimeZone } from '../../lib/format';
import type { FieldErrors } from '../../lib/forms';

const ADMIN_LINKS: EntityLink = (type, id) => {
  if (type === 'grant') return `/admin/grants/${id}`;
  if (type === 'proposal') return `/admin/proposals/${id}`;
  if (type === 'organization') return `/admin/organizations/${id}`;
  if (type === 'dataset') return `/catalog/${id}`;
  return null;
};

function AuditFilterForm({ filters, invalid, onApply }: { filters: AuditFilters; invalid: FieldErrors; onApply: (filters: AuditFilters) => void }) {
  const [draft, setDraft] = useState<AuditFilters>(filters);
  const [typed, setErrors] = useState<FieldErrors>({});
  // What the form found on submit, else what is wrong with the filters the address carries.
  const errors = Object.keys(typed).length ? typed : invalid;
  const shown = JSON.stringify(filters);
  // The address changed (Clear, "only this entity", back button): show what is now applied.
  useEffect(() => setDraft(JSON.parse(shown) as AuditFilters), [shown]);
  const set = (key: keyof AuditFilters) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const zone = userTimeZone();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = auditQueryOf(draft);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    onApply(draft);
  };

  return (
    <form className="search-form audit-filters" aria-label="Filter the audit trail" onSubmit={submit} noValidate>
      <SelectField
        name="entityType"
        label="Entity"
        value={draft.entityType}
        onChange={(value) => setDraft((d) => ({ ...d, entityType: value as AuditEntityType | '' }))}
        error={errors.entityType}
        placeholder="Any entity"
        options={ENTITY_TYPES.map((value) => ({ value, label: ENTITY_LABELS[value] }))}
      />
      <TextField name="entityId" label="Entity id" value={draft.entityId} onChange={set('entityId')} error={errors.entityId} autoComplete="off" spellCheck={false} />
      <TextField name="from" label="From" type="datetime-local" hint={`Your time (${zone})`} value={draft.from} onChange={set('from')} error={errors.from} />
      <TextField name="to" label="Before" type="datetime-local" hint={`Your time (${zone})`} value={draft.to} onChange={set('to')} error={errors.to} />
      <div className="form-actions">
        <button type="submit">Filter</button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setErrors({});
            onApply(NO_AUDIT_FILTERS);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

function VerificationPanel() {
  const [result, setResult] = useState<ChainVerification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.verifyAudit());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Chain verification</h2>
      <p>
        Each event's hash covers its content and the previous event's hash, so a changed or removed event breaks the chain. Verifying reads every
        event and recomputes every hash.
      </p>
      <div role="status" aria-live="polite">
        {result ? (
          <Notice tone={result.intact ? 'success' : 'danger'}>
            <p>
              <strong>{result.intact ? 'Intact.' : 'Broken.'}</strong> {verificationSummary(result)}
            </p>
            <p className="small">
              Verified <DateTime iso={result.verifiedAt} />
            </p>
            {result.broken.length > 1 ? (
              <ul>
                {result.broken.map((b) => (
                  <li key={`${b.seq}-${b.problem}`}>
                    Event {b.seq} ({b.problem.replace(/_/g, ' ')}): {b.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </Notice>
        ) : null}
      </div>
      {error ? <ErrorState error={error} title="The chain could not be verified" /> : null}
      <button type="button" onClick={() => void verify()} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify chain'}
      </button>
    </section>
  );
}

/** The hash-chained audit trail (GET /v1/audit), filtered by entity and time, and its verification (GET /v1/audit/verify). */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const checked = auditQueryOf(filters);
  const paging = useCursorPages(`audit-${params.toString()}`);
  const events = useAsync(
    () => (checked.ok ? api.audit({ ...checked.query, cursor: paging.cursor }) : Promise.resolve({ items: [], nextCursor: null })),
    [params.toString(), paging.cursor],
  );
  const apply = (next: AuditFilters) => setParams(paramsOf(next));
  const filtered = paramsOf(filters).size > 0;

  return (
    <Page title="Audit log" intro={<p>Every state change and every download, newest first, as hash-chained events.</p>} wide>
      <VerificationPanel />
      <h2>Events</h2>
      <AuditFilterForm filters={filters} invalid={checked.ok ? {} : checked.errors} onApply={apply} />
      {!checked.ok ? (
        <Notice tone="warning">The filters in this address are not valid: correct them above, or clear them.</Notice>
      ) : (
        <Async state={events} label="Loading events…">
          {(page) =>
            page.items.length === 0 ? (
              <Empty title={filtered ? 'No event matches these filters.' : 'No event has been recorded yet.'} />
            ) : (
              <>
                <AuditEventsTable
                  events={page.items}
                  label="Audit events"
                  entityLink={ADMIN_LINKS}
                  onEntity={(entityType, entityId) => apply({ ...NO_AUDIT_FILTERS, entityType, entityId })}
                />
                <Pager paging={paging} nextCursor={page.nextCursor} />
              </>
            )
          }
        </Async>
      )}
    </Page>
  );
}
