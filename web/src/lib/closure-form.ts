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

/** The paths the form has a control for (rows included), so that every message lands beside its input. */
export function closureFields(form: ClosureFormState): string[] {
  const a = 'attestation';
  const r = 'outcomeReport';
  return [
    'parts',
    `${a}.deletedBy`,
    `${a}.deletedAt`,
    `${a}.method`,
    `${a}.copies`,
    ...form.copies.flatMap((_, i) => [`${a}.copies.${i}.location`, `${a}.copies.${i}.description`]),
    `${a}.files`,
    `${a}.statement`,
    `${r}.outputs`,
    ...form.outputs.flatMap((_, i) => [`${r}.outputs.${i}.title`, `${r}.outputs.${i}.url`, `${r}.outputs.${i}.description`]),
    `${r}.indicators`,
    ...form.indicators.flatMap((_, i) => [`${r}.indicators.${i}.indicator`, `${r}.indicators.${i}.result`]),
    `${r}.publicSummary`,
  ];
}

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
