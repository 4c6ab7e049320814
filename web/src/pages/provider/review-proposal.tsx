import { useState } from 'react';
import { useParams } from 'react-router';
import { ReviewRequestSchema, type Proposal } from '../../../../shared/schemas/proposal';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { ErrorSummary, RadioGroup, TextArea } from '../../components/fields';
import { ProposalStateBadge, ProposalView, Timeline } from '../../components/proposal-view';
import { AskQuestion } from '../../components/review-dialogue';
import { Async, BackLink, Notice, Page, useAsync } from '../../components/ui';
import { errorsFromApi, lines as conditionLines, validate, type FieldErrors } from '../../lib/forms';
import { pendingConsentsOf } from '../../lib/proposals';

function ConsentForm({ proposal, onAnswered }: { proposal: Proposal; onAnswered: (p: Proposal) => void }) {
  const me = useMe();
  const pending = pendingConsentsOf(proposal, me.organization.id);
  const [decision, setDecision] = useState<'consent' | 'decline' | ''>('');
  const [text, setText] = useState('');
  const [conditions, setConditions] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  if (pending.length === 0) return null;
  const title = (datasetId: string) => proposal.snapshots.find((s) => s.datasetId === datasetId)?.title ?? datasetId;

  const submit = async () => {
    if (!decision) return setErrors({ decision: 'Choose consent or decline' });
    const list = decision === 'consent' ? conditionLines(conditions) : [];
    const body = { decision, text: text.trim() || undefined, datasetIds: pending.map((c) => c.datasetId), conditions: list.length ? list : undefined };
    const checked = validate(ReviewRequestSchema, body, ['decision', 'text', 'datasetIds', 'conditions']);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      onAnswered(await api.reviewProposal(proposal.id, checked.value));
    } catch (error) {
      setErrors(errorsFromApi(error, ['decision', 'text', 'datasetIds', 'conditions']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card decision" aria-labelledby="consent-heading">
      <h2 id="consent-heading">Your answer</h2>
      <p>Awaiting your answer: {pending.map((c) => title(c.datasetId)).join(', ')}.</p>
      <ErrorSummary errors={errors} />
      <RadioGroup
        name="decision"
        label="Do you consent to this use of your data?"
        required
        value={decision}
        onChange={setDecision}
        error={errors.decision}
        options={[
          { value: 'consent', label: 'Consent', hint: 'The dataset may be granted if the consortium approves.' },
          { value: 'decline', label: 'Decline', hint: 'The dataset will not be granted for this proposal.' },
        ]}
      />
      {decision === 'consent' ? (
        <TextArea
          name="conditions"
          label="Conditions of your consent (optional)"
          hint="One per line, each a sentence of at least 5 characters. They become conditions of the grant on your data."
          value={conditions}
          onChange={setConditions}
          error={errors.conditions}
        />
      ) : null}
      <TextArea
        name="text"
        label={decision === 'decline' ? 'Why you decline' : 'Note (optional)'}
        required={decision === 'decline'}
        hint="The proposing organisation and the secretariat see it."
        value={text}
        onChange={setText}
        error={errors.text}
      />
      <button type="button" onClick={() => void submit()} disabled={busy}>
        {busy ? 'Sending…' : 'Send answer'}
      </button>
    </section>
  );
}

/** A proposal that asks for this provider's datasets: what it is for, and consent or decline. */
export function ReviewProposalPage() {
  const { id = '' } = useParams();
  const proposal = useAsync(async () => (await api.proposal(id)).data, [id]);
  const timeline = useAsync(() => api.timeline(id), [id]);
  const [answered, setAnswered] = useState(false);
  return (
    <Page title={proposal.status === 'ready' ? (proposal.data.fields.title ?? 'Proposal') : 'Proposal'}>
      <BackLink to="/provider/reviews">Proposals to review</BackLink>
      <Async state={proposal} label="Loading the proposal…">
        {(p) => (
          <>
            <p className="subtitle">
              <ProposalStateBadge state={p.state} /> · from {p.orgName}
            </p>
            {answered ? (
              <Notice tone="success" role="status">
                Your answer was recorded.
              </Notice>
            ) : null}
            <ConsentForm
              proposal={p}
              onAnswered={(next) => {
                proposal.set(next);
                setAnswered(true);
                timeline.reload();
              }}
            />
            {['submitted', 'in_review', 'changes_requested'].includes(p.state) ? (
              <AskQuestion
                proposal={p}
                onSent={(next) => {
                  proposal.set(next);
                  timeline.reload();
                }}
              />
            ) : null}
            <ProposalView proposal={p} datasetLink={(datasetId) => `/provider/datasets/${datasetId}`} />
            <h2>Timeline</h2>
            <Async state={timeline} label="Loading the timeline…">
              {(t) => <Timeline items={t.items} />}
            </Async>
          </>
        )}
      </Async>
    </Page>
  );
}
