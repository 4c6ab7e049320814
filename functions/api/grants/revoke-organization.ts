import type { Caller } from '../../../shared/roles';
import { revokeRunningGrants, type GrantDeps } from './service';

/**
 * Offboarding: revokes every running grant an organisation holds, and every running grant to
 * its datasets, with the reason (revokeRunningGrants: each with its audit event, closure
 * obligations and notices; a retry revokes what is left).
 */
export function revokeGrantsOfOrganization(deps: Omit<GrantDeps, 'objects'>, caller: Caller, orgId: string, reason: string): Promise<number> {
  return revokeRunningGrants(deps, caller, [(query) => deps.grants.listByGrantee(orgId, query), (query) => deps.grants.listByProvider(orgId, query)], reason);
}
