import type { AuditDraft } from '../../../shared/audit-chain';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../shared/errors';
import { downloadLifetimeSeconds, downloadName, effectiveGrantState, endGrant, grantEndsAt, requireDownloadable } from '../../../shared/grant-state';
import type {
  AgreementRepository,
  Clock,
  DatasetRepository,
  DomainNotice,
  GovernanceRepository,
  GrantListQuery,
  GrantRepository,
  IdGenerator,
  Notifier,
  ObjectStore,
  ObligationRepository,
  PublicRegister,
  StoredDataset,
  StoredGrant,
  StoredProposal,
} from '../../../shared/ports';
import { accessStartDate, periodLimitDays, requirePeriodWithin, todayOf } from '../../../shared/period';
import { isConsortiumAdmin, type Caller } from '../../../shared/roles';
import type { Page } from '../../../shared/schemas/common';
import type { ClosureRequest, DownloadResponse, Grant, GrantFile, GrantQuery, Renewal, RenewalRequest, RenewalReviewRequest } from '../../../shared/schemas/grant';
import type { ProposalFields } from '../../../shared/schemas/proposal';
import { requireMayAct, requireSignedAgreement, standingOf } from '../agreements/service';
import { actorOf, auditDraft } from '../audit/events';

export interface GrantDeps {
  readonly grants: GrantRepository;
  /** Read for the grantee's standing: an organisation that must (re-)sign the agreement neither downloads nor renews. */
  readonly agreements: Pick<AgreementRepository, 'standing'>;
  /** Read for the dataset's own limits when a renewal is asked for. */
  readonly datasets: Pick<DatasetRepository, 'get'>;
  readonly objects: ObjectStore;
  readonly governance: GovernanceRepository;
  readonly obligations: ObligationRepository;
  readonly notifier: Notifier;
  readonly register: PublicRegister;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Tells people after the change committed; a failing notifier is logged, never undoes the change. */
export async function notifyAfterCommit(deps: { readonly notifier: Notifier }, notices: DomainNotice[]): Promise<void> {
  if (notices.length === 0) return;
  await deps.notifier.notify(notices).catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'error', message: 'notification failed', name: (error as Error).name, kinds: notices.map((n) => n.kind) }));
  });
}

/** A notice about a grant to its grantee (and, when asked, its provider and the admins). */
export const grantNotice = (
  grant: StoredGrant,
  kind: DomainNotice['kind'],
  at: string,
  title: string,
  text: string,
  audience: { provider?: boolean; grantee?: boolean; admins?: boolean } = { grantee: true },
): DomainNotice => ({
  kind,
  at,
  title,
  text,
  subject: { type: 'grant', id: grant.id },
  audience: {
    orgIds: [...(audience.grantee !== false ? [grant.granteeOrgId] : []), ...(audience.provider ? [grant.providerOrgId] : [])],
    consortiumAdmins: audience.admins ?? false,
  },
  details: { grantId: grant.id, datasetId: grant.datasetId, proposalId: grant.proposalId, endDate: grant.endDate },
});

export type GrantRole = 'grantee' | 'provider' | 'admin';

/** How the caller relates to a grant; null when it is none of their business (a 404). */
export function grantRoleOf(caller: Caller, grant: StoredGrant): GrantRole | null {
  if (grant.granteeOrgId === caller.orgId) return 'grantee';
  if (grant.providerOrgId === caller.orgId) return 'provider';
  if (isConsortiumAdmin(caller)) return 'admin';
  return null;
}

export async function visibleGrant(deps: Pick<GrantDeps, 'grants'>, caller: Caller, grantId: string) {
  return visibleTo(caller, await deps.grants.get(grantId));
}

/** The grant and the caller's role on it; a 404 for a grant the caller may not see, as for none. */
function visibleTo(caller: Caller, grant: StoredGrant | null) {
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
  now: Date,
): StoredGrant[] {
  const fields = proposal.fields as ProposalFields;
  const at = now.toISOString();
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
      startDate: accessStartDate(fields.startDate, now),
      endDate: fields.endDate,
      // The admins' conditions, then those the provider attached to its consent for this dataset.
      conditions: [...proposal.conditions, ...(proposal.consents.find((c) => c.datasetId === datasetId)?.conditions ?? [])],
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
        .filter((f) => f.version === version && f.status === 'ready')
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
  // The grant with the audit chain's head, and the caller's agreement standing, read side by side;
  // the append then needs only its transaction.
  const [{ grant: stored, auditHead }, standing] = await Promise.all([deps.grants.getWithAuditHead(grantId), standingOf(deps, caller.orgId)]);
  const { grant, role } = visibleTo(caller, stored);
  if (role !== 'grantee') throw new ForbiddenError('forbidden', 'Only the grantee organisation\'s project team downloads under a grant');
  if (!isOnTeam(caller, grant)) throw new ForbiddenError('not_on_team', 'Only the project team named in the proposal may download');
  requireMayAct(standing);
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
    auditHead,
  );
  const url = await deps.objects.presignGet(file.objectKey, { expiresInSeconds: lifetime, downloadName: fileName });
  return { fileId: file.id, fileName, size: file.size, sha256: file.sha256, url, expiresAt };
}

/**
 * Revokes a running grant at once: the consortium admins, or the dataset's provider, with a
 * reason the grantee reads. The closure obligations open now. A mint racing the revocation loses:
 * its transaction checks the grant is still active.
 */
export async function revokeGrant(deps: GrantDeps, caller: Caller, grantId: string, reason: string): Promise<Grant> {
  const { grant, role } = await visibleGrant(deps, caller, grantId);
  if (role === 'grantee') throw new ForbiddenError('forbidden', 'Only a consortium admin or the dataset\'s provider revokes a grant');
  const now = deps.clock.now();
  const state = effectiveGrantState(grant, now);
  if (state !== 'active') throw new ConflictError('invalid_transition', `A grant that is ${state} cannot be revoked`, { state });
  const governance = await deps.governance.get();
  const at = now.toISOString();
  const ended = endGrant(grant, 'revoked', now, governance.closureDeadlineDays, () => deps.ids.newId());
  const next: StoredGrant = {
    ...ended,
    revision: grant.revision + 1,
    revokedAt: at,
    revokedBy: caller.email,
    revokedReason: reason,
    renewals: grant.renewals.map((r) => (r.state === 'pending' ? { ...r, state: 'refused', decidedAt: at, decidedBy: 'system', decisionText: 'The grant was revoked' } : r)),
  };
  await deps.grants.save(next, grant, {
    // A listed project whose every grant is revoked no longer shows as running on the register.
    writes: grant.listInPublicRegister ? deps.register.revocationWrites(grant.proposalId, grant.id) : [],
    audit: [grantAudit(next, { at, actor: actorOf(caller), action: 'revoked', details: { reason, by: role } })],
  });
  await notifyAfterCommit(deps, [
    grantNotice(next, 'grant_revoked', at, `Access to ${grant.datasetTitle} was revoked`, reason, { grantee: true, provider: true, admins: true }),
  ]);
  return presentGrant(next, role, now);
}

/**
 * The grantee closes a grant that ended or was revoked: a deletion attestation and an outcome
 * report, together or one at a time. Each fulfils its obligation; with both, the grant is closed.
 * A grant past its end that the lifecycle job has not reached yet is ended in the same write.
 */
export async function closeGrant(deps: GrantDeps, caller: Caller, grantId: string, request: ClosureRequest): Promise<Grant> {
  const { grant, role } = await visibleGrant(deps, caller, grantId);
  if (role !== 'grantee') throw new ForbiddenError('forbidden', 'Only the grantee organisation closes its grant');
  const now = deps.clock.now();
  const at = now.toISOString();
  const state = effectiveGrantState(grant, now);
  if (state === 'active') {
    throw new ConflictError('grant_not_ended', `The grant runs until ${grant.endDate}; close it once it has ended`, { state });
  }
  if (state === 'closed') throw new ConflictError('invalid_transition', 'The grant is already closed', { state });
  const governance = await deps.governance.get();
  let next: StoredGrant =
    grant.state === 'active' ? endGrant(grant, 'expired', grantEndsAt(grant.endDate), governance.closureDeadlineDays, () => deps.ids.newId()) : grant;
  const fulfil = (kind: 'deletion_attestation' | 'outcome_report') => {
    const obligation = next.obligations.find((o) => o.kind === kind);
    if (obligation?.state === 'fulfilled') {
      throw new ConflictError('already_submitted', `The ${kind.replace('_', ' ')} was already submitted`, { state });
    }
    next = { ...next, obligations: next.obligations.map((o) => (o.kind === kind ? { ...o, state: 'fulfilled', fulfilledAt: at } : o)) };
  };
  const details: Record<string, unknown> = {};
  if (request.attestation) {
    fulfil('deletion_attestation');
    next = { ...next, attestation: { ...request.attestation, submittedBy: caller.email, submittedAt: at } };
    const { deletedBy, deletedAt, method, copies } = request.attestation;
    details.attestation = { deletedBy, deletedAt, method, copies: copies.length };
  }
  if (request.outcomeReport) {
    fulfil('outcome_report');
    next = { ...next, outcomeReport: { ...request.outcomeReport, submittedBy: caller.email, submittedAt: at } };
    details.outcomeReport = { outputs: request.outcomeReport.outputs.length, indicators: request.outcomeReport.indicators.length };
  }
  const closed = next.obligations.every((o) => o.state === 'fulfilled');
  next = { ...next, revision: grant.revision + 1, ...(closed ? { state: 'closed' as const, closedAt: at } : {}) };
  const audit = [grantAudit(next, { at, actor: actorOf(caller), action: closed ? 'closed' : 'closure_submitted', details })];
  if (grant.state === 'active') {
    audit.unshift(grantAudit(next, { at, actor: actorOf(caller), action: 'expired', details: { endDate: grant.endDate } }));
  }
  // A listed project shows the public summary once the grant is closed out.
  const writes = closed && next.listInPublicRegister && next.outcomeReport
    ? deps.register.outcomeWrites(grant.proposalId, grant.id, { dataset: grant.datasetTitle, summary: next.outcomeReport.publicSummary, closedAt: at })
    : [];
  await deps.grants.save(next, grant, { audit, writes });
  return presentGrant(next, role, now);
}

/**
 * The grantee asks for a later end date, with a reason. It goes back through review: the
 * consortium admins decide, and the provider consents first when its dataset requires consent.
 * Refused while the organisation has overdue closure obligations.
 */
export async function requestRenewal(deps: GrantDeps, caller: Caller, grantId: string, request: RenewalRequest): Promise<Grant> {
  const { grant, role } = await visibleGrant(deps, caller, grantId);
  if (role !== 'grantee') throw new ForbiddenError('forbidden', 'Only the grantee organisation asks to renew its grant');
  const now = deps.clock.now();
  const state = effectiveGrantState(grant, now);
  if (state !== 'active') throw new ConflictError('invalid_transition', `A grant that is ${state} cannot be renewed`, { state });
  await requireSignedAgreement(deps, caller.orgId);
  if (await deps.obligations.hasOverdue(caller.orgId, now)) {
    throw new ForbiddenError('obligations_overdue', 'Your organisation has overdue closure obligations (deletion attestation or outcome report); complete them first');
  }
  if (grant.renewals.some((r) => r.state === 'pending')) {
    throw new ConflictError('renewal_pending', 'A renewal of this grant is already awaiting review', { state });
  }
  if (request.endDate <= grant.endDate) throw new ValidationError('endDate', `The new end date must be after ${grant.endDate}`);
  // The limits a submission meets (governance's and the dataset's own), counted from the grant's start.
  const [governance, dataset] = await Promise.all([deps.governance.get(), deps.datasets.get(grant.datasetId)]);
  requirePeriodWithin('endDate', grant.startDate, request.endDate, periodLimitDays(governance.maxGrantDays, dataset ? [dataset.metadata.maxGrantDays] : []));
  const at = now.toISOString();
  const renewal: Renewal = {
    id: deps.ids.newId(),
    requestedBy: caller.email,
    requestedAt: at,
    fromEndDate: grant.endDate,
    endDate: request.endDate,
    reason: request.reason,
    state: 'pending',
    providerConsent: grant.consentRequired ? 'pending' : null,
    adminDecision: 'pending',
    decidedAt: null,
    decidedBy: null,
    decisionText: null,
  };
  const next: StoredGrant = { ...grant, revision: grant.revision + 1, renewals: [...grant.renewals, renewal] };
  await deps.grants.save(next, grant, {
    audit: [grantAudit(next, { at, actor: actorOf(caller), action: 'renewal_requested', details: { renewalId: renewal.id, fromEndDate: grant.endDate, endDate: request.endDate, reason: request.reason } })],
  });
  await notifyAfterCommit(deps, [
    grantNotice(next, 'renewal_requested', at, `Renewal asked for ${grant.datasetTitle}`, `${grant.granteeOrgName} asks to extend the grant from ${grant.endDate} to ${request.endDate}: ${request.reason}`, {
      grantee: false,
      provider: grant.consentRequired,
      admins: true,
    }),
  ]);
  return presentGrant(next, role, now);
}

/**
 * A review of a pending renewal: admins approve or refuse; the provider consents or declines
 * when its dataset requires consent. Approved once the admin approved and no consent is
 * pending: the end date moves. A refusal or a declined consent leaves the end date as it was.
 */
export async function reviewRenewal(deps: GrantDeps, caller: Caller, grantId: string, renewalId: string, review: RenewalReviewRequest): Promise<Grant> {
  const { grant, role } = await visibleGrant(deps, caller, grantId);
  const renewal = grant.renewals.find((r) => r.id === renewalId);
  if (!renewal) throw new NotFoundError('Renewal');
  if (role === 'grantee') throw new ForbiddenError('conflict_of_interest', 'Nobody reviews a renewal of their own organisation');
  if (renewal.state !== 'pending') throw new ConflictError('invalid_transition', `The renewal was already ${renewal.state}`, { state: renewal.state });
  const now = deps.clock.now();
  const at = now.toISOString();
  const state = effectiveGrantState(grant, now);
  if (state !== 'active') throw new ConflictError('invalid_transition', `A grant that is ${state} cannot be renewed`, { state });
  let updated: Renewal = renewal;
  if (review.decision === 'approve' || review.decision === 'refuse') {
    if (role !== 'admin') throw new ForbiddenError('forbidden', 'Only consortium admins decide renewals');
    updated = { ...updated, adminDecision: review.decision === 'approve' ? 'approved' : 'refused' };
  } else {
    if (role !== 'provider') throw new ForbiddenError('forbidden', 'Only the dataset\'s provider consents to a renewal');
    if (renewal.providerConsent !== 'pending') throw new ConflictError('nothing_to_answer', 'This renewal awaits no consent from you', { state: renewal.state });
    updated = { ...updated, providerConsent: review.decision === 'consent' ? 'consented' : 'declined' };
  }
  const refused = updated.adminDecision === 'refused' || updated.providerConsent === 'declined';
  const approved = !refused && updated.adminDecision === 'approved' && updated.providerConsent !== 'pending';
  if (refused || approved) {
    updated = { ...updated, state: refused ? 'refused' : 'approved', decidedAt: at, decidedBy: caller.email, decisionText: review.text ?? null };
  }
  const next: StoredGrant = {
    ...grant,
    revision: grant.revision + 1,
    renewals: grant.renewals.map((r) => (r.id === renewalId ? updated : r)),
    // Approval moves the end date; the reminders start over for the new one.
    ...(approved ? { endDate: renewal.endDate, remindersSent: [] } : {}),
  };
  await deps.grants.save(next, grant, {
    writes: approved && grant.listInPublicRegister ? deps.register.renewalWrites(grant.proposalId, renewal.endDate) : [],
    audit: [
      grantAudit(next, {
        at,
        actor: actorOf(caller),
        action: approved ? 'renewed' : refused ? 'renewal_refused' : `renewal_${review.decision === 'consent' ? 'consented' : 'approved_by_admin'}`,
        details: { renewalId, decision: review.decision, text: review.text ?? null, ...(approved ? { fromEndDate: grant.endDate, endDate: renewal.endDate } : {}) },
      }),
    ],
  });
  if (approved || refused) {
    await notifyAfterCommit(deps, [
      grantNotice(next, 'renewal_decided', at, `Renewal of ${grant.datasetTitle} ${approved ? 'approved' : 'refused'}`,
        approved ? `The grant now ends on ${renewal.endDate}.` : `The grant still ends on ${grant.endDate}. ${review.text ?? ''}`.trim(), { grantee: true, provider: true }),
    ]);
  }
  return presentGrant(next, role, now);
}

/** One of the lists a bulk revocation walks: running grants, a page at a time. */
export type GrantLister = (query: GrantListQuery) => Promise<Page<StoredGrant>>;

/**
 * Revokes every running grant the lists yield, each in its own transaction with its audit event,
 * its closure obligations opened and its holders told (revokeGrant does each). Retrying is safe: a
 * second run finds only what is still running. A grant someone else changed meanwhile is read
 * again and revoked on a second pass.
 */
export async function revokeRunningGrants(deps: Omit<GrantDeps, 'objects'>, caller: Caller, lists: readonly GrantLister[], reason: string): Promise<number> {
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

/** Revokes every running grant to a dataset (when it is retired): its provider's grants, that dataset's only. */
export function revokeGrantsOfDataset(deps: Omit<GrantDeps, 'objects'>, caller: Caller, datasetId: string, providerOrgId: string, reason: string): Promise<number> {
  const ofDataset: GrantLister = async (query) => {
    const page = await deps.grants.listByProvider(providerOrgId, query);
    return { ...page, items: page.items.filter((g) => g.datasetId === datasetId) };
  };
  return revokeRunningGrants(deps, caller, [ofDataset], reason);
}
