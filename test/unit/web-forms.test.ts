import { describe, expect, it } from 'vitest';
import * as z from '../../shared/schemas/zod';
import { ApiError } from '../../web/src/api/client';
import { commaList, errorsFromApi, errorsFromIssues, errorsFromList, fieldId, FORM, humanizeMessage, lines, placeOf, validate } from '../../web/src/lib/forms';

describe('where a field message is shown', () => {
  it('goes to the longest field of the form that the path starts with', () => {
    const fields = ['contact.email', 'keywords', 'dataDictionary', 'dataDictionary.0.type'];
    expect(placeOf('contact.email', fields)).toBe('contact.email');
    expect(placeOf('keywords.3', fields)).toBe('keywords');
    expect(placeOf('dataDictionary.0.type', fields)).toBe('dataDictionary.0.type');
    expect(placeOf('dataDictionary.4.field', fields)).toBe('dataDictionary');
  });

  it('goes to the form as a whole when no field of the form matches', () => {
    expect(placeOf('If-Match', ['title'])).toBe(FORM);
    expect(placeOf('titles', ['title'])).toBe(FORM);
  });

  it('gives every field path a control id that is a valid HTML id', () => {
    expect(fieldId('contact.email')).toBe('f-contact-email');
    expect(fieldId('dataDictionary.2.type')).toBe('f-dataDictionary-2-type');
  });
});

describe('validation messages', () => {
  const Schema = z.strictObject({ title: z.string().check(z.minLength(3)), tags: z.array(z.string().check(z.minLength(2))).check(z.minLength(1)), email: z.email(), days: z.int().check(z.minimum(1), z.maximum(9)) });

  it('keeps one message per field, naming the item of a list', () => {
    const result = validate(Schema, { title: 'x', tags: ['ok', 'y'], email: 'nope', days: 12 }, ['title', 'tags', 'email', 'days']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      title: 'Enter at least 3 characters',
      tags: 'Item 2: Enter at least 2 characters',
      email: 'Enter an email address like name@example.org',
      days: 'Enter a number up to 9',
    });
  });

  it('says a missing field is required and puts unknown fields on the form', () => {
    const parsed = Schema.safeParse({ tags: [], colour: 'red' });
    const errors = errorsFromIssues(parsed.error!.issues, ['title', 'tags', 'email', 'days']);
    expect(errors.title).toBe('This is required');
    expect(errors.tags).toBe('Choose or add at least one');
    expect(errors[FORM]).toBe('Unknown field colour');
  });

  it('keeps messages the schemas spell out themselves', () => {
    expect(humanizeMessage('Explain in at least one sentence why this dataset is needed')).toBe('Explain in at least one sentence why this dataset is needed');
    expect(humanizeMessage('Invalid input: expected number, received NaN')).toBe('Enter a whole number');
  });
});

describe('API errors', () => {
  it('put the message next to the field the API names, without the field prefix', () => {
    const error = new ApiError(400, 'invalid_request', 'contact.email: Invalid email address', { field: 'contact.email' });
    expect(errorsFromApi(error, ['contact.email'])).toEqual({ 'contact.email': 'Enter an email address like name@example.org' });
  });

  it('spread details.issues and details.missing over their fields', () => {
    const error = new ApiError(400, 'invalid_request', 'The proposal is not complete: This is wrong', {
      field: 'purpose',
      missing: [
        { field: 'purpose', message: 'Invalid input: expected object, received undefined' },
        { field: 'team.0', message: 'not a user of your organisation' },
      ],
    });
    expect(errorsFromApi(error, ['purpose', 'team'])).toEqual({
      purpose: 'The proposal is not complete: This is wrong',
      team: 'Item 1: not a user of your organisation',
    });
  });

  it('show a conflict without a field, and any other failure, on the form', () => {
    expect(errorsFromApi(new ApiError(409, 'no_files', 'Version 1 has no uploaded file to publish'), [])).toEqual({ [FORM]: 'Version 1 has no uploaded file to publish' });
    expect(errorsFromApi(new Error('offline'), ['title'])).toEqual({ [FORM]: 'offline' });
    expect(errorsFromList([{ field: 'If-Match', message: 'stale' }], ['title'])).toEqual({ [FORM]: 'If-Match: stale' });
  });
});

describe('list inputs', () => {
  it('read one item per line or per comma, dropping blanks', () => {
    expect(lines(' first \n\n second\n')).toEqual(['first', 'second']);
    expect(commaList('CSV, Parquet , ,JSON')).toEqual(['CSV', 'Parquet', 'JSON']);
  });
});
