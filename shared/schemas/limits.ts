import { ValidationError } from '../errors';
import * as z from './zod';

/**
 * How much a client may send, in UTF-8 bytes. DynamoDB refuses an item over 400 KB and a
 * transaction over 4 MB; a field's `maxLength` counts UTF-16 units, so a string of n units can take
 * 3n bytes, and the lengths alone do not keep an item under 400 KB. These totals do: each caps the
 * JSON of a whole document, and every item a request writes holds at most one copy of it plus a few
 * kilobytes of its own. README ("Security and resilience") lists them.
 */
export const LIMITS = {
  /** Any request body, as sent (the API answers 413 `payload_too_large` above it). */
  bodyBytes: 256 * 1024,
  /** A dataset's metadata (create, and the result of an edit): stored on the dataset item beside its files. */
  metadataBytes: 64 * 1024,
  /** A proposal's fields (a draft, an edit, and their result): the proposal and each provider's copy hold them. */
  proposalBytes: 48 * 1024,
  /** One review (text and conditions): copied onto the proposal, its copies, its grants and the audit trail. */
  reviewBytes: 16 * 1024,
  /** A deletion attestation, and an outcome report, each: both are kept on the grant. */
  closureDocumentBytes: 32 * 1024,
  /** An agreement version's text, kept whole on its item. */
  agreementTextBytes: 200 * 1024,
} as const;

/** UTF-8 length of a string, without encoding it. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** UTF-8 length of a value's JSON. */
export const jsonBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value) ?? '');

/** A check that a document's JSON is at most `max` bytes; `what` names it in the message. */
export const maxJsonBytes = (max: number, what: string) =>
  z.refine<unknown>((value) => jsonBytes(value) <= max, { message: `${what} may take at most ${max} bytes as JSON (UTF-8)` });

/** A check that a string is at most `max` bytes in UTF-8. */
export const maxUtf8Bytes = (max: number) =>
  z.refine<string>((value) => utf8Bytes(value) <= max, { message: `at most ${max} bytes (UTF-8)` });

/**
 * For an edit (PATCH), whose body passed its schema's limit but whose result, the stored document
 * merged with the changes, may not: a 400 naming `field` when that result is over `max`.
 */
export function requireWithinLimit(document: unknown, max: number, field: string): void {
  const bytes = jsonBytes(document);
  if (bytes > max) {
    throw new ValidationError(field, `With this change, ${field} would take ${bytes} bytes as JSON (UTF-8); at most ${max}`, { limitBytes: max, bytes });
  }
}
