import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/errors';
import { effectiveGrantState } from '../../../shared/grant-state';
import type { OrganizationRepository, StoredGrant } from '../../../shared/ports';
import { todayOf } from '../../../shared/period';
import type { User } from '../../../shared/schemas/organization';
import { isOrgAdmin, type Caller } from '../../../shared/roles';
import type { Grant, SetTeamRequest } from '../../../shared/schemas/grant';
import { actorOf } from '../audit/events';
import { grantAudit, grantNotice, notifyAfterCommit, presentGrant, visibleGrant, type GrantDeps } from './service';

export interface TeamDeps extends Pick<GrantDeps, 'grants' | 'notifier' | 'clock'> {
  readonly organizations: Pick<OrganizationRepository, 'listMembers'>;
}

/**
 * The grantee organisation's org-admin replaces a running grant's project team with members of
 * that organisation (400 naming anyone else). Whoever leaves the team can no longer mint
 * downloads at once (mintDownload checks the team on every mint). The grantee's users are told
 * who joined and left; the provider and the audit trail learn that the team changed and its
 * size, never the names.
 */
export async function setGrantTeam(deps: TeamDeps, caller: Caller, grantId: string, request: SetTeamRequest): Promise<Grant> {
  const { grant, role } = await visibleGrant(deps, caller, grantId);
  if (role !== 'grantee' || !isOrgAdmin(caller)) {
    throw new ForbiddenError('forbidden', 'Only an org-admin of the grantee organisation manages a grant\'s team');
  }
  const now = deps.clock.now();
  const state = effectiveGrantState(grant, now);
  if (state !== 'active') throw new ConflictError('invalid_transition', `The team of a grant that is ${state} cannot change`, { state });

  const members = await deps.organizations.listMembers(grant.granteeOrgId);
  const memberOf = (entry: string) => members.find((m) => m.id === entry || m.email.toLowerCase() === entry.toLowerCase());
  const outsiders = request.team.filter((entry) => !memberOf(entry));
  if (outsiders.length > 0) {
    throw new ValidationError('team', `Not members of ${caller.orgName}: ${outsiders.join(', ')}`, { outsiders });
  }
  const team = [...new Set(request.team.map((entry) => memberOf(entry)!.email))];
  const wasOnTeam = (email: string) => {
    const member = members.find((m) => m.email === email);
    return grant.team.some((entry) => entry.toLowerCase() === email.toLowerCase() || entry === member?.id);
  };
  const added = team.filter((email) => !wasOnTeam(email));
  const kept = new Set(team);
  const removed = grant.team.filter((entry) => {
    const member = memberOf(entry);
    return !member || !kept.has(member.email);
  });
  if (added.length === 0 && removed.length === 0) return presentGrant(grant, role, now);

  const at = now.toISOString();
  const next: StoredGrant = { ...grant, team, revision: grant.revision + 1 };
  await deps.grants.save(next, grant, {
    // Counts only: the provider reads this grant's audit events, and providers never see team names.
    audit: [grantAudit(next, { at, actor: actorOf(caller), action: 'team_changed', details: { added: added.length, removed: removed.length, size: team.length } })],
  });
  await notifyAfterCommit(deps, [
    grantNotice(next, 'grant_team_changed', at, `The team of ${grant.datasetTitle} changed`,
      [added.length ? `Joined: ${added.join(', ')}.` : '', removed.length ? `Left: ${removed.join(', ')}; they can no longer download under this grant.` : ''].filter(Boolean).join(' ')),
    grantNotice(next, 'grant_team_changed', at, `The team of ${grant.datasetTitle} changed`,
      `${caller.orgName} changed the project team of this grant: ${added.length} joined, ${removed.length} left; it now has ${team.length}.`, { grantee: false, provider: true }),
  ]);
  return presentGrant(next, role, now);
}

/**
 * A member removed from the organisation leaves every running grant team of it, each grant in
 * its own write with its audit event (counts only). Their standing check already refuses them;
 * this keeps the teams true. A grant changed meanwhile is skipped (the person still cannot mint:
 * they are no longer a member) and named in the log.
 */
export async function removeFromGrantTeams(deps: Pick<GrantDeps, 'grants' | 'clock'>, caller: Caller, member: Pick<User, 'id' | 'email' | 'orgId'>): Promise<number> {
  const isMember = (entry: string) => entry === member.id || entry.toLowerCase() === member.email.toLowerCase();
  let changed = 0;
  let cursor: string | undefined;
  do {
    const now = deps.clock.now();
    const page = await deps.grants.listByGrantee(member.orgId, { limit: 100, cursor, state: 'active', today: todayOf(now) });
    for (const grant of page.items.filter((g) => g.team.some(isMember))) {
      const team = grant.team.filter((entry) => !isMember(entry));
      const next: StoredGrant = { ...grant, team, revision: grant.revision + 1 };
      try {
        await deps.grants.save(next, grant, {
          audit: [grantAudit(next, { at: now.toISOString(), actor: actorOf(caller), action: 'team_changed', details: { added: 0, removed: 1, size: team.length, reason: 'member_removed' } })],
        });
        changed++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        console.warn(JSON.stringify({ level: 'warn', message: 'team not updated after a member removal', grantId: grant.id }));
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return changed;
}
