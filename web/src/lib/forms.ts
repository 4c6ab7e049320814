import type * as z from 'zod/mini';
import { ApiError } from '../api/client';

/**
 * Field-level messages keyed by the field's path as the schemas and the API name it:
 * `title`, `contact.email`, `dataDictionary.2.type`. `FORM` holds what belongs to no field.
 */
export type FieldErrors = Readonly<Record<string, string>>;
export const FORM = '_form';

/** The id of the control for a field path: `contact.email` → `f-contact-email`. */
export const fieldId = (path: string): string => `f-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;

/**
 * Where a message for `path` is shown: the longest of the form's own field names that `path`
 * starts with (`keywords.3` → `keywords`), or FORM when the form has no such field.
 */
export function placeOf(path: string, fields: readonly string[]): string {
  let best: string | null = null;
  for (const field of fields) {
    if ((path === field || path.startsWith(`${field}.`)) && (best === null || field.length > best.length)) best = field;
  }
  return best ?? FORM;
}

const withoutFieldPrefix = (field: string, message: string): string =>
  humanizeMessage(message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message);

function add(errors: Record<string, string>, place: string, message: string, original: string): void {
  if (errors[place]) return; // the first message per field is the one to fix first
  if (place === FORM) {
    errors[FORM] = original && original !== FORM ? `${original}: ${message}` : message;
    return;
  }
  // A message about one element of a list field says which element.
  const next = original === place ? undefined : original.slice(place.length + 1).split('.')[0];
  errors[place] = next !== undefined && /^\d+$/.test(next) ? `Item ${Number(next) + 1}: ${message}` : message;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const REPHRASINGS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Too small: expected string to have >=?(\d+) characters?$/, (m) => (Number(m[1]) <= 1 ? 'Enter a value' : `Enter at least ${count(Number(m[1]), 'character', 'characters')}`)],
  [/^Too big: expected string to have <=?(\d+) characters?$/, (m) => `Enter at most ${count(Number(m[1]), 'character', 'characters')}`],
  [/^Too small: expected array to have >=?(\d+) items?$/, (m) => (Number(m[1]) <= 1 ? 'Choose or add at least one' : `Choose or add at least ${m[1]}`)],
  [/^Too big: expected array to have <=?(\d+) items?$/, (m) => `Choose or add at most ${m[1]}`],
  [/^Too small: expected number to be >=?(-?[\d.]+)$/, (m) => `Enter a number from ${m[1]}`],
  [/^Too big: expected number to be <=?(-?[\d.]+)$/, (m) => `Enter a number up to ${m[1]}`],
  [/^Invalid input: expected \w+, received undefined$/, () => 'This is required'],
  [/^Invalid input: expected (number|int), received \w+$/, () => 'Enter a whole number'],
  [/^Invalid input: expected boolean, received \w+$/, () => 'Tick or untick this'],
  [/^Invalid email address$/, () => 'Enter an email address like name@example.org'],
  [/^Invalid ISO date$/, () => 'Enter a date'],
  [/^Invalid ISO datetime$/, () => 'Enter a date and time'],
  [/^Invalid URL$/, () => 'Enter a full web address, starting with https://'],
  [/^Invalid UUID$/, () => 'Choose one from the list'],
  [/^Invalid option: expected one of .*$/, () => 'Choose one of the options'],
];

/**
 * A message in words for the person filling in the form. Messages the schemas spell out
 * themselves are kept; zod's generic ones ("Too small: expected string to have >=3
 * characters"), from the browser's own check or echoed by the API, are rephrased.
 */
export function humanizeMessage(message: string): string {
  for (const [pattern, rephrase] of REPHRASINGS) {
    const match = pattern.exec(message);
    if (match) return rephrase(match);
  }
  return message;
}

/** The issues of a failed zod parse, one message per field of the form. */
export function errorsFromIssues(issues: readonly z.core.$ZodIssue[], fields: readonly string[]): FieldErrors {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      add(errors, FORM, `Unknown field ${issue.keys.join(', ')}`, FORM);
      continue;
    }
    add(errors, path ? placeOf(path, fields) : FORM, humanizeMessage(issue.message), path || FORM);
  }
  return errors;
}

/** A list of `{ field, message }` (the API's `details.issues` and `details.missing`, or missingForSubmission). */
export function errorsFromList(list: readonly { field: string; message: string }[], fields: readonly string[]): FieldErrors {
  const errors: Record<string, string> = {};
  for (const { field, message } of list) add(errors, placeOf(field, fields), withoutFieldPrefix(field, message), field);
  return errors;
}

const isFieldList = (value: unknown): value is { field: string; message: string }[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && typeof v.field === 'string' && typeof v.message === 'string');

/**
 * An API error as field messages: `details.field` names where it goes; `details.issues` or
 * `details.missing`, when present, add the other fields. Anything else is a form-level message.
 */
export function errorsFromApi(error: unknown, fields: readonly string[]): FieldErrors {
  if (!(error instanceof ApiError)) return { [FORM]: error instanceof Error ? error.message : String(error) };
  const errors: Record<string, string> = {};
  const field = error.field;
  if (field) add(errors, placeOf(field, fields), withoutFieldPrefix(field, error.message), field);
  else add(errors, FORM, error.message, FORM);
  for (const key of ['issues', 'missing'] as const) {
    const list = error.details[key];
    if (isFieldList(list)) {
      for (const item of list) add(errors, placeOf(item.field, fields), withoutFieldPrefix(item.field, item.message), item.field);
    }
  }
  return errors;
}

/** Validates `value` with `schema`; on failure, the field messages. */
export function validate<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  fields: readonly string[],
): { ok: true; value: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: errorsFromIssues(parsed.error.issues, fields) };
}

export const hasErrors = (errors: FieldErrors): boolean => Object.keys(errors).length > 0;

/** Lines of a textarea, trimmed, blank ones dropped (conditions, indicators). */
export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

/** A comma-separated list (keywords, formats), trimmed, blanks dropped. */
export const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
