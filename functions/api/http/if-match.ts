import { ValidationError } from '../../../shared/errors';

/** The revision an `If-Match` header names: `"3"`, `W/"3"` or `3`. Required on edits. */
export function revisionFromIfMatch(header: string | undefined): number {
  const match = header ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw new ValidationError('If-Match', 'If-Match must carry the revision you read (the ETag of the GET)');
  }
  return Number(match[1]);
}

export const etag = (revision: number): string => `"${revision}"`;
