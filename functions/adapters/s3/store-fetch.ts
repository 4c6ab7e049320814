import { StoreUnavailableError, ThrottledError } from '../../../shared/errors';
import { STORE_TIMEOUTS, storeFault } from '../store-faults';

/** Methods S3 applies the same way twice, so a request that got no answer can be sent again. */
const SAFE = new Set(['GET', 'HEAD', 'DELETE']);

/**
 * `fetch` for the server's own S3 requests, bounded as DynamoDB's calls are (`STORE_TIMEOUTS`):
 * the response's headers must arrive within 2 s of sending (connecting included), or the request
 * is aborted; GET, HEAD and DELETE are tried twice, anything else once (a second multipart start
 * or completion is not the same request). A timeout, a refused or reset connection and a 5xx
 * become `StoreUnavailableError` (503; S3's 503 SlowDown, `ThrottledError`). Other statuses are
 * the caller's to read.
 *
 * `headersWithinMs` replaces the 2 s for a call that is on no request's path (the upload verifier's
 * server-side copy). Only the wait for the headers is bounded here: a body (an object hashed as it streams, of any
 * size) is read at the pace S3 sends it, within the calling function's own timeout.
 */
export async function storeFetch(url: string, init: RequestInit & { method: string }, headersWithinMs: number = STORE_TIMEOUTS.requestMs): Promise<Response> {
  const attempts = SAFE.has(init.method) ? STORE_TIMEOUTS.maxAttempts : 1;
  for (let attempt = 1; ; attempt++) {
    const aborter = new AbortController();
    const timer = setTimeout(() => aborter.abort(), headersWithinMs);
    let failure: ThrottledError | StoreUnavailableError;
    try {
      const response = await fetch(url, { ...init, signal: aborter.signal });
      if (response.status < 500) return response;
      const slowDown = response.status === 503 && (await response.text().catch(() => '')).includes('SlowDown');
      failure = slowDown ? new ThrottledError() : new StoreUnavailableError(new Error(`S3 answered ${response.status}`));
    } catch (error) {
      const fault = storeFault(error);
      if (!fault) throw error;
      failure = fault;
    } finally {
      clearTimeout(timer);
    }
    if (attempt >= attempts) throw failure;
  }
}
