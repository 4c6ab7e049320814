import { useEffect, useState } from 'react';
import type { Grant, GrantFile } from '../../../../shared/schemas/grant';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { CheckboxGroup, ErrorSummary, Messages, TextArea, TextField } from '../../components/fields';
import { CheckedForm, useFormSubmit } from '../../components/form-submit';
import {
  closureFields,
  closureLabels,
  emptyClosureForm,
  rowCellLabel,
  rowsSpec,
  validateClosure,
  type ClosureFormState,
  type RowsSpec,
} from '../../lib/closure-form';
import { userTimeZone } from '../../lib/format';
import { fieldId, type FieldErrors } from '../../lib/forms';

type Part = 'attestation' | 'report';

/**
 * A list of rows of inputs as `spec` describes it, an "Add" button and a "Remove" button per row
 * (one row at least). Each input is named `<path>.<row>.<key>` like the schema's paths, so that
 * every message lands beside its input.
 */
function Rows<T extends Record<string, string>>({ spec, rows, errors, onChange }: { spec: RowsSpec; rows: T[]; errors: FieldErrors; onChange: (rows: T[]) => void }) {
  const id = fieldId(spec.path);
  const error = errors[spec.path];
  const blank = Object.fromEntries(spec.cells.map((c) => [c.key, ''])) as T;
  return (
    <fieldset id={id} tabIndex={-1} className={`field group ${error ? 'has-error' : ''}`} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
      <legend>{spec.legend}</legend>
      <Messages id={id} hint={spec.hint} error={error} />
      {rows.map((row, i) => (
        <div className="card row-card" key={i}>
          {spec.cells.map((cell) => {
            const props = {
              name: `${spec.path}.${i}.${cell.key}`,
              label: rowCellLabel(spec, i, cell),
              required: cell.required,
              value: row[cell.key] ?? '',
              onChange: (value: string) => onChange(rows.map((r, j) => (j === i ? { ...r, [cell.key]: value } : r))),
              error: errors[`${spec.path}.${i}.${cell.key}`],
            };
            return cell.multiline ? <TextArea key={cell.key} rows={2} {...props} /> : <TextField key={cell.key} type={cell.type} {...props} />;
          })}
          {rows.length > 1 ? (
            <button type="button" className="secondary small" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              Remove {spec.item.toLowerCase()} {i + 1}
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" className="secondary small" onClick={() => onChange([...rows, blank])}>
        {spec.addLabel}
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
  const { errors, busy, submit } = useFormSubmit();

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

  const send = () => submit(validateClosure(form), async (body) => onClosed(await api.closeGrant(grant.id, body)), closureFields(form));

  return (
    <CheckedForm className="closure-form" labelledBy="closure-form" onSubmit={() => void send()}>
      <h3 id="closure-form">Close the grant</h3>
      <p>
        Attest that every copy of the data was deleted, and report what the project achieved. Send both now, or each when it is ready: each
        fulfils its obligation, and the grant closes once both are in.
      </p>
      <ErrorSummary errors={errors} labels={closureLabels(form)} />
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
          <Rows spec={rowsSpec('copies')} rows={form.copies} errors={errors} onChange={set('copies')} />
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
          <Rows spec={rowsSpec('outputs')} rows={form.outputs} errors={errors} onChange={set('outputs')} />
          <Rows spec={rowsSpec('indicators')} rows={form.indicators} errors={errors} onChange={set('indicators')} />
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
    </CheckedForm>
  );
}
