/**
 * The one error family of the domain. Services throw these; the HTTP layer maps each class to a
 * status code in one place (functions/api/http/error-handler.ts). `code` is stable and machine-readable.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed; `details.field` names the offending field. */
export class ValidationError extends DomainError {
  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super('invalid_request', message, { field, ...details });
  }
}

/** 401: no token, or a token that failed verification. */
export class UnauthorizedError extends DomainError {
  constructor(message = 'A valid bearer token is required') {
    super('unauthorized', message);
  }
}

/** 403: a known caller without the right to do this. */
export class ForbiddenError extends DomainError {
  constructor(code = 'forbidden', message = 'You are not allowed to do this', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** 404: unknown, or not visible to the caller. Never says which. */
export class NotFoundError extends DomainError {
  constructor(entity: string) {
    super('not_found', `${entity} not found`);
  }
}

/** 409: the entity's state forbids this, or a concurrent request won. */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** 422: the request is well-formed but contradicts an earlier one (an `Idempotency-Key` reused for another body). */
export class UnprocessableError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/**
 * 413: the request, or what it would make of a stored document, is over a documented size limit
 * (shared/schemas/limits.ts), or the store refused an item or transaction as too large.
 */
export class PayloadTooLargeError extends DomainError {
  constructor(message = 'The request is larger than this API accepts', details?: Record<string, unknown>) {
    super('payload_too_large', message, details);
  }
}

/** 412: the `If-Match` revision is stale. */
export class PreconditionFailedError extends DomainError {
  constructor(currentRevision: number) {
    super('stale_revision', 'The item changed since you read it; reload and try again', { currentRevision });
  }
}

/** 429: the data store throttled us; safe to retry after `retryAfterSeconds` (sent as `Retry-After`). */
export class ThrottledError extends DomainError {
  readonly retryAfterSeconds = 2;
  constructor() {
    super('throttled', 'Too many requests; retry shortly');
  }
}

/**
 * 503: the data store (DynamoDB or S3) did not answer in time, refused the connection or kept
 * failing after the client's retries. A write may still land after its caller gave up (every write
 * is one conditional item or one transaction, so it lands whole or not at all); retry after
 * `retryAfterSeconds` (sent as `Retry-After`), with the same `Idempotency-Key` where the route takes one.
 */
export class StoreUnavailableError extends DomainError {
  readonly retryAfterSeconds = 5;
  /** `cause`: the store's own error, for the log; never sent to the caller. */
  constructor(cause?: unknown) {
    super('store_unavailable', 'The data store is not answering; retry shortly');
    if (cause !== undefined) this.cause = cause;
  }
}
