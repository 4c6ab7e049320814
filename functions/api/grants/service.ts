import type { AuditDraft } from '../../../shared/audit-chain';
import { ForbiddenError, NotFoundError } from '../../../shared/errors';
import { downloadLifetimeSeconds, downloadName, effectiveGrantState, requireDownloadable } from '../../../shared/grant-state';
import type {
  Clock,
  GrantRepository,
  IdGenerator,
  ObjectStore,
  StoredDataset,
  StoredGrant,
  StoredProposal,
} from '../../../shared/ports';
import { isConsortiumAdmin, type Caller } from '../../../shared/roles';
import type { Page } from '../../../shared/schemas/common';
import type { DownloadResponse, Grant, GrantFile, GrantQuery } from '../../../shared/schemas/grant';
import type { ProposalFields } from '../../../shared/schemas/proposal';
import { actorOf, auditDraft } from '../audit/events';

export interface GrantDeps {
  readonly grants: GrantRepository;
  readonly objects: ObjectStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export type GrantRole = 'grantee' | 'provider' | 'admin';

/** How the caller relates to a grant; null when it is none of their business (a 404). */
export function grantRoleOf(caller: Caller, grant: StoredGrant): GrantRole | null {
  if (grant.granteeOrgId === caller.orgId) return 'grantee';
  if (grant.providerOrgId === caller.orgId) return 'provider';
  if (isConsortiumAdmin(caller)) return 'admin';
  return null;
}

export async function visibleGrant(deps: Pick<GrantDeps, 'grants'>, caller: Caller, grantId: string) {
  const grant = await deps.grants.get(grantId);
  const role = grant ? grantRoleOf(caller, grant) : null;
  if (!grant || !role) throw new NotFoundError('Grant');
  return { grant, role };
}

export const isOnTeam = (caller: Caller, grant: StoredGrant): boolean =>
  grant.granteeOrgId === caller.orgId && (grant.team.includes(caller.email) || grant.team.includes(caller.userId));

/** The grant as the caller may see it, its state computed from the end date. Providers never see the team's names. */
export function presentGrant(grant: StoredGrant, role: GrantRole, now: Date): Grant {
  const { files: _files, consentRequired: _c, listInPublicRegister: _l, remindersSent: _r, ...rest } = grant;
  return {
    ...rest,
    team: role === 'provider' ? [] : grant.team,
    state: effectiveGrantState(grant, now),
    obligations: grant.obligations.map(({ overdueNotified: _n, ...o }) => ({
      ...o,
      overdue: o.state === 'open' && now.toISOString() > o.dueAt,
    })),
  };
}

const todayOf = (now: Date) => now.toISOString().slice(0, 10);

/**
 * The grants an approval issues: one per dataset still in the proposal (consented, or needing no
 * consent), over the dataset's currently published version, for the proposal's period and team.
 * Datasets retired before the approval are left out. Pure: the caller writes them in the
 * approving transaction.
 */
export function grantsForApproval(
  proposal: StoredProposal,
  datasetIds: string[],
  datasets: StoredDataset[],
  ids: IdGenerator,
  at: string,
): StoredGrant[] {
  const fields = proposal.fields as ProposalFields;
  const byId = new Map(datasets.map((d) => [d.id, d]));
  return datasetIds.flatMap((datasetId) => {
    const dataset = byId.get(datasetId);
    if (!dataset || dataset.state !== 'published' || dataset.publishedVersion === null) return [];
    const version = dataset.publishedVersion;
    const grant: StoredGrant = {
      id: ids.newId(),
      proposalId: proposal.id,
      proposalTitle: fields.title,
      granteeOrgId: proposal.orgId,
      granteeOrgName: proposal.orgName,
      team: [...fields.team],
      datasetId,
      datasetTitle: dataset.metadata.title,
      providerOrgId: dataset.providerOrgId,
      providerName: dataset.providerName,
      versions: [version],
      startDate: fields.startDate,
      endDate: fields.endDate,
      conditions: [...proposal.conditions],
      state: 'active',
      revision: 1,
      issuedAt: at,
      revokedAt: null,
      revokedBy: null,
      revokedReason: null,
      endedAt: null,
      closedAt: null,
      obligations: [],
      renewals: [],
      attestation: null,
      outcomeReport: null,
      files: dataset.files
        .filter((f) => f.version === version && f.status === 'uploaded')
        .map((f) => ({ id: f.id, name: f.name, version: f.version, size: f.size, sha256: f.sha256, objectKey: f.objectKey })),
      consentRequired: dataset.metadata.consentRequired,
      listInPublicRegister: fields.listInPublicRegister,
      remindersSent: [],
    };
    return [grant];
  });
}

/** The audit event of a grant's change. */
export const grantAudit = (grant: StoredGrant, draft: Pick<AuditDraft, 'at' | 'actor' | 'details'> & { action: string }): AuditDraft =>
  auditDraft({
    ...draft,
    action: `grant.${draft.action}`,
    entity: { type: 'grant', id: grant.id },
    orgId: grant.granteeOrgId,
    providerOrgIds: [grant.providerOrgId],
  });

export async function listGrants(deps: GrantDeps, caller: Caller, query: GrantQuery): Promise<Page<Grant>> {
  const now = deps.clock.now();
  const view = query.view ?? (isConsortiumAdmin(caller) ? 'all' : caller.orgKinds.includes('member') ? 'held' : 'provided');
  const listQuery = { limit: query.limit, cursor: query.cursor, state: query.state, today: todayOf(now) };
  if (view === 'all') {
    if (!isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'Every grant is for consortium admins to see');
    const page = await deps.grants.listAll(listQuery);
    return { items: page.items.map((g) => presentGrant(g, 'admin', now)), nextCursor: page.nextCursor };
  }
  if (view === 'provided') {
    const page = await deps.grants.listByProvider(caller.orgId, listQuery);
    return { items: page.items.map((g) => presentGrant(g, 'provider', now)), nextCursor: page.nextCursor };
  }
  const page = await deps.grants.listByGrantee(caller.orgId, listQuery);
  return { items: page.items.map((g) => presentGrant(g, 'grantee', now)), nextCursor: page.nextCursor };
}

export async function getGrant(deps: GrantDeps, caller: Caller, grantId: string): Promise<Grant> {
  const { grant, role } = await visibleGrant(deps, caller, grantId);
  return presentGrant(grant, role, deps.clock.now());
}

/** The files the grant covers: names, sizes and checksums, never where they are stored. */
export async function grantFiles(deps: GrantDeps, caller: Caller, grantId: string): Promise<{ items: GrantFile[] }> {
  const { grant } = await visibleGrant(deps, caller, grantId);
  return { items: grant.files.map(({ objectKey: _key, ...file }) => file) };
}

/**
 * Mints a presigned download URL for one file of the grant: only for the grantee's team, only
 * while the grant runs (checked against the end date on this read, whatever the stored state),
 * living five minutes at most and never past the grant's end. The audit event is appended first,
 * in a transaction that checks the grant is still active; if that fails, no URL exists.
 */
export async function mintDownload(deps: GrantDeps, caller: Caller, grantId: string, fileId: string): Promise<DownloadResponse> {
  const { grant, role } = await visibleGrant(deps, caller, grantId);
  if (role !== 'grantee') throw new ForbiddenError('forbidden', 'Only the grantee organisation\'s project team downloads under a grant');
  if (!isOnTeam(caller, grant)) throw new ForbiddenError('not_on_team', 'Only the project team named in the proposal may download');
  const now = deps.clock.now();
  requireDownloadable(grant, now);
  const file = grant.files.find((f) => f.id === fileId);
  if (!file) throw new NotFoundError('File');
  const lifetime = downloadLifetimeSeconds(grant.endDate, now);
  const expiresAt = new Date(now.getTime() + lifetime * 1000).toISOString();
  const fileName = downloadName(grant.datasetTitle, file.version, file.name);
  await deps.grants.recordDownload(
    grant,
    grantAudit(grant, {
      at: now.toISOString(),
      actor: actorOf(caller),
      action: 'download_minted',
      details: { fileId: file.id, fileName: file.name, version: file.version, sha256: file.sha256, expiresAt },
    }),
  );
  const url = await deps.objects.presignGet(file.objectKey, { expiresInSeconds: lifetime, downloadName: fileName });
  return { fileId: file.id, fileName, size: file.size, sha256: file.sha256, url, expiresAt };
}
