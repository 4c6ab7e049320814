import { ConflictError, ForbiddenError, NotFoundError } from '../../../shared/errors';
import type {
  AgreementRepository,
  Clock,
  DomainNotice,
  GovernanceRepository,
  IdGenerator,
  IdentityDirectory,
  Notifier,
  OrganizationRepository,
} from '../../../shared/ports';
import { isConsortiumAdmin, isOrgAdmin, type Caller, type Role } from '../../../shared/roles';
import type { Page } from '../../../shared/schemas/common';
import type { GovernanceResponse, GovernanceSettings } from '../../../shared/schemas/governance';
import type { MeResponse } from '../../../shared/schemas/identity';
import type {
  AddMemberRequest,
  CreateOrganizationRequest,
  OffboardingResponse,
  Organization,
  OrganizationDetail,
  SetRolesRequest,
  SuspendRequest,
  User,
} from '../../../shared/schemas/organization';
import { standingOf } from '../agreements/service';
import { actorOf, auditDraft } from '../audit/events';
import { revokeGrantsOfOrganization } from '../grants/revoke-organization';
import { removeFromGrantTeams } from '../grants/team';
import { notifyAfterCommit, type GrantDeps } from '../grants/service';

export interface IdentityDeps {
  readonly organizations: OrganizationRepository;
  readonly agreements: AgreementRepository;
  readonly governance: GovernanceRepository;
  readonly directory: IdentityDirectory;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Security notices: an organisation's members are told of its suspension and reinstatement (always emailed). */
  readonly notifier: Notifier;
}

export async function me(deps: IdentityDeps, caller: Caller): Promise<MeResponse> {
  return {
    user: { id: caller.userId, email: caller.email, name: caller.name },
    organization: { id: caller.orgId, name: caller.orgName, kinds: [...caller.orgKinds] },
    roles: [...caller.roles],
    agreement: await standingOf(deps, caller.orgId),
  };
}

/** Consortium admins admit an organisation together with its first org-admin. */
export async function admitOrganization(
  deps: IdentityDeps,
  caller: Caller,
  request: CreateOrganizationRequest,
): Promise<OrganizationDetail> {
  if (!isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'Only consortium admins admit organisations');
  const now = deps.clock.now().toISOString();
  const organization: Organization = {
    id: deps.ids.newId(),
    name: request.name,
    kinds: [...new Set(request.kinds)],
    createdAt: now,
    latestSignature: null,
  };
  const userId = await deps.directory.ensureUser(request.firstAdmin.email, request.firstAdmin.name);
  const admin: User = {
    id: userId,
    email: request.firstAdmin.email,
    name: request.firstAdmin.name,
    orgId: organization.id,
    roles: ['org-admin'],
    createdAt: now,
  };
  await deps.organizations.create(organization, admin, [
    auditDraft({ at: now, actor: actorOf(caller), action: 'organization.admitted', entity: { type: 'organization', id: organization.id }, orgId: organization.id, providerOrgIds: [], details: { name: organization.name, kinds: organization.kinds, firstAdmin: admin.email } }),
  ]);
  return { ...organization, members: [admin] };
}

/** Admins list every organisation; anyone else sees only their own. */
export async function listOrganizations(
  deps: IdentityDeps,
  caller: Caller,
  page: { limit: number; cursor?: string },
): Promise<Page<Organization>> {
  if (isConsortiumAdmin(caller)) return deps.organizations.list(page);
  const own = await deps.organizations.get(caller.orgId);
  return { items: own ? [own] : [], nextCursor: null };
}

export async function getOrganization(deps: IdentityDeps, caller: Caller, orgId: string): Promise<OrganizationDetail> {
  if (orgId !== caller.orgId && !isConsortiumAdmin(caller)) throw new NotFoundError('Organisation');
  const { organization, members } = await deps.organizations.withMembers(orgId);
  if (!organization) throw new NotFoundError('Organisation');
  return { ...organization, members };
}

/** Org-admins add users to their own organisation; `consortium-admin` exists only in the secretariat. */
export async function addMember(deps: IdentityDeps, caller: Caller, orgId: string, request: AddMemberRequest): Promise<User> {
  if (orgId !== caller.orgId) throw new NotFoundError('Organisation');
  if (!isOrgAdmin(caller)) throw new ForbiddenError('forbidden', 'Only an org-admin adds members');
  if (request.roles.includes('consortium-admin') && !caller.orgKinds.includes('secretariat')) {
    throw new ForbiddenError('forbidden', 'consortium-admin is a role of the secretariat only', { field: 'roles' });
  }
  const userId = await deps.directory.ensureUser(request.email, request.name);
  const user: User = {
    id: userId,
    email: request.email,
    name: request.name,
    orgId,
    roles: [...new Set(request.roles)],
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.organizations.addUser(user, { id: caller.orgId, name: caller.orgName, kinds: [...caller.orgKinds] });
  return user;
}

/**
 * The organisation and the member a change is about, for an org-admin of that organisation or
 * a consortium admin; anyone else from another organisation learns nothing (404).
 */
async function memberInScope(deps: IdentityDeps, caller: Caller, orgId: string, userId: string) {
  if (orgId !== caller.orgId && !isConsortiumAdmin(caller)) throw new NotFoundError('Organisation');
  if (!isOrgAdmin(caller) && !isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'Only an org-admin or a consortium admin changes members');
  const { organization, members } = await deps.organizations.withMembers(orgId);
  if (!organization) throw new NotFoundError('Organisation');
  const member = members.find((m) => m.id === userId);
  if (!member) throw new NotFoundError('Member');
  return { organization, members, member };
}

/**
 * For each admin role `member` loses (org-admin; consortium-admin, so the consortium keeps one),
 * another member who holds it; the write is conditional on them still holding it, so two admins
 * demoting each other at once cannot both succeed.
 */
function keptFor(members: readonly User[], member: User, remaining: readonly Role[]): { email: string; role: Role }[] {
  const lost = (['org-admin', 'consortium-admin'] as const).filter((role) => member.roles.includes(role) && !remaining.includes(role));
  return lost.map((role) => {
    const other = members.find((m) => m.id !== member.id && m.roles.includes(role));
    if (!other) {
      throw new ConflictError(`last_${role.replace('-', '_')}`, `${member.email} is the last ${role} of the organisation; give another member that role first`);
    }
    return { email: other.email, role };
  });
}

/**
 * Removes a member; deployed, their Cognito sessions end and their user is disabled. They are
 * also taken off every running grant team of the organisation, so that adding the same email
 * again later does not silently give back download rights.
 */
export async function removeMember(deps: IdentityDeps & Omit<GrantDeps, 'objects'>, caller: Caller, orgId: string, userId: string): Promise<OrganizationDetail> {
  const { organization, members, member } = await memberInScope(deps, caller, orgId, userId);
  const kept = keptFor(members, member, []);
  const at = deps.clock.now().toISOString();
  await deps.organizations.removeUser({
    user: member,
    kept,
    audit: [auditDraft({ at, actor: actorOf(caller), action: 'organization.member_removed', entity: { type: 'organization', id: orgId }, orgId, providerOrgIds: [], details: { userId: member.id, email: member.email, roles: member.roles } })],
  });
  // After the commit: the standing check already refuses them; this ends their refresh tokens too.
  await endSessions(deps, [member]);
  await removeFromGrantTeams(deps, caller, member);
  return { ...organization, members: members.filter((m) => m.id !== member.id) };
}

/**
 * Replaces a member's roles. `consortium-admin` is given only by a consortium admin and only in
 * the secretariat; nobody gives themselves a role they do not hold; the last org-admin (and the
 * consortium's last consortium admin) stays one.
 */
export async function setMemberRoles(deps: IdentityDeps, caller: Caller, orgId: string, userId: string, request: SetRolesRequest): Promise<User> {
  const { organization, members, member } = await memberInScope(deps, caller, orgId, userId);
  const roles: Role[] = [...new Set(request.roles)];
  // 'member' is no privilege: an org-admin may step down to it.
  if (member.id === caller.userId && roles.some((r) => r !== 'member' && !caller.roles.includes(r))) {
    throw new ForbiddenError('self_escalation', 'You cannot give yourself a role you do not hold', { field: 'roles' });
  }
  if (roles.includes('consortium-admin') && !member.roles.includes('consortium-admin')) {
    if (!organization.kinds.includes('secretariat')) {
      throw new ForbiddenError('forbidden', 'consortium-admin is a role of the secretariat only', { field: 'roles' });
    }
    if (!isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'Only a consortium admin makes another', { field: 'roles' });
  }
  const kept = keptFor(members, member, roles);
  const at = deps.clock.now().toISOString();
  await deps.organizations.setRoles({
    user: member,
    roles,
    kept,
    audit: [auditDraft({ at, actor: actorOf(caller), action: 'organization.member_roles_changed', entity: { type: 'organization', id: orgId }, orgId, providerOrgIds: [], details: { userId: member.id, email: member.email, from: member.roles, to: roles } })],
  });
  return { ...member, roles };
}

/** A security notice to every member of an organisation (and the admins), about the organisation itself. */
const organizationNotice = (orgId: string, kind: 'organization_suspended' | 'organization_reinstated', at: string, title: string, text: string): DomainNotice => ({
  kind,
  at,
  title,
  text,
  subject: { type: 'organization', id: orgId },
  audience: { orgIds: [orgId], consortiumAdmins: true },
  details: { orgId },
});

/** Consortium admins suspend an organisation: its users are refused on every route until reinstated. */
export async function suspendOrganization(deps: IdentityDeps, caller: Caller, orgId: string, request: SuspendRequest): Promise<Organization> {
  const organization = await suspensionTarget(deps, caller, orgId);
  if (organization.suspension) throw new ConflictError('already_suspended', `${organization.name} is already suspended`);
  const at = deps.clock.now().toISOString();
  const suspension = { reason: request.reason, at, by: caller.email };
  await deps.organizations.setSuspension(orgId, suspension, [
    auditDraft({ at, actor: actorOf(caller), action: 'organization.suspended', entity: { type: 'organization', id: orgId }, orgId, providerOrgIds: [], details: { reason: request.reason } }),
  ]);
  await endSessions(deps, await deps.organizations.listMembers(orgId));
  await notifyAfterCommit(deps, [organizationNotice(orgId, 'organization_suspended', at, `${organization.name} is suspended`, `The consortium suspended ${organization.name}: ${request.reason} Until it is reinstated, nobody of it can sign in, submit, consent, upload or download.`)]);
  return { ...organization, suspension };
}

/** Consortium admins lift a suspension. */
export async function reinstateOrganization(deps: IdentityDeps, caller: Caller, orgId: string): Promise<Organization> {
  const organization = await suspensionTarget(deps, caller, orgId);
  if (!organization.suspension) throw new ConflictError('not_suspended', `${organization.name} is not suspended`);
  const at = deps.clock.now().toISOString();
  await deps.organizations.setSuspension(orgId, null, [
    auditDraft({ at, actor: actorOf(caller), action: 'organization.reinstated', entity: { type: 'organization', id: orgId }, orgId, providerOrgIds: [], details: { suspendedAt: organization.suspension.at, reason: organization.suspension.reason } }),
  ]);
  // Deployed, Cognito enables them again; a failure here is an error the admin sees (they could not sign in).
  for (const member of await deps.organizations.listMembers(orgId)) await deps.directory.restoreAccess(member);
  await notifyAfterCommit(deps, [organizationNotice(orgId, 'organization_reinstated', at, `${organization.name} is reinstated`, `The consortium lifted the suspension of ${organization.name}; its members can sign in and work again.`)]);
  return { ...organization, suspension: null };
}

/**
 * After a removal, suspension or offboarding committed: deployed, Cognito signs each person out
 * and disables them. Defence in depth only, since every request's standing check already refuses
 * them: a directory that fails here is logged (for an operator to repeat) and does not turn the
 * committed change into an error.
 */
async function endSessions(deps: IdentityDeps, members: readonly User[]): Promise<void> {
  for (const member of members) {
    await deps.directory.revokeAccess(member).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', message: 'directory sign-out failed; the standing check still refuses this user', userId: member.id, name: (error as Error).name }));
    });
  }
}

/**
 * Consortium admins offboard an organisation: it is suspended (if it was not already), then
 * every running grant it holds or provides is revoked with the reason, which opens the
 * grantees' closure obligations. A retry after a failure part-way revokes what is left.
 */
export async function offboardOrganization(
  deps: IdentityDeps & Omit<GrantDeps, 'objects'>,
  caller: Caller,
  orgId: string,
  request: SuspendRequest,
): Promise<OffboardingResponse> {
  const organization = await suspensionTarget(deps, caller, orgId);
  const at = deps.clock.now().toISOString();
  const suspension = organization.suspension?.offboardedAt
    ? organization.suspension
    : { ...(organization.suspension ?? { reason: request.reason, at, by: caller.email }), offboardedAt: at };
  if (suspension !== organization.suspension) {
    await deps.organizations.setSuspension(orgId, suspension, [
      auditDraft({ at, actor: actorOf(caller), action: 'organization.offboarded', entity: { type: 'organization', id: orgId }, orgId, providerOrgIds: [], details: { reason: request.reason } }),
    ]);
    await endSessions(deps, await deps.organizations.listMembers(orgId));
  }
  const revokedGrants = await revokeGrantsOfOrganization(deps, caller, orgId, `${organization.name} left the consortium: ${request.reason}`);
  return { organization: { ...organization, suspension }, revokedGrants };
}

async function suspensionTarget(deps: IdentityDeps, caller: Caller, orgId: string): Promise<Organization> {
  if (!isConsortiumAdmin(caller)) {
    if (orgId !== caller.orgId) throw new NotFoundError('Organisation');
    throw new ForbiddenError('forbidden', 'Only consortium admins suspend organisations');
  }
  const organization = await deps.organizations.get(orgId);
  if (!organization) throw new NotFoundError('Organisation');
  if (organization.kinds.includes('secretariat')) throw new ConflictError('secretariat_not_suspendable', 'The secretariat cannot be suspended');
  return organization;
}

export function getGovernance(deps: IdentityDeps): Promise<GovernanceResponse> {
  return deps.governance.get();
}

export async function putGovernance(deps: IdentityDeps, caller: Caller, settings: GovernanceSettings): Promise<GovernanceResponse> {
  if (!isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'Only consortium admins set governance');
  return deps.governance.put(settings, caller.email, deps.clock.now().toISOString());
}
