import { ForbiddenError } from '../../../shared/errors';
import type { OrganizationRepository } from '../../../shared/ports';
import type { Caller } from '../../../shared/roles';

/** Looks up who a verified subject is, from the server's own membership records. */
export type CallerResolver = (subject: string) => Promise<Caller | null>;

/**
 * Every request reads the caller's standing from the table, strongly consistently: a member
 * removed, demoted or suspended is refused on their very next request, in every function.
 * Invalidating a per-container cache on change could not do that, since the change is made in
 * the identity function and each other function's containers keep their own cache. What is
 * cached is only the subject's organisation id, so that the user and the organisation's
 * suspension come in one BatchGetItem; a stale id (the user moved) costs one more read.
 */
export function standingCallerResolver(organizations: Pick<OrganizationRepository, 'standing'>): CallerResolver {
  const orgOf = new Map<string, string>();
  return async (subject) => {
    const membership = await organizations.standing(subject, orgOf.get(subject));
    if (!membership) {
      orgOf.delete(subject);
      return null;
    }
    if (orgOf.size > 10_000) orgOf.clear();
    orgOf.set(subject, membership.organization.id);
    if (membership.organization.suspension) {
      throw new ForbiddenError('organization_suspended', `${membership.organization.name} is suspended by the consortium: ${membership.organization.suspension.reason}`);
    }
    return {
      userId: membership.user.id,
      email: membership.user.email,
      name: membership.user.name,
      orgId: membership.organization.id,
      orgName: membership.organization.name,
      orgKinds: membership.organization.kinds,
      roles: membership.user.roles,
    };
  };
}
