import { ForbiddenError, NotFoundError } from '../../../shared/errors';
import type {
  AgreementRepository,
  Clock,
  GovernanceRepository,
  IdGenerator,
  IdentityDirectory,
  OrganizationRepository,
} from '../../../shared/ports';
import { isConsortiumAdmin, isOrgAdmin, type Caller } from '../../../shared/roles';
import type { Page } from '../../../shared/schemas/common';
import type { GovernanceResponse, GovernanceSettings } from '../../../shared/schemas/governance';
import type { MeResponse } from '../../../shared/schemas/identity';
import type {
  AddMemberRequest,
  CreateOrganizationRequest,
  Organization,
  OrganizationDetail,
  User,
} from '../../../shared/schemas/organization';
import { standingOf } from '../agreements/service';
import { actorOf, auditDraft } from '../audit/events';

export interface IdentityDeps {
  readonly organizations: OrganizationRepository;
  readonly agreements: AgreementRepository;
  readonly governance: GovernanceRepository;
  readonly directory: IdentityDirectory;
  readonly clock: Clock;
  readonly ids: IdGenerator;
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

export function getGovernance(deps: IdentityDeps): Promise<GovernanceResponse> {
  return deps.governance.get();
}

export async function putGovernance(deps: IdentityDeps, caller: Caller, settings: GovernanceSettings): Promise<GovernanceResponse> {
  if (!isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'Only consortium admins set governance');
  return deps.governance.put(settings, caller.email, deps.clock.now().toISOString());
}
