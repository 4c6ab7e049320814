import { useState } from 'react';
import { ReviewRequestSchema, type Proposal } from '../../../../shared/schemas/proposal';
import { api } from '../../api/endpoints';
import { ErrorSummary, RadioGroup, TextArea, TextField } from '../../components/fields';
import { DateTime, Notice } from '../../components/ui';
import { errorsFromApi, validate, type FieldErrors } from '../../lib/forms';

type Escalation = 'extend_window' | 'drop_dataset' | 'consent_for_provider' | 'decline_for_provider';
const FIELDS = ['decision', 'days', 'text', 'datasetIds'];

/**
 * A provider's pending consent, as the secretariat sees it: when it is due, and what the admins may
 * do about it (give more time at any time; once the window closed, drop the dataset or record the
 * provider's answer with a reason). Every step goes on the timeline and into the audit trail.
 */
function PendingConsent({ proposal, datasetId, onDecided }: { proposal: Proposal; datasetId: string; onDecided: (p: Proposal) => void }) {
  const consent = proposal.consents.find((c) => c.datasetId === datasetId)!;
  const snapshot = proposal.snapshots.find((s) => s.datasetId === datasetId);
  const closed = consent.respondBy ? Date.parse(consent.respondBy) <= Date.now() : false;
  const [decision, setDecision] = useState<Escalation | ''>('');
  const [days, setDays] = useState('7');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const id = `consent-${datasetId}`;

  const submit = async () => {
    if (!decision) return setErrors({ decision: 'Choose what to do' });
    const body = { decision, datasetIds: [datasetId], ...(decision === 'extend_window' ? { days: Number(days) } : {}), text: text.trim() || undefined };
    const checked = validate(ReviewRequestSchema, body, FIELDS);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      onDecided(await api.reviewProposal(proposal.id, checked.value));
      setDecision('');
      setText('');
    } catch (error) {
      setErrors(errorsFromApi(error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pending-consent" role="group" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>
        {snapshot?.title ?? 'Dataset'} ({snapshot?.providerName ?? 'provider'})
      </h3>
      <p>
        {closed ? 'The window to answer closed on ' : 'The provider may answer until '}
        <DateTime iso={consent.respondBy ?? null} />.
      </p>
      <ErrorSummary errors={errors} />
      <RadioGroup
        name={`${id}-decision`}
        label="What to do"
        value={decision}
        onChange={setDecision}
        error={errors.decision}
        options={[
          { value: 'extend_window', label: 'Give the provider more time' },
          ...(closed
            ? ([
                { value: 'drop_dataset', label: 'Drop the dataset from the proposal' },
                { value: 'consent_for_provider', label: 'Record the provider\'s consent', hint: 'Given outside Accord; say how.' },
                { value: 'decline_for_provider', label: 'Record the provider\'s refusal' },
              ] as const)
            : []),
        ]}
      />
      {decision === 'extend_window' ? (
        <TextField name={`${id}-days`} label="Days more" type="number" min={1} max={90} value={days} onChange={setDays} error={errors.days} />
      ) : null}
      {decision && decision !== 'extend_window' ? (
        <TextArea name={`${id}-text`} label="Reason" required hint="Everyone concerned reads it in the timeline." value={text} onChange={setText} error={errors.text} />
      ) : null}
      <button type="button" onClick={() => void submit()} disabled={busy}>
        {busy ? 'Recording…' : 'Record'}
      </button>
    </div>
  );
}

/** Every pending consent of a proposal, with the secretariat's options. */
export function PendingConsents({ proposal, onDecided }: { proposal: Proposal; onDecided: (p: Proposal) => void }) {
  const pending = proposal.consents.filter((c) => c.state === 'pending');
  if (pending.length === 0) return null;
  return (
    <section className="card" aria-labelledby="pending-consents-heading">
      <h2 id="pending-consents-heading">Consents awaited</h2>
      {proposal.overdue ? <Notice tone="warning">A provider did not answer in time.</Notice> : null}
      {pending.map((c) => (
        <PendingConsent key={c.datasetId} proposal={proposal} datasetId={c.datasetId} onDecided={onDecided} />
      ))}
    </section>
  );
}
