import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { WithdrawRequestSchema } from '../../../../shared/schemas/proposal';
import { api } from '../../api/endpoints';
import { ErrorSummary, TextArea } from '../../components/fields';
import { ProposalStateBadge, ProposalView, Timeline } from '../../components/proposal-view';
import { OpenQuestions } from '../../components/review-dialogue';
import { Async, BackLink, DateTime, Notice, Page, useAsync } from '../../components/ui';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';
import { authorActions, latestChangeRequest } from '../../lib/proposals';

function WithdrawPanel({ proposalId, onWithdrawn }: { proposalId: string; onWithdrawn: () => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const withdraw = async () => {
    const checked = validate(WithdrawRequestSchema, { reason: reason.trim() || undefined }, ['reason']);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    try {
      await api.withdrawProposal(proposalId, checked.value.reason);
      onWithdrawn();
    } catch (error) {
      setErrors(errorsFromApi(error, ['reason']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="card danger-zone">
      <summary>Withdraw this proposal</summary>
      <p>A withdrawn proposal is closed for good; you can start a new one later.</p>
      <ErrorSummary errors={errors} />
      <TextArea name="reason" label="Reason (optional)" hint="Reviewers see it in the timeline." value={reason} onChange={setReason} error={errors.reason} />
      <button type="button" className="danger" onClick={() => void withdraw()} disabled={busy}>
        {busy ? 'Withdrawing…' : 'Withdraw proposal'}
      </button>
    </details>
  );
}

/** A proposal of the caller's organisation: its state, what reviewers asked, its timeline, and what can be done next. */
export function ProposalDetailPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const submitted = (location.state as { submitted?: boolean } | null)?.submitted === true;
  const proposal = useAsync(async () => (await api.proposal(id)).data, [id]);
  const timeline = useAsync(() => api.timeline(id), [id]);
  const reload = () => {
    proposal.reload();
    timeline.reload();
  };

  return (
    <Page title={proposal.status === 'ready' ? (proposal.data.fields.title ?? 'Untitled proposal') : 'Proposal'}>
      <BackLink to="/proposals">My proposals</BackLink>
      <Async state={proposal} label="Loading the proposal…">
        {(p) => {
          const actions = authorActions(p.state);
          const request = timeline.status === 'ready' ? latestChangeRequest(timeline.data.items) : null;
          return (
            <>
              <p className="subtitle">
                <ProposalStateBadge state={p.state} /> · last change <DateTime iso={p.updatedAt} />
              </p>
              {submitted && p.state === 'submitted' ? (
                <Notice tone="success" role="status">
                  Submitted. The secretariat and the providers of the datasets will review it; their answers appear in the timeline below.
                </Notice>
              ) : null}
              {p.state === 'changes_requested' ? (
                <Notice tone="warning">
                  <p>
                    <strong>The secretariat asked for changes.</strong>
                    {request?.text ? ` “${request.text}”` : ''}
                  </p>
                  <p>Edit the proposal, then resubmit it.</p>
                </Notice>
              ) : null}
              {p.state === 'approved' ? (
                <Notice tone="success">
                  <p>
                    <strong>Approved</strong> on <DateTime iso={p.decidedAt} />.
                    {p.conditions.length ? ` It carries ${p.conditions.length} condition${p.conditions.length === 1 ? '' : 's'} (below).` : ''}
                  </p>
                  <p>
                    Each consented dataset has a grant: download its files and, when it ends, close it under{' '}
                    <Link to="/grants">My grants</Link>.
                  </p>
                </Notice>
              ) : null}
              <div className="button-row">
                {actions.edit ? (
                  <Link className="button" to={`/proposals/${p.id}/edit${p.state === 'changes_requested' ? '' : '?step=review'}`}>
                    {p.state === 'changes_requested' ? 'Edit and resubmit' : 'Continue the draft'}
                  </Link>
                ) : null}
              </div>
              {timeline.status === 'ready' && ['submitted', 'in_review', 'changes_requested'].includes(p.state) ? (
                <OpenQuestions proposal={p} timeline={timeline.data.items} onSent={reload} />
              ) : null}
              <ProposalView proposal={p} datasetLink={(datasetId) => `/catalog/${datasetId}`} />
              <h2>Timeline</h2>
              <Async state={timeline} label="Loading the timeline…">
                {(t) => <Timeline items={t.items} />}
              </Async>
              {actions.withdraw ? <WithdrawPanel proposalId={p.id} onWithdrawn={reload} /> : null}
            </>
          );
        }}
      </Async>
    </Page>
  );
}
