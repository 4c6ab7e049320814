import type { AuditDraft } from '../../shared/audit-chain';
import { ConflictError } from '../../shared/errors';
import { dueReminder, effectiveGrantState, endGrant, grantEndsAt, REMINDER_DAYS } from '../../shared/grant-state';
import type { Clock, DomainNotice, GovernanceRepository, GrantRepository, IdGenerator, Notifier, StoredGrant } from '../../shared/ports';
import { SYSTEM_ACTOR } from '../api/audit/events';
import { grantAudit, grantNotice, notifyAfterCommit } from '../api/grants/service';

export interface LifecycleDeps {
  readonly grants: GrantRepository;
  readonly governance: GovernanceRepository;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface LifecycleReport {
  readonly expired: number;
  readonly reminded: number;
  readonly overdue: number;
  /** Grants another writer changed meanwhile; the next run takes them. */
  readonly skipped: number;
}

const DAY_MS = 86_400_000;
const PAGE = 100;
/** A run reads at most this many pages of each kind; the next run goes on where work is left. */
const MAX_PAGES = 20;

/**
 * The scheduled lifecycle of grants, run every minute (an EventBridge schedule deployed; a timer
 * locally). It only Queries sparse index partitions, never scans:
 * - active grants ending within the longest reminder (GSI3 `GRANTS#active` by end date): past
 *   their end they are marked expired and their closure obligations opened; otherwise the 14-
 *   and 3-day reminders go out, each once;
 * - open obligations past their deadline (GSI3 `OBLIGATIONS#OPEN` by due date): announced
 *   overdue once, after which they leave that partition.
 * Each change is a conditional write with its audit event; a grant someone else changed meanwhile
 * is skipped and taken by the next run. Reads are what decide expiry, so a late run never lets a
 * grant be used past its end.
 */
export async function runGrantLifecycle(deps: LifecycleDeps): Promise<LifecycleReport> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const governance = await deps.governance.get();
  let expired = 0;
  let reminded = 0;
  let overdue = 0;
  let skipped = 0;

  const save = async (next: StoredGrant, previous: StoredGrant, audit: AuditDraft[], notices: DomainNotice[]) => {
    try {
      await deps.grants.save(next, previous, { audit });
    } catch (error) {
      if (error instanceof ConflictError) {
        skipped++;
        return false;
      }
      throw error;
    }
    await notifyAfterCommit(deps, notices);
    return true;
  };

  const horizon = new Date(now.getTime() + Math.max(...REMINDER_DAYS) * DAY_MS).toISOString().slice(0, 10);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextCursor } = await deps.grants.activeEndingBy(horizon, { limit: PAGE, cursor });
    for (const grant of items) {
      if (effectiveGrantState(grant, now) === 'expired') {
        const next: StoredGrant = {
          ...endGrant(grant, 'expired', grantEndsAt(grant.endDate), governance.closureDeadlineDays, () => deps.ids.newId()),
          revision: grant.revision + 1,
          renewals: grant.renewals.map((r) => (r.state === 'pending' ? { ...r, state: 'refused', decidedAt: at, decidedBy: 'system', decisionText: 'The grant ended before a decision' } : r)),
        };
        const dueAt = next.obligations[0]!.dueAt;
        const saved = await save(next, grant, [grantAudit(next, { at, actor: SYSTEM_ACTOR, action: 'expired', details: { endDate: grant.endDate, obligationsDueAt: dueAt } })], [
          grantNotice(next, 'grant_expired', at, `Access to ${grant.datasetTitle} ended`, `The grant ended on ${grant.endDate}.`, { grantee: true, provider: true }),
          grantNotice(next, 'obligation_due', at, `Close your grant to ${grant.datasetTitle}`, `Submit the deletion attestation and the outcome report by ${dueAt.slice(0, 10)}.`),
        ]);
        if (saved) expired++;
        continue;
      }
      const reminder = dueReminder(grant.endDate, grant.remindersSent, now);
      if (reminder === null) continue;
      const next: StoredGrant = { ...grant, revision: grant.revision + 1, remindersSent: [...grant.remindersSent, ...REMINDER_DAYS.filter((d) => d >= reminder && !grant.remindersSent.includes(d))] };
      const saved = await save(next, grant, [grantAudit(next, { at, actor: SYSTEM_ACTOR, action: 'expiry_reminder_sent', details: { daysBefore: reminder, endDate: grant.endDate } })], [
        grantNotice(next, 'grant_expiring', at, `Access to ${grant.datasetTitle} ends in ${reminder} days`, `The grant ends on ${grant.endDate}. Ask for a renewal now if you need longer.`),
      ]);
      if (saved) reminded++;
    }
    if (!nextCursor) break;
    cursor = nextCursor;
  }

  cursor = undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextCursor } = await deps.grants.openObligationsDueBy(at, { limit: PAGE, cursor });
    const byGrant = new Map<string, string[]>();
    for (const { grantId, obligation } of items) byGrant.set(grantId, [...(byGrant.get(grantId) ?? []), obligation.id]);
    for (const [grantId, obligationIds] of byGrant) {
      const grant = await deps.grants.get(grantId);
      if (!grant) continue;
      const late = grant.obligations.filter((o) => obligationIds.includes(o.id) && o.state === 'open' && !o.overdueNotified);
      if (late.length === 0) continue;
      const next: StoredGrant = {
        ...grant,
        revision: grant.revision + 1,
        obligations: grant.obligations.map((o) => (late.some((l) => l.id === o.id) ? { ...o, overdueNotified: true } : o)),
      };
      const kinds = late.map((o) => o.kind.replace('_', ' ')).join(' and ');
      const saved = await save(next, grant, [grantAudit(next, { at, actor: SYSTEM_ACTOR, action: 'obligations_overdue', details: { obligations: late.map((o) => ({ id: o.id, kind: o.kind, dueAt: o.dueAt })) } })], [
        grantNotice(next, 'obligation_overdue', at, `Overdue: ${kinds} for ${grant.datasetTitle}`, `It was due on ${late[0]!.dueAt.slice(0, 10)}. Your organisation cannot submit proposals or renewals until it is in.`, {
          grantee: true,
          provider: true,
          admins: true,
        }),
      ]);
      if (saved) overdue++;
    }
    if (!nextCursor) break;
    cursor = nextCursor;
  }
  return { expired, reminded, overdue, skipped };
}
