import { verifyChain, type AuditEvent, type ChainVerification } from '../../../shared/audit-chain';
import { ForbiddenError } from '../../../shared/errors';
import type { AuditLog, AuditScope, Clock } from '../../../shared/ports';
import { isConsortiumAdmin, type Caller } from '../../../shared/roles';
import type { AuditQuery } from '../../../shared/schemas/audit';
import type { Page } from '../../../shared/schemas/common';
import { sha256Hex } from '../../adapters/crypto';

export interface AuditDeps {
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/** Whose events the caller reads: admins every event; providers those on their datasets; members their organisation's. */
export function auditScopeOf(caller: Caller, view?: 'organization' | 'provided'): AuditScope {
  if (isConsortiumAdmin(caller)) return { kind: 'all' };
  const provided = view ? view === 'provided' : !caller.orgKinds.includes('member') && caller.orgKinds.includes('provider');
  if (provided && !caller.orgKinds.includes('provider')) throw new ForbiddenError('forbidden', 'Only providers read the events on their datasets');
  return provided ? { kind: 'provider', orgId: caller.orgId } : { kind: 'organization', orgId: caller.orgId };
}

/** Times compare as strings in the store: normalise every offset to UTC. */
const utc = (time?: string) => (time ? new Date(time).toISOString() : undefined);

export async function listAudit(deps: AuditDeps, caller: Caller, query: AuditQuery): Promise<Page<AuditEvent>> {
  const scope = auditScopeOf(caller, query.view);
  return deps.audit.list(scope, {
    limit: query.limit,
    cursor: query.cursor,
    entity: query.entityType && query.entityId ? { type: query.entityType, id: query.entityId } : undefined,
    from: utc(query.from),
    to: utc(query.to),
  });
}

/** Recomputes the whole chain (consortium admins): reads every event, so it is the one read that is not one round trip. */
export async function verifyAudit(deps: AuditDeps, caller: Caller): Promise<ChainVerification & { verifiedAt: string }> {
  if (!isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'Only consortium admins verify the audit chain');
  const { events, head } = await deps.audit.readChain();
  return { ...verifyChain(events, head, sha256Hex), verifiedAt: deps.clock.now().toISOString() };
}
