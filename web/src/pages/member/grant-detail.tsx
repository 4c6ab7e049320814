import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Grant, GrantFile } from '../../../../shared/schemas/grant';
import { api } from '../../api/endpoints';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { ErrorSummary, TextArea, TextField } from '../../components/fields';
import { CheckedForm, useFormSubmit } from '../../components/form-submit';
import { ClosureDocuments, GrantConditions, GrantFacts, GrantObligations, GrantStateBadge } from '../../components/grant-facts';
import { useUserStatus } from '../../components/member-status';
import { Async, BackLink, Badge, DateOnly, DateTime, ErrorState, Loading, Notice, Page, useAsync } from '../../components/ui';
import { validateRenewal, type RenewalFormState } from '../../lib/closure-form';
import { formatBytes } from '../../lib/format';
import { isOrgAdmin } from '../../lib/navigation';
import { useMe } from '../../auth/session';
import { GrantTeamForm } from './grant-team';
import { pendingRenewalOf, renewalWaitingFor } from '../../lib/grant-review';
import { downloadProblem, granteeActions } from '../../lib/held-grants';
import { ClosureForm } from './grant-closure';

type DownloadState =
  | { readonly status: 'idle' }
  | { readonly status: 'minting'; readonly fileId: string }
  | { readonly status: 'started'; readonly fileName: string; readonly expiresAt: string }
  | { readonly status: 'failed'; readonly fileName: string; readonly error: unknown };

/**
 * Each click mints a fresh short-lived URL (POST /v1/grants/{id}/downloads) and sends the browser
 * to it. The URL carries Content-Disposition: attachment, so the browser saves the file and the
 * app stays where it is: the URL is never shown, put in the page, nor kept.
 */
function GrantFiles({ grant, files, canDownload, onRefused }: { grant: Grant; files: readonly GrantFile[]; canDownload: boolean; onRefused: () => void }) {
  const [download, setDownload] = useState<DownloadState>({ status: 'idle' });
  const start = async (file: GrantFile) => {
    setDownload({ status: 'minting', fileId: file.id });
    try {
      const minted = await api.mintDownload(grant.id, file.id);
      window.location.assign(minted.url);
      setDownload({ status: 'started', fileName: minted.fileName, expiresAt: minted.expiresAt });
    } catch (error) {
      setDownload({ status: 'failed', fileName: file.name, error });
      // Revoked or ended since the page was read: read the grant again, so the page says why and offers the closure.
      if (error instanceof ApiError && (error.code === 'grant_revoked' || error.code === 'grant_expired')) onRefused();
    }
  };
  const problem = download.status === 'failed' ? downloadProblem(download.error) : null;
  return (
    <section aria-labelledby="files">
      <h2 id="files">Files in version {grant.versions.join(', ')}</h2>
      {files.length === 0 ? (
        <p>This version has no files.</p>
      ) : (
        <ul className="grant-files">
          {files.map((file) => (
            <li key={file.id} className="card">
              <div>
                <p className="grant-file-name">
                  <strong>{file.name}</strong> <span className="muted">{formatBytes(file.size)}</span>
                </p>
                <p className="small">
                  SHA-256 <code className="hash">{file.sha256 ?? '—'}</code>
                </p>
              </div>
              {canDownload ? (
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Download ${file.name}`}
                  disabled={download.status === 'minting'}
                  onClick={() => void start(file)}
                >
                  {download.status === 'minting' && download.fileId === file.id ? 'Preparing…' : 'Download'}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <div aria-live="polite">
        {download.status === 'minting' ? <Loading label="Making a download link…" /> : null}
        {download.status === 'started' ? (
          <Notice tone="success">
            Your browser is saving <strong>{download.fileName}</strong>. The link it used expires <DateTime iso={download.expiresAt} />; press
            Download again for a new one. Check the file against its SHA-256 above.
          </Notice>
        ) : null}
      </div>
      {download.status === 'failed' ? (
        problem ? (
          <Notice tone="danger" role="alert">
            <p>
              <strong>{problem.title}.</strong> {problem.text}
            </p>
          </Notice>
        ) : (
          <ErrorState error={download.error} title={`${download.fileName} could not be downloaded`} />
        )
      ) : null}
      {canDownload ? (
        <p className="muted small">Every download is recorded in the audit trail, which the provider of the data can read.</p>
      ) : null}
    </section>
  );
}

const RENEWAL_STATE_LABELS = { pending: 'Awaiting review', approved: 'Approved', refused: 'Refused' } as const;

function Renewals({ grant }: { grant: Grant }) {
  if (grant.renewals.length === 0) return null;
  return (
    <ul className="renewals">
      {[...grant.renewals].reverse().map((r) => (
        <li key={r.id} className="card">
          <p>
            <Badge value={r.state === 'refused' ? 'declined' : r.state} label={RENEWAL_STATE_LABELS[r.state]} /> To <DateOnly iso={r.endDate} /> (from{' '}
            <DateOnly iso={r.fromEndDate} />) · asked by {r.requestedBy}, <DateTime iso={r.requestedAt} />
          </p>
          <p className="pre">{r.reason}</p>
          {r.state === 'pending' ? <p className="muted">{renewalWaitingFor(r)}</p> : null}
          {r.decidedAt ? (
            <p>
              Decided <DateTime iso={r.decidedAt} />
              {r.decisionText ? `: “${r.decisionText}”` : ''}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function RenewalForm({ grant, onRequested }: { grant: Grant; onRequested: (grant: Grant) => void }) {
  const [form, setForm] = useState<RenewalFormState>({ endDate: '', reason: '' });
  const { errors, busy, submit } = useFormSubmit();
  const [key] = useState(newIdempotencyKey);
  const send = () =>
    submit(validateRenewal(form, grant.endDate), async (body) => onRequested(await api.requestRenewal(grant.id, body, key)), ['endDate', 'reason']);
  return (
    <CheckedForm className="card" labelledBy="renew" onSubmit={() => void send()}>
      <h3 id="renew">Ask for a renewal</h3>
      <p>The secretariat reviews it{grant.providerName ? ` and ${grant.providerName} may be asked to consent` : ''}. Until then the grant keeps its end date.</p>
      <ErrorSummary errors={errors} labels={{ endDate: 'New end date', reason: 'Reason' }} />
      <TextField
        name="endDate"
        label="New end date"
        type="date"
        required
        min={grant.endDate}
        hint={
          <>
            The grant now ends on <DateOnly iso={grant.endDate} />. Access lasts to the end of the day you choose (UTC).
          </>
        }
        value={form.endDate}
        onChange={(endDate) => setForm({ ...form, endDate })}
        error={errors.endDate}
      />
      <TextArea
        name="reason"
        label="Why the project needs longer"
        required
        hint="At least 10 characters. Reviewers read it."
        value={form.reason}
        onChange={(reason) => setForm({ ...form, reason })}
        error={errors.reason}
      />
      <button type="submit" disabled={busy}>
        {busy ? 'Sending…' : 'Ask for the renewal'}
      </button>
    </CheckedForm>
  );
}

function StateNotice({ grant }: { grant: Grant }) {
  switch (grant.state) {
    case 'revoked':
      return (
        <Notice tone="danger">
          <p>
            <strong>Revoked</strong> <DateTime iso={grant.revokedAt} />. No file can be downloaded under this grant any more.
          </p>
          <p>
            Reason: <span className="pre">{grant.revokedReason}</span>
          </p>
        </Notice>
      );
    case 'expired':
      return (
        <Notice tone="warning">
          <p>
            <strong>This grant has ended</strong> (its last day was <DateOnly iso={grant.endDate} />). No file can be downloaded under it any more.
          </p>
        </Notice>
      );
    case 'closed':
      return (
        <Notice tone="success">
          <p>
            <strong>Closed</strong> <DateTime iso={grant.closedAt} />: the deletion attestation and the outcome report are in.
          </p>
        </Notice>
      );
    default:
      return null;
  }
}

/** A grant held by the member's organisation: what it covers, its files and downloads, renewal and closure. */
export function GrantDetailPage() {
  const me = useMe();
  const { id = '' } = useParams();
  const grant = useAsync(() => api.grant(id), [id]);
  const files = useAsync(() => api.grantFiles(id), [id]);
  const { refreshObligations } = useUserStatus();
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => setNotice(null), [id]);
  const update = (next: Grant, message: string) => {
    grant.set(next);
    setNotice(message);
  };

  return (
    <Page title={grant.status === 'ready' ? `${grant.data.datasetTitle}: grant` : 'Grant'}>
      <BackLink to="/grants">My grants</BackLink>
      <Async state={grant} label="Loading the grant…">
        {(g) => {
          const actions = granteeActions(g);
          const pending = pendingRenewalOf(g);
          return (
            <>
              <p className="subtitle">
                <GrantStateBadge state={g.state} /> · for <Link to={`/proposals/${g.proposalId}`}>{g.proposalTitle}</Link>
              </p>
              {notice ? (
                <Notice tone="success" role="status">
                  {notice}
                </Notice>
              ) : null}
              <StateNotice grant={g} />
              <GrantFacts grant={g} datasetLink={`/catalog/${g.datasetId}`} />
              {g.state === 'active' && isOrgAdmin(me) ? <GrantTeamForm grant={g} onSaved={(next) => update(next, 'Team saved. Whoever left can no longer download.')} /> : null}
              <h2>Conditions</h2>
              <GrantConditions grant={g} />
              <Async state={files} label="Loading the files…">
                {(f) => <GrantFiles grant={g} files={f.items} canDownload={actions.download} onRefused={grant.reload} />}
              </Async>
              {g.state === 'active' && !actions.download ? (
                <p>
                  Downloads open on <DateOnly iso={g.startDate} />.
                </p>
              ) : null}

              <h2>Renewal</h2>
              {pending ? (
                <p>
                  A renewal to <DateOnly iso={pending.endDate} /> is awaiting review. {renewalWaitingFor(pending)}
                </p>
              ) : g.renewals.length === 0 ? (
                <p className="muted">No renewal was asked for.</p>
              ) : null}
              <Renewals grant={g} />
              {actions.renew ? <RenewalForm grant={g} onRequested={(next) => update(next, 'Renewal requested. The secretariat will review it.')} /> : null}

              <h2>Closure</h2>
              <GrantObligations grant={g} />
              {actions.close ? (
                files.status === 'ready' ? (
                  <ClosureForm
                    grant={g}
                    files={files.data.items}
                    onClosed={(next) => {
                      update(next, next.state === 'closed' ? 'Closure sent: the grant is closed.' : 'Sent. The remaining part is still due.');
                      refreshObligations();
                    }}
                  />
                ) : null
              ) : null}
              {g.attestation || g.outcomeReport ? <ClosureDocuments grant={g} /> : null}
            </>
          );
        }}
      </Async>
    </Page>
  );
}
