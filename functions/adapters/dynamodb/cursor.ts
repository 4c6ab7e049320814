import { ValidationError } from '../../../shared/errors';

type Key = Record<string, unknown>;

/**
 * Cursors are the LastEvaluatedKey, base64url-encoded. On the way back in, the partition the
 * caller may read is checked, so a forged cursor cannot start a query in someone else's partition.
 */
export function encodeCursor(key: Key | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

export function decodeCursor(cursor: string | undefined, expected: Key): Key | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('cursor', 'cursor is not a cursor this API issued');
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    Object.values(key).every((v) => typeof v === 'string') &&
    Object.entries(expected).every(([name, value]) => (key as Key)[name] === value);
  if (!valid) throw new ValidationError('cursor', 'cursor is not a cursor this API issued');
  return key as Key;
}
