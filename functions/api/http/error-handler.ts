import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { core } from 'zod/mini';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  StoreUnavailableError,
  ThrottledError,
  UnauthorizedError,
  UnprocessableError,
  ValidationError,
} from '../../../shared/errors';
import type { ErrorResponse } from '../../../shared/schemas/common';
import { storeFault } from '../../adapters/store-faults';
import type { AppEnv } from './env';

/** The one place a domain error becomes an HTTP status. */
const STATUS: [new (...args: never[]) => DomainError, ContentfulStatusCode][] = [
  [ValidationError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PreconditionFailedError, 412],
  [PayloadTooLargeError, 413],
  [UnprocessableError, 422],
  [ThrottledError, 429],
  [StoreUnavailableError, 503],
];

export const statusOf = (error: DomainError): ContentfulStatusCode =>
  STATUS.find(([type]) => error instanceof type)?.[1] ?? 400;

export const errorBody = (code: string, message: string, details?: Record<string, unknown>): ErrorResponse => ({
  error: { code, message, ...(details ? { details } : {}) },
});

/**
 * Turns a zod failure into a 400 naming the first offending field. Unknown keys (strict bodies)
 * are named too: `{ field: "colour" }`.
 */
export function validationErrorFrom(error: core.$ZodError, target: string): ValidationError {
  const issue = error.issues[0];
  if (!issue) return new ValidationError(target, 'Invalid request');
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].join('.');
    return new ValidationError(field, `Unknown field: ${field}`, { location: target });
  }
  const field = path.length ? path.join('.') : target;
  return new ValidationError(field, `${field}: ${issue.message}`, {
    location: target,
    issues: error.issues.slice(0, 10).map((i) => ({ field: i.path.join('.'), message: i.message })),
  });
}

/**
 * DynamoDB's refusal of an item over 400 KB or a transaction over 4 MB. The schemas' size limits
 * (shared/schemas/limits.ts) keep every request's items well under both; should a document grow
 * past them some other way, the client hears 413 rather than 500.
 */
function tooLargeForStore(error: Error): PayloadTooLargeError | undefined {
  if (error.name !== 'ValidationException') return undefined;
  return /Item size (to update )?has exceeded|Transaction payload size|Item size exceeded/i.test(error.message)
    ? new PayloadTooLargeError('What this request would store is larger than the data store accepts')
    : undefined;
}

/**
 * `app.onError`: domain errors keep their code; a store's raw timeout, network error or 5xx that
 * reached here without its adapter mapping it is still a 503 (throttling a 429); anything
 * unexpected is logged and hidden behind a request id.
 */
export function handleError(thrown: Error, c: Context<AppEnv>): Response {
  const error = tooLargeForStore(thrown) ?? thrown;
  const domain = error instanceof DomainError ? error : storeFault(error);
  if (domain) {
    // 429 and 503 say when to come back.
    const retryAfter = (domain as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
    if (domain instanceof StoreUnavailableError) {
      const cause = (domain.cause ?? error) as Error;
      console.warn(JSON.stringify({ level: 'warn', requestId: c.get('requestId'), code: domain.code, name: cause.name, message: cause.message }));
    }
    return c.json(errorBody(domain.code, domain.message, domain.details), statusOf(domain));
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's own 400s: malformed JSON, wrong Content-Type.
    return c.json(errorBody('invalid_request', error.message || 'Invalid request', { field: 'body' }), error.status);
  }
  const requestId = c.get('requestId');
  console.error(JSON.stringify({ level: 'error', requestId, name: error.name, message: error.message, stack: error.stack }));
  return c.json(errorBody('internal_error', 'Something went wrong on our side', { requestId }), 500);
}
