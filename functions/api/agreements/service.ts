import { agreementStatus } from '../../../shared/agreement-status';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../shared/errors';
import type { AgreementRepository, Clock, GovernanceRepository, Notifier, OrganizationRepository } from '../../../shared/ports';
import type { DomainNotice } from '../../../shared/ports';
import { isConsortiumAdmin, isOrgAdmin, type Caller } from '../../../shared/roles';
import type {
  AgreementStatus,
  AgreementVersion,
  PublishAgreementVersionRequest,
  SignAgreementRequest,
  Signature,
} from '../../../shared/schemas/agreement';
import type { Page } from '../../../shared/schemas/common';
import { sha256Hex } from '../../adapters/crypto';
import { actorOf, auditDraft } from '../audit/events';

export interface AgreementDeps {
  readonly agreements: AgreementRepository;
  readonly governance: GovernanceRepository;
  readonly clock: Clock;
  /** Every organisation, to announce a new version to their admins. */
  readonly organizations: Pick<OrganizationRepository, 'list'>;
  readonly notifier: Notifier;
}

/** Where the caller's organisation stands with the current agreement. One round trip. */
export async function standingOf(deps: { readonly agreements: Pick<AgreementRepository, 'standing'>; readonly clock: Clock }, orgId: string): Promise<AgreementStatus> {
  const { current, signedVersion } = await deps.agreements.standing(orgId);
  return agreementStatus(current, signedVersion, deps.clock.now());
}

/** Throws 403 `agreement_not_signed` unless the organisation may act under the agreement. */
export async function requireSignedAgreement(deps: Parameters<typeof standingOf>[0], orgId: string): Promise<void> {
  requireMayAct(await standingOf(deps, orgId));
}

/** The same refusal, for a standing the caller read itself (beside its other reads). */
export function requireMayAct(status: AgreementStatus): void {
  if (!status.mayAct) {
    throw new ForbiddenError(
      'agreement_not_signed',
      `Your organisation must sign version ${status.currentVersion} of the common agreement first`,
      { currentVersion: status.currentVersion, signedVersion: status.signedVersion },
    );
  }
}

export async function currentAgreement(deps: AgreementDeps): Promise<AgreementVersion> {
  const current = await deps.agreements.current();
  if (!current) throw new NotFoundError('Agreement');
  return current;
}

export async function publishAgreementVersion(
  deps: AgreementDeps,
  caller: Caller,
  request: PublishAgreementVersionRequest,
): Promise<AgreementVersion> {
  if (!isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'Only consortium admins publish agreement versions');
  const [current, governance] = await Promise.all([deps.agreements.current(), deps.governance.get()]);
  const version: AgreementVersion = {
    version: (current?.version ?? 0) + 1,
    text: request.text,
    sha256: sha256Hex(request.text),
    publishedAt: deps.clock.now().toISOString(),
    publishedBy: caller.email,
    graceDays: request.graceDays ?? governance.agreementGraceDays,
    summary: request.summary ?? null,
  };
  await deps.agreements.publish(version, [
    auditDraft({ at: version.publishedAt, actor: actorOf(caller), action: 'agreement.published', entity: { type: 'agreement', id: `v${version.version}` }, orgId: caller.orgId, providerOrgIds: [], details: { version: version.version, sha256: version.sha256, graceDays: version.graceDays } }),
  ]);
  await announceVersion(deps, version);
  return version;
}

/** Tells every organisation's admins (who sign) of a new version: what changed and by when to sign it. */
async function announceVersion(deps: AgreementDeps, version: AgreementVersion): Promise<void> {
  const orgIds: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.organizations.list({ limit: 100, cursor });
    orgIds.push(...page.items.filter((o) => !o.kinds.includes('secretariat')).map((o) => o.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const graceEndsAt = new Date(Date.parse(version.publishedAt) + version.graceDays * 86_400_000).toISOString().slice(0, 10);
  const notice: DomainNotice = {
    kind: 'agreement_published',
    at: version.publishedAt,
    title: `Version ${version.version} of the common data agreement`,
    text: `${version.summary ? `What changed: ${version.summary} ` : ''}Sign it by ${graceEndsAt}${version.graceDays ? '' : ' (no grace period)'}: after that your organisation can neither download, renew nor submit until it does.`,
    subject: { type: 'agreement', id: String(version.version) },
    audience: { orgIds, orgAdminsOnly: true },
    details: { version: version.version, graceEndsAt },
  };
  await deps.notifier.notify([notice]).catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'error', message: 'notification failed', name: (error as Error).name, kinds: [notice.kind] }));
  });
}

/** A published version, past or current, for anyone signed in: what their organisation signed stays readable. */
export async function agreementVersion(deps: AgreementDeps, version: number): Promise<AgreementVersion> {
  const found = await deps.agreements.version(version);
  if (!found) throw new NotFoundError('Agreement version');
  return found;
}

export async function agreementVersions(deps: AgreementDeps) {
  return { items: await deps.agreements.versions() };
}

export async function signAgreement(deps: AgreementDeps, caller: Caller, request: SignAgreementRequest): Promise<Signature> {
  if (!isOrgAdmin(caller)) throw new ForbiddenError('forbidden', 'Only an org-admin signs the agreement for the organisation');
  const current = await deps.agreements.current();
  if (!current || current.version !== request.version || current.sha256 !== request.sha256) {
    throw new ConflictError('agreement_changed', 'That is not the current agreement version; reload it and sign again', {
      currentVersion: current?.version ?? null,
    });
  }
  const signature: Signature = {
    orgId: caller.orgId,
    orgName: caller.orgName,
    version: current.version,
    sha256: current.sha256,
    signedAt: deps.clock.now().toISOString(),
    signedBy: caller.email,
  };
  await deps.agreements.sign(signature, [
    auditDraft({ at: signature.signedAt, actor: actorOf(caller), action: 'agreement.signed', entity: { type: 'agreement', id: `v${signature.version}` }, orgId: caller.orgId, providerOrgIds: [], details: { version: signature.version, sha256: signature.sha256 } }),
  ]);
  return signature;
}

export async function listSignatures(
  deps: AgreementDeps,
  caller: Caller,
  page: { limit: number; cursor?: string },
): Promise<Page<Signature>> {
  if (!isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'Only consortium admins see every signature');
  return deps.agreements.listSignatures(page);
}
