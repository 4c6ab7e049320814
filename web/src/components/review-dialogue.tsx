import { useState } from 'react';
import { ReviewRequestSchema, type Proposal, type TimelineEntry } from '../../../shared/schemas/proposal';
import { api } from '../api/endpoints';
import { errorsFromApi, validate, type FieldErrors } from '../lib/forms';
import { ErrorSummary, TextArea } from './fields';

/** Sends one question or answer; shows the field's error from the schema or the API. */
function useDialogue(proposal: Proposal, onSent: (p: Proposal) => void) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const send = async (body: { decision: 'question' | 'answer'; text: string; questionId?: string }): Promise<boolean> => {
    const checked = validate(ReviewRequestSchema, body, ['text', 'questionId']);
    if (!checked.ok) {
      setErrors(checked.errors);
      return false;
    }
    setErrors({});
    setBusy(true);
    try {
      onSent(await api.reviewProposal(proposal.id, checked.value));
      return true;
    } catch (error) {
      setErrors(errorsFromApi(error, ['text', 'questionId']));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, send };
}

/** A reviewer (an admin, or a provider asked for data) asks the applicants; the proposal stays where it is. */
export function AskQuestion({ proposal, onSent }: { proposal: Proposal; onSent: (p: Proposal) => void }) {
  const [text, setText] = useState('');
  const { errors, busy, send } = useDialogue(proposal, onSent);
  return (
    <section className="card" aria-labelledby="ask-heading">
      <h2 id="ask-heading">Ask the applicants</h2>
      <ErrorSummary errors={errors} />
      <TextArea name="question" label="Your question" hint="The applicants are told, and answer in the timeline. It does not change the proposal's state." value={text} onChange={setText} error={errors.text} />
      <button type="button" disabled={busy} onClick={() => void send({ decision: 'question', text: text.trim() }).then((ok) => ok && setText(''))}>
        {busy ? 'Sending…' : 'Ask'}
      </button>
    </section>
  );
}

function AnswerForm({ proposal, question, onSent }: { proposal: Proposal; question: TimelineEntry; onSent: (p: Proposal) => void }) {
  const questionId = String(question.details?.questionId ?? '');
  const [text, setText] = useState('');
  const { errors, busy, send } = useDialogue(proposal, onSent);
  return (
    <div className="card" role="group" aria-labelledby={`q-${questionId}`}>
      <p id={`q-${questionId}`}>
        <strong>{question.orgName}</strong> asks: “{question.text}”
      </p>
      <ErrorSummary errors={errors} />
      <TextArea name={`answer-${questionId}`} label="Your answer" value={text} onChange={setText} error={errors.text ?? errors.questionId} />
      <button type="button" disabled={busy} onClick={() => void send({ decision: 'answer', questionId, text: text.trim() })}>
        {busy ? 'Sending…' : 'Send answer'}
      </button>
    </div>
  );
}

/** The questions reviewers asked that the authors have not answered yet, each with its answer form. */
export function OpenQuestions({ proposal, timeline, onSent }: { proposal: Proposal; timeline: readonly TimelineEntry[]; onSent: (p: Proposal) => void }) {
  const answered = new Set(timeline.filter((e) => e.kind === 'answer').map((e) => String(e.details?.questionId)));
  const open = timeline.filter((e) => e.kind === 'question' && !answered.has(String(e.details?.questionId)));
  if (open.length === 0) return null;
  return (
    <section aria-labelledby="questions-heading">
      <h2 id="questions-heading">Questions to answer</h2>
      {open.map((q) => (
        <AnswerForm key={String(q.details?.questionId)} proposal={proposal} question={q} onSent={onSent} />
      ))}
    </section>
  );
}
