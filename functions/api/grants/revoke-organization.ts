import { ConflictError } from '../../../shared/errors';
import { todayOf } from '../../../shared/period';
import type { GrantListQuery, StoredGrant } from '../../../shared/ports';
import type { Caller } from '../../../shared/roles';
import type { Page } from '../../../shared/schemas/common';
import { revokeGrant, type GrantDeps } from './service';

/**
 * Offboarding: revokes every running grant an organisation holds, and every running grant to
 * its datasets, each with the reason and its audit event, its closure obligations opened and its
 * people told (revokeGrant does each). Retrying is safe: a second run finds only what is still
 * running. A grant someone else changed meanwhile is read again and revoked on a second pass.
 */
export async function revokeGrantsOfOrganization(deps: Omit<GrantDeps, 'objects'>, caller: Caller, orgId: string, reason: string): Promise<number> {
  const lists: ((query: GrantListQuery) => Promise<Page<StoredGrant>>)[] = [
    (query) => deps.grants.listByGrantee(orgId, query),
    (query) => deps.grants.listByProvider(orgId, query),
  ];
  let revoked = 0;
  for (let pass = 0; pass < 2; pass++) {
    let conflicts = 0;
    for (const list of lists) {
      let cursor: string | undefined;
      do {
        const page = await list({ limit: 100, cursor, state: 'active', today: todayOf(deps.clock.now()) });
        for (const grant of page.items) {
          try {
            await revokeGrant(deps as GrantDeps, caller, grant.id, reason.slice(0, 512));
            revoked++;
          } catch (error) {
            if (!(error instanceof ConflictError)) throw error;
            conflicts++;
          }
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    if (conflicts === 0) break;
  }
  return revoked;
}
