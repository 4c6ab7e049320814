import { useEffect, useState, type ReactNode } from 'react';
import type { Grant, GrantFile } from '../../../../shared/schemas/grant';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { CheckboxGroup, ErrorSummary, TextArea, TextField } from '../../components/fields';
import { closureFields, emptyClosureForm, validateClosure, type ClosureFormState } from '../../lib/closure-form';
import { userTimeZone } from '../../lib/format';
import { errorsFromApi, fieldId, type FieldErrors } from '../../lib/forms';

type Part = 'attestation' | 'report';

const LABELS: Record<string, string> = {
  parts: 'What you send',
  'attestation.deletedBy': 'Deleted by',
  'attestation.deletedAt': 'Deleted on',
  'attestation.method': 'How',
  'attestation.copies': 'Copies',
  'attestation.files': 'Files deleted',
  'attestation.statement': 'Statement',
  'outcomeReport.outputs': 'Outputs',
  'outcomeReport.indicators': 'Impact indicators',
  'outcomeReport.publicSummary': 'Public summary',
};

/** A list of rows with their own inputs, an "Add" button and a "Remove" button per row (one row at least). */
function Rows<T>({
  legend,
  hint,
  error,
  name,
  rows,
  onChange,
  blank,
  addLabel,
  children,
}: {
  legend: string;
  hint?: ReactNode;
  error?: string;
  name: string;
  rows: T[];
  onChange: (rows: T[]) => void;
  blank: T;
  addLabel: string;
  children: (row: T, i: number, set: (row: T) => void) => ReactNode;
}) {
  const id = fieldId(name);
  return (
    <fieldset id={id} tabIndex={-1} className={`field group ${error ? 'has-error' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {rows.map((row, i) => (
        <div className="card row-card" key={i}>
          {children(row, i, (next) => onChange(rows.map((r, j) => (j === i ? next : r))))}
          {rows.length > 1 ? (
            <button type="button" className="secondary small" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              Remove {legend.toLowerCase()} {i + 1}
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" className="secondary small" onClick={() => onChange([...rows, blank])}>
        {addLabel}
      </button>
    </fieldset>
  );
}

/**
 * The closure of an ended or revoked grant: the deletion attestation and the outcome report, both
 * checked with the API's schemas before they are sent (POST /v1/grants/{id}/closure).
 */
export function ClosureForm({ grant, files, onClosed }: { grant: Grant; files: readonly GrantFile[]; onClosed: (grant: Grant) => void }) {
  const me = useMe();
  const fileNames = files.map((f) => f.name);
  const [form, setForm] = useState<ClosureFormState>(() => emptyClosureForm(grant, fileNames, [], me.user.name));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  // The outcome report answers the proposal's own impact indicators: start with one row each.
  useEffect(() => {
    let live = true;
    api.proposal(grant.proposalId).then(
      ({ data }) => {
        const indicators = data.fields.impactIndicators ?? [];
        if (live && indicators.length) {
          setForm((f) => (f.indicators.every((i) => !i.indicator && !i.result) ? { ...f, indicators: indicators.map((indicator) => ({ indicator, result: '' })) } : f));
        }
      },
      () => undefined, // the member types the indicators in instead
    );
    return () => {
      live = false;
    };
  }, [grant.proposalId]);

  const set = <K extends keyof ClosureFormState>(key: K) => (value: ClosureFormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const owed: { value: Part; label: string }[] = [
    ...(grant.attestation === null ? [{ value: 'attestation' as const, label: 'Deletion attestation' }] : []),
    ...(grant.outcomeReport === null ? [{ value: 'report' as const, label: 'Outcome report' }] : []),
  ];
  const parts: Part[] = [...(form.sendAttestation ? ['attestation' as const] : []), ...(form.sendReport ? ['report' as const] : [])];

  const submit = async () => {
    const checked = validateClosure(form);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    try {
      onClosed(await api.closeGrant(grant.id, checked.value));
    } catch (error) {
      setErrors(errorsFromApi(error, closureFields(form)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="closure-form"
      aria-labelledby="closure-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="closure-form">Close the grant</h3>
      <p>
        Attest that every copy of the data was deleted, and report what the project achieved. Send both now, or each when it is ready: each
        fulfils its obligation, and the grant closes once both are in.
      </p>
      <ErrorSummary errors={errors} labels={LABELS} />
      {owed.length > 1 ? (
        <CheckboxGroup
          name="parts"
          label="What you send now"
          options={owed}
          values={parts}
          error={errors.parts}
          onChange={(values) => setForm((f) => ({ ...f, sendAttestation: values.includes('attestation'), sendReport: values.includes('report') }))}
        />
      ) : null}

      {form.sendAttestation ? (
        <fieldset className="section">
          <legend>Deletion attestation</legend>
          <TextField name="attestation.deletedBy" label="Deleted by" hint="The person who deleted the data, and their role." required value={form.deletedBy} onChange={set('deletedBy')} error={errors['attestation.deletedBy']} />
          <TextField
            name="attestation.deletedAt"
            label="Deleted on"
            type="datetime-local"
            required
            hint={`Date and time in your time zone, ${userTimeZone()}.`}
            value={form.deletedAt}
            onChange={set('deletedAt')}
            error={errors['attestation.deletedAt']}
          />
          <TextArea
            name="attestation.method"
            label="How the data was deleted"
            required
            hint="The tool or procedure, e.g. secure erase of the encrypted volume, bucket objects and versions deleted."
            value={form.method}
            onChange={set('method')}
            error={errors['attestation.method']}
          />
          <CheckboxGroup
            name="attestation.files"
            label="Files deleted"
            required
            options={fileNames.map((value) => ({ value, label: value }))}
            values={form.files}
            onChange={set('files')}
            error={errors['attestation.files']}
          />
          <Rows
            legend="Copy"
            name="attestation.copies"
            hint="Every place the data was: laptops, servers, cloud storage, backups. Say that it is gone from each."
            error={errors['attestation.copies']}
            rows={form.copies}
            onChange={set('copies')}
            blank={{ location: '', description: '' }}
            addLabel="Add a copy"
          >
            {(row, i, setRow) => (
              <>
                <TextField name={`attestation.copies.${i}.location`} label={`Copy ${i + 1}: where it was`} required value={row.location} onChange={(location) => setRow({ ...row, location })} error={errors[`attestation.copies.${i}.location`]} />
                <TextField
                  name={`attestation.copies.${i}.description`}
                  label={`Copy ${i + 1}: what was done (optional)`}
                  value={row.description}
                  onChange={(description) => setRow({ ...row, description })}
                  error={errors[`attestation.copies.${i}.description`]}
                />
              </>
            )}
          </Rows>
          <TextArea
            name="attestation.statement"
            label="Statement"
            required
            hint="In your own words, that no copy of the data remains with your organisation. At least 10 characters."
            value={form.statement}
            onChange={set('statement')}
            error={errors['attestation.statement']}
          />
        </fieldset>
      ) : null}

      {form.sendReport ? (
        <fieldset className="section">
          <legend>Outcome report</legend>
          <Rows
            legend="Output"
            name="outcomeReport.outputs"
            hint="What the project produced: reports, tools, decisions, with a link where there is one."
            error={errors['outcomeReport.outputs']}
            rows={form.outputs}
            onChange={set('outputs')}
            blank={{ title: '', url: '', description: '' }}
            addLabel="Add an output"
          >
            {(row, i, setRow) => (
              <>
                <TextField name={`outcomeReport.outputs.${i}.title`} label={`Output ${i + 1}: title`} required value={row.title} onChange={(title) => setRow({ ...row, title })} error={errors[`outcomeReport.outputs.${i}.title`]} />
                <TextField
                  name={`outcomeReport.outputs.${i}.url`}
                  label={`Output ${i + 1}: link (optional)`}
                  type="url"
                  value={row.url}
                  onChange={(url) => setRow({ ...row, url })}
                  error={errors[`outcomeReport.outputs.${i}.url`]}
                />
                <TextField
                  name={`outcomeReport.outputs.${i}.description`}
                  label={`Output ${i + 1}: description (optional)`}
                  value={row.description}
                  onChange={(description) => setRow({ ...row, description })}
                  error={errors[`outcomeReport.outputs.${i}.description`]}
                />
              </>
            )}
          </Rows>
          <Rows
            legend="Indicator"
            name="outcomeReport.indicators"
            hint="The impact indicators the proposal named, each with what was measured."
            error={errors['outcomeReport.indicators']}
            rows={form.indicators}
            onChange={set('indicators')}
            blank={{ indicator: '', result: '' }}
            addLabel="Add an indicator"
          >
            {(row, i, setRow) => (
              <>
                <TextField
                  name={`outcomeReport.indicators.${i}.indicator`}
                  label={`Indicator ${i + 1}`}
                  required
                  value={row.indicator}
                  onChange={(indicator) => setRow({ ...row, indicator })}
                  error={errors[`outcomeReport.indicators.${i}.indicator`]}
                />
                <TextArea
                  name={`outcomeReport.indicators.${i}.result`}
                  label={`Indicator ${i + 1}: result`}
                  required
                  rows={2}
                  value={row.result}
                  onChange={(result) => setRow({ ...row, result })}
                  error={errors[`outcomeReport.indicators.${i}.result`]}
                />
              </>
            )}
          </Rows>
          <TextArea
            name="outcomeReport.publicSummary"
            label="Public summary"
            required
            hint="What the project achieved, for everyone: shown in the public register when the project is listed there. At least 20 characters."
            value={form.publicSummary}
            onChange={set('publicSummary')}
            error={errors['outcomeReport.publicSummary']}
          />
        </fieldset>
      ) : null}

      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Submit closure'}
        </button>
      </div>
    </form>
  );
}
