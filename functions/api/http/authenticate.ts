import { createMiddleware } from 'hono/factory';
import { ForbiddenError, UnauthorizedError } from '../../../shared/errors';
import type { TokenVerifier } from '../../adapters/identity/token-verifier';
import type { CallerResolver } from './caller-resolver';
import type { AppEnv } from './env';

/**
 * Verifies the bearer token and resolves the caller from membership records. Nothing the client
 * sends besides the signed token decides who the caller is.
 */
export const authenticate = (verifier: TokenVerifier, resolveCaller: CallerResolver) =>
  createMiddleware<AppEnv>(async (c, next) => {
    // Mounted for overlapping paths by several contexts (all of them in one local server): the
    // caller's standing is read once per request.
    if (c.get('caller')) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!match?.[1]) throw new UnauthorizedError();
    const identity = await verifier.verify(match[1]);
    const caller = await resolveCaller(identity.sub);
    if (!caller) throw new ForbiddenError('not_a_member', 'You are signed in but not a member of any organisation');
    c.set('caller', caller);
    await next();
  });
