import { Link } from 'react-router';
import { PURPOSE_LABELS, type Proposal, type TimelineEntry } from '../../../shared/schemas/proposal';
import { daysBetween } from '../lib/format';
import { foldTimeline, PROPOSAL_STATE_LABELS, timelineLabel } from '../lib/proposals';
import { Badge, DateOnly, DateTime, Empty, Notice } from './ui';

export function ProposalStateBadge({ state }: { state: Proposal['state'] }) {
  return <Badge value={state} label={PROPOSAL_STATE_LABELS[state]} />;
}

const CONSENT_LABELS: Record<string, string> = {
  pending: 'Awaiting the provider',
  consented: 'Consented',
  declined: 'Declined',
  not_required: 'Consent not required',
  dropped: 'Dropped by the secretariat (no answer in time)',
};

/**
 * Everything a proposal says, as the caller may see it (providers get no team and only their
 * own datasets), with the frozen dataset snapshots and the consents beside each dataset.
 */
export function ProposalView({ proposal, datasetLink }: { proposal: Proposal; datasetLink?: (datasetId: string) => string }) {
  const f = proposal.fields;
  const snapshot = (datasetId: string) => proposal.snapshots.find((s) => s.datasetId === datasetId);
  const consent = (datasetId: string) => proposal.consents.find((c) => c.datasetId === datasetId);
  const days = f.startDate && f.endDate ? daysBetween(f.startDate, f.endDate) : null;
  return (
    <div className="proposal-view">
      {proposal.changedSinceSubmission.length ? (
        <Notice tone="warning" role="status">
          <strong>Changed since submission:</strong> the metadata of{' '}
          {proposal.changedSinceSubmission.map((id) => snapshot(id)?.title ?? id).join(', ')} changed after this proposal was submitted. The
          snapshot below is what the proposal was submitted under.
        </Notice>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Organisation</dt>
          <dd>{proposal.orgName}</dd>
        </div>
        <div>
          <dt>Purpose</dt>
          <dd>
            {f.purpose ? PURPOSE_LABELS[f.purpose.category] : '—'}
            {f.purpose?.otherReason ? ` — ${f.purpose.otherReason}` : ''}
          </dd>
        </div>
        <div>
          <dt>Period</dt>
          <dd>
            {f.startDate ? <DateOnly iso={f.startDate} /> : '—'} to {f.endDate ? <DateOnly iso={f.endDate} /> : '—'}
            {days !== null ? ` (${days} days)` : ''}
          </dd>
        </div>
        <div>
          <dt>Submitted</dt>
          <dd>
            <DateTime iso={proposal.submittedAt} />
            {proposal.agreementVersion ? ` under agreement version ${proposal.agreementVersion}` : ''}
          </dd>
        </div>
        {f.team ? (
          <div>
            <dt>Team</dt>
            <dd>{f.team.join(', ')}</dd>
          </div>
        ) : null}
        <div>
          <dt>Public register</dt>
          <dd>{f.listInPublicRegister ? 'List it when approved' : 'Do not list it'}</dd>
        </div>
      </dl>

      <h2>Problem addressed</h2>
      <p className="pre">{f.problem ?? '—'}</p>
      <h2>How the data will be used</h2>
      <p className="pre">{f.methods ?? '—'}</p>

      <h2>Datasets requested</h2>
      {(f.datasets ?? []).length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul className="requested">
          {(f.datasets ?? []).map((d) => {
            const s = snapshot(d.datasetId);
            const c = consent(d.datasetId);
            return (
              <li key={d.datasetId} className="card">
                <h3>
                  {datasetLink ? <Link to={datasetLink(d.datasetId)}>{s?.title ?? 'Dataset'}</Link> : (s?.title ?? 'Dataset')}
                  {proposal.changedSinceSubmission.includes(d.datasetId) ? <Badge value="changed" label="changed since submission" /> : null}
                </h3>
                {s ? (
                  <p className="muted small">
                    {s.providerName} · snapshot: metadata version {s.metadataVersion}, published version {s.publishedVersion ?? '—'}, up to{' '}
                    {s.maxGrantDays} days, {s.consentRequired ? 'consent required' : 'no consent needed'}
                  </p>
                ) : null}
                <p className="pre">{d.justification}</p>
                {c ? (
                  <p>
                    <Badge value={c.state} label={CONSENT_LABELS[c.state]} />
                    {c.by ? (
                      <>
                        {' '}
                        by {c.by}, <DateTime iso={c.at} />
                      </>
                    ) : null}
                    {c.reason ? ` — “${c.reason}”` : ''}
                  </p>
                ) : null}
                {c?.conditions?.length ? (
                  <>
                    <p className="small">Conditions of this consent, which the grant on this dataset carries:</p>
                    <ul className="small">
                      {c.conditions.map((condition) => (
                        <li key={condition}>{condition}</li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}

      <h2>Expected outputs</h2>
      <p className="pre">{f.expectedOutputs ?? '—'}</p>
      <h2>Public benefit</h2>
      <p className="pre">{f.publicBenefit ?? '—'}</p>
      <h2>Impact indicators</h2>
      {f.impactIndicators?.length ? (
        <ul>
          {f.impactIndicators.map((indicator, i) => (
            <li key={i}>{indicator}</li>
          ))}
        </ul>
      ) : (
        <p>—</p>
      )}
      {f.confirmations ? (
        <>
          <h2>Confirmations</h2>
          <ul className="checks">
            <li>{f.confirmations.noReidentification ? '✓' : '✗'} No attempt to re-identify people</li>
            <li>{f.confirmations.noOnwardSharing ? '✓' : '✗'} No onward sharing</li>
            <li>{f.confirmations.deletionAtEnd ? '✓' : '✗'} Deletion at the end, with an attestation</li>
          </ul>
        </>
      ) : null}
      {proposal.adminApprovals.length ? (
        <>
          <h2>Admin approvals</h2>
          <ul>
            {proposal.adminApprovals.map((a) => (
              <li key={a.by + a.at}>
                {a.by}, <DateTime iso={a.at} />
                {a.conditions.length ? ` — ${a.conditions.length} condition${a.conditions.length === 1 ? '' : 's'}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {proposal.conditions.length ? (
        <>
          <h2>Conditions of approval</h2>
          <ol>
            {proposal.conditions.map((condition, i) => (
              <li key={i}>{condition}</li>
            ))}
          </ol>
        </>
      ) : null}
    </div>
  );
}

/** Every decision and comment, oldest first: who, when, what. */
export function Timeline({ items }: { items: readonly TimelineEntry[] }) {
  if (items.length === 0) return <Empty title="Nothing has happened yet." />;
  return (
    <ol className="timeline">
      {foldTimeline(items).map((entry, i) => (
        <li key={i} className={`timeline-${entry.kind}`}>
          <p className="timeline-head">
            <strong>
              {timelineLabel(entry.kind)}
              {entry.count > 1 ? `, ${entry.count} times` : ''}
            </strong>{' '}
            · {entry.by === 'system' ? 'Accord' : `${entry.by} (${entry.orgName})`} ·{' '}
            <DateTime iso={entry.at} />
          </p>
          {entry.text ? <p className="pre">{entry.text}</p> : null}
          {Array.isArray(entry.details?.conditions) && entry.details.conditions.length ? (
            <ul className="small">
              {(entry.details.conditions as string[]).map((c, j) => (
                <li key={j}>Condition: {c}</li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
