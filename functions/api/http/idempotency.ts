import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { ConflictError, ValidationError } from '../../../shared/errors';
import type { Clock, IdempotencyStore } from '../../../shared/ports';
import type { AppEnv } from './env';

const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * `Idempotency-Key` on creating POSTs, keyed per organisation: a retry with the same key and
 * body returns the first response and creates nothing; the same key with another body is a 409.
 * Only successful responses are remembered, so a request that failed can be retried as it was.
 */
export const idempotent = (store: IdempotencyStore, clock: Clock) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (!KEY.test(key)) throw new ValidationError('Idempotency-Key', 'Idempotency-Key: 1 to 100 of A-Z a-z 0-9 _ . : -');
    const orgId = c.get('caller').orgId;
    const body = await c.req.text();
    const fingerprint = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
    const earlier = await store.claim(orgId, key, fingerprint, clock.now());
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
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
      await store.release(orgId, key);
      throw error;
    }
    if (c.error || c.res.status >= 300) {
      await store.release(orgId, key);
      return;
    }
    await store.complete(orgId, key, { status: c.res.status, body: await c.res.clone().text() });
  });
