import { ValidationError } from '../../../shared/errors';
import { rethrowStoreError } from './client';

type Key = Record<string, string>;
type Index = 'GSI1' | 'GSI2' | 'GSI3';

/** The bounds of the sort key a query's key condition reads (inclusive), when it reads a range. */
export interface SortKeyRange {
  readonly from?: string;
  readonly to?: string;
}

// DynamoDB's limits on key values, in UTF-8 bytes.
const PARTITION_KEY_MAX_BYTES = 2048;
const SORT_KEY_MAX_BYTES = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const invalid = (why: string) => new ValidationError('cursor', `cursor is not a cursor this API issued (${why})`);

/** Cursors are the LastEvaluatedKey, base64url-encoded. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/**
 * `expected` names the partition the caller may read by its key attribute: `{ PK: … }` for the
 * table, `{ GSI1PK: … }` for GSI1, and so on. On the way back in a cursor must be exactly
 * a start key of the table or index queried: its key attributes (`PK`, `SK`, and the index's own
 * two for an index) and nothing else, each a non-empty string within DynamoDB's key sizes, in the
 * partition the caller may read and, when given, inside the sort-key range the query reads.
 * Anything else is a 400 naming `cursor`: a forged cursor cannot start a query in someone else's
 * partition, nor reach DynamoDB in a shape it refuses with a 500.
 */
export function decodeCursor(cursor: string | undefined, expected: Record<string, string>, range: SortKeyRange = {}): Key | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (!BASE64URL.test(cursor)) throw invalid('not base64url');
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not JSON');
  }
  return checkStartKey(key, expected, range);
}

/** Checks a decoded start key against the partition (and range) a query reads; see {@link decodeCursor}. */
export function checkStartKey(key: unknown, expected: Record<string, string>, range: SortKeyRange = {}): Key {
  const [partitionName, partition] = Object.entries(expected)[0] ?? [];
  const index = /^(GSI[1-3])PK$/.exec(partitionName ?? '')?.[1] as Index | undefined;
  if (!partitionName || partition === undefined || (!index && partitionName !== 'PK')) {
    throw new Error(`decodeCursor: expected names no partition key (${JSON.stringify(expected)})`);
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid('not a key');
  const sortName = index ? `${index}SK` : 'SK';
  const names = index ? ['PK', 'SK', partitionName, sortName] : ['PK', 'SK'];
  const given = Object.keys(key);
  if (given.length !== names.length || !names.every((name) => Object.hasOwn(key, name))) throw invalid('not the key of this list');
  const record = key as Record<string, unknown>;
  for (const name of names) {
    const value = record[name];
    const max = name.endsWith('PK') ? PARTITION_KEY_MAX_BYTES : SORT_KEY_MAX_BYTES;
    if (typeof value !== 'string' || value === '' || Buffer.byteLength(value) > max) throw invalid(`bad ${name}`);
  }
  if (record[partitionName] !== partition) throw invalid('another list');
  const sort = record[sortName] as string;
  if ((range.from !== undefined && sort < range.from) || (range.to !== undefined && sort > range.to)) throw invalid('outside this list');
  return record as Key;
}

/**
 * DynamoDB may still refuse a start key the checks above let through (its rules on key values
 * differ in places from ours); when the client gave the cursor, that is the client's 400, not
 * our 500. Other errors go on to {@link rethrowStoreError}.
 */
export function rethrowCursorError(cursor: string | undefined): (error: unknown) => never {
  return (error: unknown) => {
    if (cursor && isStartKeyRefusal(error)) throw invalid('refused by the store');
    return rethrowStoreError(error);
  };
}

const isStartKeyRefusal = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ValidationException' && /starting key|ExclusiveStartKey|exclusive start key/i.test(error.message);
