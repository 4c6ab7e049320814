import type { Clock, OrganizationRepository } from '../../../shared/ports';
import type { Caller } from '../../../shared/roles';

/** Looks up who a verified subject is, from the server's own membership records. */
export type CallerResolver = (subject: string) => Promise<Caller | null>;

/**
 * Membership lookups are cached per container for a short time: roles and organisations change
 * rarely, and every request needs them. A negative answer is never cached, so a user added a
 * moment ago is recognised at once.
 */
export function cachedCallerResolver(
  organizations: Pick<OrganizationRepository, 'membership'>,
  clock: Clock,
  ttlSeconds: number,
): CallerResolver {
  const cache = new Map<string, { caller: Caller; until: number }>();
  return async (subject) => {
    const now = clock.now().getTime();
    const hit = cache.get(subject);
    if (hit && hit.until > now) return hit.caller;
    const membership = await organizations.membership(subject);
    if (!membership) return null;
    const caller: Caller = {
      userId: membership.user.id,
      email: membership.user.email,
      name: membership.user.name,
      orgId: membership.organization.id,
      orgName: membership.organization.name,
      orgKinds: membership.organization.kinds,
      roles: membership.user.roles,
    };
    if (ttlSeconds > 0) {
      if (cache.size > 10_000) cache.clear();
      cache.set(subject, { caller, until: now + ttlSeconds * 1000 });
    }
    return caller;
  };
}
