import { DomainError, StoreUnavailableError, ThrottledError } from '../../shared/errors';

/**
 * How long the API waits for DynamoDB and S3. An API function has 10 s (infra/constructs/api-function.ts)
 * and API Gateway 30 s; without these a paused store held every request until the Lambda's own timeout.
 * A DynamoDB or S3 request on a request path takes milliseconds, so a call that has not connected
 * within 1 s, or not answered within 2 s, is not coming back in time: it is abandoned, and retried
 * once (the SDK's token bucket stops even that retry when many calls are failing).
 */
export const STORE_TIMEOUTS = {
  /** TCP (and TLS) connection established. */
  connectionMs: 1_000,
  /** One attempt, from sending the request (or waiting for a pooled socket) to the response's headers. */
  requestMs: 2_000,
  /** Attempts per call, the first included. */
  maxAttempts: 2,
} as const;

/**
 * The longest one store call can take before it fails: every attempt times out, plus the SDK's
 * backoff between attempts (at most 50 ms after a timeout, 1 s after throttling). A request fails
 * with 503 at its first such call, so this is also the bound on a 503.
 */
export const STORE_CALL_BOUND_MS = STORE_TIMEOUTS.maxAttempts * STORE_TIMEOUTS.requestMs + 1_000;

const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'SlowDown']);

const UNAVAILABLE = new Set([
  'TimeoutError',
  'AbortError',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Socket and fetch failures that mean the store could not be reached or hung up. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/**
 * What a store's failure means to a caller: throttling is a 429, a store that did not answer (a
 * timeout, a refused or reset connection, a 5xx once the SDK's retries are spent) a 503; `undefined`
 * for anything else (a failed condition, a validation error, a bug), which keeps its own meaning.
 * Duck-typed on the SDK's and Node's error shapes, so it loads nothing.
 */
export function storeFault(error: unknown): ThrottledError | StoreUnavailableError | undefined {
  if (error instanceof ThrottledError || error instanceof StoreUnavailableError) return error;
  if (!(error instanceof Error) || error instanceof DomainError) return undefined;
  const e = error as SdkLikeError;
  if (THROTTLING.has(e.name ?? '')) return new ThrottledError();
  const cause = (e.cause ?? {}) as SdkLikeError;
  if (
    UNAVAILABLE.has(e.name ?? '') ||
    NETWORK_CODES.has(e.code ?? '') ||
    NETWORK_CODES.has(cause.code ?? '') ||
    e.$fault === 'server' ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500
  ) {
    return new StoreUnavailableError(error);
  }
  return undefined;
}
