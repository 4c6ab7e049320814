import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { RenewalReviewRequestSchema, RevokeRequestSchema, type Grant, type Renewal } from '../../../../shared/schemas/grant';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import { AuditFeedStatus, DownloadsTable, useAuditFeed } from '../../components/audit-events';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorSummary, RadioGroup, TextArea } from '../../components/fields';
import { ClosureDocuments, GrantConditions, GrantFacts, GrantObligations, GrantStateBadge } from '../../components/grant-facts';
import { Async, BackLink, Badge, DateOnly, DateTime, Notice, Page, useAsync } from '../../components/ui';
import { downloadRows } from '../../lib/audit-view';
import { formatDate } from '../../lib/format';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';
import {
  canRevoke,
  extensionDays,
  pendingRenewalOf,
  RENEWAL_DECISION_LABELS,
  renewalChoices,
  renewalReviewBody,
  renewalWaitingFor,
  type GrantReviewer,
  type RenewalDecision,
} from '../../lib/grant-review';

const REVOKE_FIELDS = ['reason'];
const RENEWAL_FIELDS = ['decision', 'text'];

/** A 409: someone changed the grant since it was read (revoked, expired, renewal decided). */
const isStale = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 409;
const sentence = (message: string) => message.replace(/\.$/, '');

/** Revocation: a reason (checked with the API's schema), then a confirmation, then at once. */
function RevokePanel({ grant, onRevoked, onStale }: { grant: Grant; onRevoked: (grant: Grant) => void; onStale: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const ask = () => {
    const checked = validate(RevokeRequestSchema, { reason }, REVOKE_FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setConfirming(true);
  };
  const revoke = async () => {
    const checked = validate(RevokeRequestSchema, { reason }, REVOKE_FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    try {
      onRevoked(await api.revokeGrant(grant.id, checked.value.reason));
    } catch (error) {
      if (isStale(error)) onStale(`Not revoked: ${sentence(error.message)}.`);
      else setErrors(errorsFromApi(error, REVOKE_FIELDS));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section className="card danger-zone" aria-labelledby="revoke-heading">
      <h2 id="revoke-heading">Revoke access</h2>
      <p>Revocation takes effect at once: no new download links, any pending renewal is refused, and the closure obligations open now.</p>
      <ErrorSummary errors={errors} labels={{ reason: 'Reason' }} />
      <TextArea
        name="reason"
        label="Reason"
        required
        hint={`${grant.granteeOrgName} reads it (10 to 512 characters).`}
        value={reason}
        onChange={setReason}
        error={errors.reason}
        maxLength={512}
      />
      <button type="button" className="danger" onClick={ask} disabled={busy}>
        Revoke access…
      </button>
      <ConfirmDialog open={confirming} title="Revoke this grant now?" confirmLabel="Yes, revoke now" busy={busy} onConfirm={() => void revoke()} onCancel={() => setConfirming(false)}>
        <p>
          {grant.granteeOrgName} loses access to {grant.datasetTitle} at once. This cannot be undone.
        </p>
        <p className="pre muted">{reason.trim()}</p>
      </ConfirmDialog>
    </section>
  );
}

/** A pending renewal: what would change, what it awaits, and this reviewer's answer. */
function RenewalPanel({
  grant,
  renewal,
  reviewer,
  onReviewed,
  onStale,
}: {
  grant: Grant;
  renewal: Renewal;
  reviewer: GrantReviewer;
  onReviewed: (grant: Grant) => void;
  onStale: (message: string) => void;
}) {
  const choices = renewalChoices(renewal, reviewer);
  const [decision, setDecision] = useState<RenewalDecision | ''>('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const days = extensionDays(renewal);
  const negative = decision === 'refuse' || decision === 'decline';

  const submit = async () => {
    if (!decision) return setErrors({ decision: 'Choose an answer' });
    const checked = validate(RenewalReviewRequestSchema, renewalReviewBody(decision, text), RENEWAL_FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      onReviewed(await api.reviewRenewal(grant.id, renewal.id, checked.value));
      setDecision('');
      setText('');
    } catch (error) {
      if (isStale(error)) onStale(`Your answer was not recorded: ${sentence(error.message)}.`);
      else setErrors(errorsFromApi(error, RENEWAL_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="renewal-heading">
      <h2 id="renewal-heading">Renewal requested</h2>
      <p className="muted small">
        Asked <DateTime iso={renewal.requestedAt} /> by {renewal.requestedBy}
      </p>
      <dl className="facts">
        <div>
          <dt>End date now</dt>
          <dd>
            <DateOnly iso={renewal.fromEndDate} />
          </dd>
        </div>
        <div>
          <dt>End date asked for</dt>
          <dd>
            <DateOnly iso={renewal.endDate} />
            {days !== null ? ` (${days >= 0 ? `${days} days longer` : `${-days} days shorter`})` : ''}
          </dd>
        </div>
        <div>
          <dt>Provider consent</dt>
          <dd>{renewal.providerConsent === null ? 'Not required' : <Badge value={renewal.providerConsent} />}</dd>
        </div>
        <div>
          <dt>Secretariat</dt>
          <dd>
            <Badge value={renewal.adminDecision} />
          </dd>
        </div>
      </dl>
      <h3>Reason</h3>
      <p className="pre">{renewal.reason}</p>
      {renewalWaitingFor(renewal) ? <Notice tone="info">{renewalWaitingFor(renewal)}</Notice> : null}
      {choices.length ? (
        <>
          <ErrorSummary errors={errors} />
          <RadioGroup
            name="decision"
            label="Your answer"
            required
            value={decision}
            onChange={setDecision}
            error={errors.decision}
            options={choices.map((value) => ({ value, label: RENEWAL_DECISION_LABELS[value].label, hint: RENEWAL_DECISION_LABELS[value].hint }))}
          />
          <TextArea
            name="text"
            label={negative ? 'Why' : 'Note (optional)'}
            required={negative}
            hint={`${grant.granteeOrgName} reads it.`}
            value={text}
            onChange={setText}
            error={errors.text}
            maxLength={2000}
          />
          <button type="button" onClick={() => void submit()} disabled={busy}>
            {busy ? 'Recording…' : 'Record answer'}
          </button>
        </>
      ) : (
        <p className="muted">{reviewer === 'admin' ? 'Your decision is recorded.' : 'Nothing awaits your answer.'}</p>
      )}
    </section>
  );
}

function PastRenewals({ renewals }: { renewals: readonly Renewal[] }) {
  const past = renewals.filter((r) => r.state !== 'pending');
  if (past.length === 0) return null;
  return (
    <>
      <h2>Earlier renewals</h2>
      <ul>
        {past.map((r) => (
          <li key={r.id}>
            <Badge value={r.state} /> <DateOnly iso={r.fromEndDate} /> → <DateOnly iso={r.endDate} />, decided <DateTime iso={r.decidedAt} /> by{' '}
            {r.decidedBy ?? '—'}
            {r.decisionText ? `: ${r.decisionText}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The download links issued under this grant, from the audit trail (filtered to the grant). */
function GrantDownloads({ grantId, reviewer }: { grantId: string; reviewer: GrantReviewer }) {
  const feed = useAuditFeed({ entityType: 'grant', entityId: grantId, view: reviewer === 'provider' ? 'provided' : undefined });
  const downloads = downloadRows(feed.events).length;
  return (
    <section aria-labelledby="downloads-heading">
      <h2 id="downloads-heading">Downloads under this grant</h2>
      {downloads > 0 ? <DownloadsTable events={feed.events} label="Download links issued under this grant" /> : feed.status === 'ready' ? <p className="muted">No download yet.</p> : null}
      <AuditFeedStatus feed={feed} label="Loading downloads…" />
      {reviewer === 'admin' ? (
        <p>
          <Link to={`/admin/audit?entityType=grant&entityId=${encodeURIComponent(grantId)}`}>Every event of this grant in the audit log</Link>
        </p>
      ) : null}
    </section>
  );
}

/**
 * One grant as the secretariat (`/admin/grants/:id`) or the dataset's provider
 * (`/provider/grants/:id`) sees it: its facts, conditions, obligations, closure documents, a
 * pending renewal to answer, and revocation while it runs.
 */
export function GrantReviewPage({ reviewer }: { reviewer: GrantReviewer }) {
  const { id = '' } = useParams();
  const grant = useAsync(() => api.grant(id), [id]);
  const [notice, setNotice] = useState<{ tone: 'success' | 'warning'; text: string } | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  // The form that was answered is gone (revoked, renewal decided): the outcome takes the focus.
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  const back = reviewer === 'admin' ? { to: '/admin/grants', label: 'All grants' } : { to: '/provider/grants', label: 'Access to my data' };
  return (
    <Page title={grant.status === 'ready' ? `Grant: ${grant.data.datasetTitle}` : 'Grant'} wide>
      <BackLink to={back.to}>{back.label}</BackLink>
      <Async state={grant} label="Loading the grant…">
        {(g) => {
          const renewal = pendingRenewalOf(g);
          const update = (next: Grant, text: string) => {
            grant.set(next);
            setNotice({ tone: 'success', text });
          };
          // The grant changed under us: say what the API said, and show it as it is now.
          const stale = (text: string) => {
            setNotice({ tone: 'warning', text: `${text} The grant below is as it is now.` });
            grant.reload();
          };
          return (
            <div className="decision-layout">
              <div>
                <p className="subtitle">
                  <GrantStateBadge state={g.state} /> · to {g.granteeOrgName}
                </p>
                {notice ? (
                  <div ref={noticeRef} tabIndex={-1}>
                    <Notice tone={notice.tone} role="status">
                      {notice.text}
                    </Notice>
                  </div>
                ) : null}
                {g.state === 'revoked' && g.revokedReason ? (
                  <Notice tone="danger">
                    <p>
                      <strong>Revoked</strong> <DateTime iso={g.revokedAt} />: {g.revokedReason}
                    </p>
                  </Notice>
                ) : null}
                <GrantFacts grant={g} datasetLink={reviewer === 'provider' ? `/provider/datasets/${g.datasetId}` : `/catalog/${g.datasetId}`} />
                <h2>Conditions</h2>
                <GrantConditions grant={g} />
                <h2>Obligations</h2>
                <GrantObligations grant={g} />
                <h2>Closure documents</h2>
                <ClosureDocuments grant={g} />
                <PastRenewals renewals={g.renewals} />
                <GrantDownloads grantId={g.id} reviewer={reviewer} />
              </div>
              <aside>
                {renewal ? (
                  <RenewalPanel
                    grant={g}
                    renewal={renewal}
                    reviewer={reviewer}
                    onStale={stale}
                    onReviewed={(next) => {
                      const answered = next.renewals.find((r) => r.id === renewal.id);
                      update(
                        next,
                        answered?.state === 'approved'
                          ? `Renewed: the grant now ends on ${formatDate(next.endDate)}.`
                          : answered?.state === 'refused'
                            ? 'The renewal was refused; the end date stays.'
                            : 'Your answer is recorded; the renewal awaits the other decision.',
                      );
                    }}
                  />
                ) : null}
                {canRevoke(g) ? (
                  <RevokePanel grant={g} onStale={stale} onRevoked={(next) => update(next, 'The grant is revoked. Downloads stopped at once.')} />
                ) : (
                  <Notice tone="info">This grant is {g.state}; it can no longer be revoked.</Notice>
                )}
              </aside>
            </div>
          );
        }}
      </Async>
    </Page>
  );
}
