import { ClosureRequestSchema, RenewalRequestSchema, type ClosureRequest, type Grant, type RenewalRequest } from '../../../shared/schemas/grant';
import { validate, type FieldErrors } from './forms';

/**
 * The closure form of a grant, as its inputs hold it: the deletion attestation (who deleted
 * what, when, how, which copies) and the outcome report (outputs, the proposal's indicators with
 * their results, a public summary). Either part may be sent alone; each fulfils its obligation.
 */
export interface ClosureFormState {
  sendAttestation: boolean;
  sendReport: boolean;
  deletedBy: string;
  /** A `datetime-local` value, in the user's time zone. */
  deletedAt: string;
  method: string;
  copies: { location: string; description: string }[];
  /** Names of the files attested deleted. */
  files: string[];
  statement: string;
  outputs: { title: string; url: string; description: string }[];
  indicators: { indicator: string; result: string }[];
  publicSummary: string;
}

/** A fresh form: the parts still owed ticked, every file of the grant, one row per indicator of the proposal. */
export function emptyClosureForm(
  grant: Pick<Grant, 'attestation' | 'outcomeReport'>,
  fileNames: readonly string[],
  indicators: readonly string[],
  deletedBy = '',
): ClosureFormState {
  return {
    sendAttestation: grant.attestation === null,
    sendReport: grant.outcomeReport === null,
    deletedBy,
    deletedAt: '',
    method: '',
    copies: [{ location: '', description: '' }],
    files: [...fileNames],
    statement: '',
    outputs: [{ title: '', url: '', description: '' }],
    indicators: (indicators.length ? indicators : ['']).map((indicator) => ({ indicator, result: '' })),
    publicSummary: '',
  };
}

/** `2026-03-01T14:05` in the browser's time zone → an ISO instant; anything unreadable is passed on for the schema to refuse. */
export function localDateTimeToIso(value: string): string {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : value;
}

const optional = (value: string): string | undefined => (value.trim() ? value.trim() : undefined);

/** The request body the form stands for, before validation: blank optional inputs left out. */
export function closureRequestFrom(form: ClosureFormState): Partial<ClosureRequest> {
  const body: Record<string, unknown> = {};
  if (form.sendAttestation) {
    body.attestation = {
      deletedBy: form.deletedBy,
      deletedAt: localDateTimeToIso(form.deletedAt),
      method: form.method,
      copies: form.copies.map((c) => ({ location: c.location, description: optional(c.description) })),
      files: form.files,
      statement: form.statement,
    };
  }
  if (form.sendReport) {
    body.outcomeReport = {
      outputs: form.outputs.map((o) => ({ title: o.title, url: optional(o.url), description: optional(o.description) })),
      indicators: form.indicators.map((i) => ({ indicator: i.indicator, result: i.result })),
      publicSummary: form.publicSummary,
    };
  }
  return body;
}

/** One input of a row: the key in the row, its label after "Copy 2: ". */
export interface RowCellSpec {
  readonly key: string;
  readonly label: string;
  readonly required?: boolean;
  readonly type?: 'url';
  readonly multiline?: boolean;
}

/** A list of rows in the form: where it is in the request, what it and one row are called, its inputs. */
export interface RowsSpec {
  readonly formKey: 'copies' | 'outputs' | 'indicators';
  readonly path: string;
  readonly legend: string;
  readonly item: string;
  readonly hint: string;
  readonly addLabel: string;
  readonly cells: readonly RowCellSpec[];
}

export const CLOSURE_ROWS: readonly RowsSpec[] = [
  {
    formKey: 'copies',
    path: 'attestation.copies',
    legend: 'Copies',
    item: 'Copy',
    hint: 'Every place the data was: laptops, servers, cloud storage, backups. Say that it is gone from each.',
    addLabel: 'Add a copy',
    cells: [
      { key: 'location', label: 'where it was', required: true },
      { key: 'description', label: 'what was done' },
    ],
  },
  {
    formKey: 'outputs',
    path: 'outcomeReport.outputs',
    legend: 'Outputs',
    item: 'Output',
    hint: 'What the project produced: reports, tools, decisions, with a link where there is one.',
    addLabel: 'Add an output',
    cells: [
      { key: 'title', label: 'title', required: true },
      { key: 'url', label: 'link', type: 'url' },
      { key: 'description', label: 'description' },
    ],
  },
  {
    formKey: 'indicators',
    path: 'outcomeReport.indicators',
    legend: 'Impact indicators',
    item: 'Indicator',
    hint: 'The impact indicators the proposal named, each with what was measured.',
    addLabel: 'Add an indicator',
    cells: [
      { key: 'indicator', label: 'name', required: true },
      { key: 'result', label: 'result', required: true, multiline: true },
    ],
  },
];

export const rowsSpec = (formKey: RowsSpec['formKey']): RowsSpec => CLOSURE_ROWS.find((r) => r.formKey === formKey)!;

/** "Copy 2: what was done (optional)". */
export const rowCellLabel = (spec: RowsSpec, index: number, cell: RowCellSpec): string =>
  `${spec.item} ${index + 1}: ${cell.label}${cell.required ? '' : ' (optional)'}`;

const SINGLE_FIELDS: Record<string, string> = {
  parts: 'What you send',
  'attestation.deletedBy': 'Deleted by',
  'attestation.deletedAt': 'Deleted on',
  'attestation.method': 'How',
  'attestation.files': 'Files deleted',
  'attestation.statement': 'Statement',
  'outcomeReport.publicSummary': 'Public summary',
};

/** Every input of the form (rows included) with the label the error summary names it by. */
export function closureLabels(form: ClosureFormState): Record<string, string> {
  const labels: Record<string, string> = { ...SINGLE_FIELDS };
  for (const spec of CLOSURE_ROWS) {
    labels[spec.path] = spec.legend;
    form[spec.formKey].forEach((_, i) => {
      for (const cell of spec.cells) labels[`${spec.path}.${i}.${cell.key}`] = rowCellLabel(spec, i, cell);
    });
  }
  return labels;
}

/** The paths the form has a control for (rows included), so that every message lands beside its input. */
export const closureFields = (form: ClosureFormState): string[] => Object.keys(closureLabels(form));

/** Checks the form with the API's own schema, and the two things the schema cannot know: which part is sent, which files. */
export function validateClosure(form: ClosureFormState): { ok: true; value: ClosureRequest } | { ok: false; errors: FieldErrors } {
  if (!form.sendAttestation && !form.sendReport) return { ok: false, errors: { parts: 'Choose the deletion attestation, the outcome report, or both' } };
  const checked = validate(ClosureRequestSchema, closureRequestFrom(form), closureFields(form));
  const errors: Record<string, string> = checked.ok ? {} : { ...checked.errors };
  if (form.sendAttestation && form.files.length === 0) errors['attestation.files'] ??= 'Tick every file you deleted';
  if (checked.ok && Object.keys(errors).length === 0) return checked;
  return { ok: false, errors };
}

export interface RenewalFormState {
  endDate: string;
  reason: string;
}

/** Checks a renewal request with the API's schema, and that it moves the end date later. */
export function validateRenewal(form: RenewalFormState, currentEndDate: string): { ok: true; value: RenewalRequest } | { ok: false; errors: FieldErrors } {
  const checked = validate(RenewalRequestSchema, { endDate: form.endDate, reason: form.reason }, ['endDate', 'reason']);
  if (!checked.ok) return checked;
  if (checked.value.endDate <= currentEndDate) return { ok: false, errors: { endDate: 'Choose a date after the current end date' } };
  return checked;
}
