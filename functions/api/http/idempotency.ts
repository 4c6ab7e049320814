import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { ConflictError, StoreUnavailableError, UnprocessableError, ValidationError } from '../../../shared/errors';
import type { Clock, IdempotencyStore } from '../../../shared/ports';
import type { AppEnv } from './env';

const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * Frees the key after a failed request so that it can be retried as it was, except when the
 * store did not answer: a release would wait out the same timeouts again (doubling the time to the
 * 503), and the request's own write may still land. Its pending claim lapses after
 * `PENDING_LEASE_SECONDS` instead. A release that fails never hides the request's own error.
 */
async function releaseAfter(error: unknown, release: () => Promise<void>): Promise<void> {
  if (error instanceof StoreUnavailableError) return;
  await release().catch(() => undefined);
}

/**
 * `Idempotency-Key` on creating POSTs, scoped to the calling user and the request's method and
 * path: a retry with the same key and body returns the first response and creates nothing; the
 * same key with another body is a 422. Another user of the same organisation, or the same user on
 * another route, never gets a replay of someone else's response. Only successful responses are
 * remembered, so a request that failed can be retried as it was.
 */
export const idempotent = (store: IdempotencyStore, clock: Clock) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (!KEY.test(key)) throw new ValidationError('Idempotency-Key', 'Idempotency-Key: 1 to 100 of A-Z a-z 0-9 _ . : -');
    const scope = createHash('sha256').update(`${c.get('caller').userId}\n${c.req.method} ${c.req.path}`).digest('hex');
    const body = await c.req.text();
    const fingerprint = createHash('sha256').update(body).digest('hex');
    const earlier = await store.claim(scope, key, fingerprint, clock.now());
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new UnprocessableError('idempotency_key_reused', 'This Idempotency-Key was already used by you on this route with a different body; use a new key for a new request', {
          field: 'Idempotency-Key',
        });
      }
      if (earlier.state === 'pending') {
        throw new ConflictError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed');
      }
      return c.body(earlier.body ?? '', (earlier.status ?? 200) as 200, {
        'content-type': 'application/json',
        'idempotent-replayed': 'true',
      });
    }
    try {
      await next();
    } catch (error) {
      await releaseAfter(error, () => store.release(scope, key));
      throw error;
    }
    if (c.error || c.res.status >= 300) {
      await releaseAfter(c.error, () => store.release(scope, key));
      return;
    }
    await store.complete(scope, key, { status: c.res.status, body: await c.res.clone().text() });
  });
