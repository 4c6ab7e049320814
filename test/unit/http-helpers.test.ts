import { describe, expect, it } from 'vitest';
import * as z from '../../shared/schemas/zod';
import { ValidationError } from '../../shared/errors';
import { decodeCursor, encodeCursor } from '../../functions/adapters/dynamodb/cursor';
import { validationErrorFrom } from '../../functions/api/http/error-handler';
import { revisionFromIfMatch } from '../../functions/api/http/if-match';

describe('If-Match', () => {
  it('reads strong, weak and bare revisions', () => {
    expect(revisionFromIfMatch('"3"')).toBe(3);
    expect(revisionFromIfMatch('W/"12"')).toBe(12);
    expect(revisionFromIfMatch('7')).toBe(7);
  });

  it('is required and must be a revision', () => {
    expect(() => revisionFromIfMatch(undefined)).toThrow(ValidationError);
    expect(() => revisionFromIfMatch('"abc"')).toThrow(ValidationError);
  });
});

describe('cursors', () => {
  it('round-trip a key in the expected partition', () => {
    const key = { GSI1PK: 'CATALOG', GSI1SK: 'a#1', PK: 'DATASET#1', SK: 'DATASET' };
    expect(decodeCursor(encodeCursor(key)!, { GSI1PK: 'CATALOG' })).toEqual(key);
  });

  it('refuse a cursor for another partition or that is not ours', () => {
    const foreign = encodeCursor({ GSI2PK: 'PROVIDER#other', PK: 'x', SK: 'y' })!;
    expect(() => decodeCursor(foreign, { GSI2PK: 'PROVIDER#mine' })).toThrow(ValidationError);
    expect(() => decodeCursor('%%%', { GSI1PK: 'CATALOG' })).toThrow(ValidationError);
  });
});

describe('validation errors', () => {
  it('name the nested field, and an unknown key', () => {
    const schema = z.strictObject({ contact: z.strictObject({ email: z.email() }) });
    const nested = schema.safeParse({ contact: { email: 'nope' } });
    expect(validationErrorFrom(nested.error!, 'json').details).toMatchObject({ field: 'contact.email' });
    const unknown = schema.safeParse({ contact: { email: 'a@b.example' }, extra: 1 });
    expect(validationErrorFrom(unknown.error!, 'json').details).toMatchObject({ field: 'extra' });
  });
});
