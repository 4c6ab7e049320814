import { useState } from 'react';
import { useParams } from 'react-router';
import { ReviewRequestSchema, type Proposal } from '../../../../shared/schemas/proposal';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { ErrorSummary, RadioGroup, TextArea } from '../../components/fields';
import { ProposalStateBadge, ProposalView, Timeline } from '../../components/proposal-view';
import { Async, BackLink, Notice, Page, useAsync } from '../../components/ui';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';
import { awaitingDecision, decisionBody, type Decision } from '../../lib/proposals';
import { AskQuestion } from '../../components/review-dialogue';
import { PendingConsents } from './pending-consents';

const DECISION_FIELDS = ['decision', 'text', 'conditions'];

function DecisionForm({ proposal, onDecided }: { proposal: Proposal; onDecided: (p: Proposal) => void }) {
  const me = useMe();
  const [decision, setDecision] = useState<Decision | ''>('');
  const [text, setText] = useState('');
  const [conditions, setConditions] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const alreadyApproved = proposal.adminApprovals.some((a) => a.by === me.user.email);
  const pending = proposal.consents.filter((c) => c.state === 'pending').length;

  const submit = async () => {
    if (!decision) return setErrors({ decision: 'Choose a decision' });
    const checked = validate(ReviewRequestSchema, decisionBody(decision, text, conditions), DECISION_FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      onDecided(await api.reviewProposal(proposal.id, checked.value));
      setText('');
      setConditions('');
      setDecision('');
    } catch (error) {
      setErrors(errorsFromApi(error, DECISION_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card decision" aria-labelledby="decision-heading">
      <h2 id="decision-heading">Decision</h2>
      {pending ? (
        <Notice tone="info">
          {pending} provider consent{pending === 1 ? ' is' : 's are'} still pending. An approval is recorded now and takes effect when every
          consent is in; only consented datasets are granted.
        </Notice>
      ) : null}
      {alreadyApproved ? <Notice tone="info">You approved this proposal already; another admin's approval may be needed.</Notice> : null}
      <ErrorSummary errors={errors} />
      <RadioGroup
        name="decision"
        label="Your decision"
        required
        value={decision}
        onChange={setDecision}
        error={errors.decision}
        options={[
          { value: 'approve', label: 'Approve', hint: 'Optionally with conditions the grantee must meet.' },
          { value: 'request_changes', label: 'Request changes', hint: 'The authors edit and resubmit.' },
          { value: 'reject', label: 'Reject', hint: 'Final. Say why.' },
        ]}
      />
      {decision === 'approve' ? (
        <TextArea
          name="conditions"
          label="Conditions of approval (optional)"
          hint="One condition per line, each a sentence of at least 5 characters."
          value={conditions}
          onChange={setConditions}
          error={errors.conditions}
        />
      ) : null}
      <TextArea
        name="text"
        label={decision === 'reject' ? 'Reason for rejection' : decision === 'request_changes' ? 'What must change' : 'Note (optional)'}
        required={decision === 'reject' || decision === 'request_changes'}
        hint="The authors see it in the timeline."
        value={text}
        onChange={setText}
        error={errors.text}
      />
      <button type="button" onClick={() => void submit()} disabled={busy}>
        {busy ? 'Recording…' : 'Record decision'}
      </button>
    </section>
  );
}

/** The admin's decision screen: the proposal, its frozen dataset snapshots, consents, what changed, and the decision. */
export function DecisionPage() {
  const { id = '' } = useParams();
  const proposal = useAsync(async () => (await api.proposal(id)).data, [id]);
  const timeline = useAsync(() => api.timeline(id), [id]);
  const [recorded, setRecorded] = useState<string | null>(null);
  return (
    <Page title={proposal.status === 'ready' ? (proposal.data.fields.title ?? 'Proposal') : 'Proposal'} wide>
      <BackLink to="/admin/queue">Review queue</BackLink>
      <Async state={proposal} label="Loading the proposal…">
        {(p) => (
          <div className="decision-layout">
            <div>
              <p className="subtitle">
                <ProposalStateBadge state={p.state} /> · from {p.orgName}
                {p.overdue ? ' · overdue' : ''}
              </p>
              {recorded ? (
                <Notice tone="success" role="status">
                  {recorded}
                </Notice>
              ) : null}
              <ProposalView proposal={p} datasetLink={(datasetId) => `/catalog/${datasetId}`} />
              <h2>Timeline</h2>
              <Async state={timeline} label="Loading the timeline…">
                {(t) => <Timeline items={t.items} />}
              </Async>
            </div>
            <aside>
              {awaitingDecision(p.state) ? (
                <PendingConsents
                  proposal={p}
                  onDecided={(next) => {
                    proposal.set(next);
                    timeline.reload();
                    setRecorded(next.state === 'approved' ? 'Approved.' : 'Recorded on the timeline.');
                  }}
                />
              ) : null}
              {awaitingDecision(p.state) ? (
                <AskQuestion
                  proposal={p}
                  onSent={(next) => {
                    proposal.set(next);
                    timeline.reload();
                    setRecorded('Your question was sent to the applicants.');
                  }}
                />
              ) : null}
              {awaitingDecision(p.state) ? (
                <DecisionForm
                  proposal={p}
                  onDecided={(next) => {
                    proposal.set(next);
                    timeline.reload();
                    setRecorded(
                      next.state === 'approved'
                        ? 'Approved.'
                        : next.state === 'rejected'
                          ? 'Rejected.'
                          : next.state === 'changes_requested'
                            ? 'Changes requested; the authors have been sent back to edit.'
                            : 'Your decision is recorded; the proposal awaits the remaining consents or approvals.',
                    );
                  }}
                />
              ) : (
                <Notice tone="info">This proposal is not awaiting a decision.</Notice>
              )}
            </aside>
          </div>
        )}
      </Async>
    </Page>
  );
}
