import type { AuditActor, AuditDraft } from '../../../shared/audit-chain';
import type { Caller } from '../../../shared/roles';

/** The actor of an audit event: the verified caller, never anything the client sent. */
export const actorOf = (caller: Caller): AuditActor => ({
  userId: caller.userId,
  email: caller.email,
  orgId: caller.orgId,
  orgName: caller.orgName,
});

/** The scheduled lifecycle job. */
export const SYSTEM_ACTOR: AuditActor = { userId: null, email: 'system', orgId: null, orgName: 'Accord' };

/** An audit event draft; `providerOrgIds` de-duplicated. */
export const auditDraft = (draft: AuditDraft): AuditDraft => ({ ...draft, providerOrgIds: [...new Set(draft.providerOrgIds)] });
