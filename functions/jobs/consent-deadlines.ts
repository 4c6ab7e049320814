import type { AuditDraft } from '../../shared/audit-chain';
import { DEFAULT_PROVIDER_REMINDER_DAYS, dueConsentReminder, respondBy, windowClosed } from '../../shared/consent-deadline';
import { ConflictError } from '../../shared/errors';
import type { Clock, DomainNotice, GovernanceRepository, Notifier, ProposalEvent, ProposalRepository, StoredProposal } from '../../shared/ports';
import type { Consent } from '../../shared/schemas/proposal';
import { auditDraft, SYSTEM_ACTOR } from '../api/audit/events';
import { notifyAfterCommit } from '../api/grants/service';

export interface ConsentDeadlineDeps {
  readonly proposals: ProposalRepository;
  readonly governance: GovernanceRepository;
  readonly notifier: Notifier;
  readonly clock: Clock;
}

export interface ConsentDeadlineReport {
  readonly reminded: number;
  readonly escalated: number;
  /** Proposals someone changed meanwhile; the next run takes them. */
  readonly skipped: number;
}

const PAGE = 100;
/** A run reads at most this many pages of the review queue; the next run goes on. */
const MAX_PAGES = 20;

/**
 * Nothing waits forever on a provider (run with the grant lifecycle, every minute): for each
 * proposal awaiting a decision (the review queue, GSI3, oldest first), each pending consent is
 * reminded on the governance's days before its window closes (`providerReminderDays`, default 7
 * and 2), once each; when the window closes, the consortium admins are told once, and may then
 * extend it, drop the dataset or record the provider's answer (reviews `extend_window`,
 * `drop_dataset`, `consent_for_provider`, `decline_for_provider`). Every step is a timeline event
 * and an audit event, written on condition of the revision read.
 */
export async function runConsentDeadlines(deps: ConsentDeadlineDeps): Promise<ConsentDeadlineReport> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const governance = await deps.governance.get();
  const reminderDays = governance.providerReminderDays ?? DEFAULT_PROVIDER_REMINDER_DAYS;
  let reminded = 0;
  let escalated = 0;
  let skipped = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const queue = await deps.proposals.reviewQueue({ limit: PAGE, cursor });
    for (const proposal of queue.items) {
      const step = nextStep(proposal, governance.providerResponseDays, reminderDays, now, at);
      if (!step) continue;
      try {
        await deps.proposals.save(step.next, proposal, step.events, { audit: step.audit });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        skipped++;
        continue;
      }
      reminded += step.reminded;
      escalated += step.escalated;
      await notifyAfterCommit(deps, step.notices);
    }
    cursor = queue.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return { reminded, escalated, skipped };
}

/** What is due on one proposal now: reminders and escalations, with their records; null when nothing is. */
function nextStep(proposal: StoredProposal, responseDays: number, reminderDays: readonly number[], now: Date, at: string) {
  const submittedAt = proposal.submittedAt;
  if (!submittedAt) return null;
  const title = proposal.fields.title ?? 'a proposal';
  const events: ProposalEvent[] = [];
  const audit: AuditDraft[] = [];
  const notices: DomainNotice[] = [];
  let reminded = 0;
  let escalated = 0;
  const record = (consent: Consent, kind: 'consent_reminder' | 'consent_overdue', text: string, details: Record<string, unknown>) => {
    events.push({ at, by: 'system', orgId: '', orgName: 'Accord', kind, text, details: { datasetIds: [consent.datasetId], ...details }, audience: kind === 'consent_reminder' ? { providerOrgId: consent.providerOrgId } : 'all' });
    audit.push(auditDraft({ at, actor: SYSTEM_ACTOR, action: `proposal.${kind}`, entity: { type: 'proposal', id: proposal.id }, orgId: proposal.orgId, providerOrgIds: [consent.providerOrgId], details: { datasetId: consent.datasetId, ...details } }));
    notices.push({
      kind,
      at,
      title: kind === 'consent_reminder' ? `Your consent is awaited: ${title}` : `A provider did not answer in time: ${title}`,
      text,
      subject: { type: 'proposal', id: proposal.id },
      audience: kind === 'consent_reminder' ? { orgIds: [consent.providerOrgId], consortiumAdmins: false } : { orgIds: [], consortiumAdmins: true },
      details: { proposalId: proposal.id, state: proposal.state, datasetId: consent.datasetId },
    });
  };
  const consents = proposal.consents.map((consent): Consent => {
    if (consent.state !== 'pending') return consent;
    const deadline = respondBy(consent, submittedAt, responseDays);
    if (windowClosed(deadline, now)) {
      if (consent.escalatedAt) return consent;
      escalated++;
      record(consent, 'consent_overdue', `The provider's window to answer closed on ${deadline}: extend it, drop the dataset, or record the provider's decision with a reason.`, { respondBy: deadline });
      return { ...consent, escalatedAt: at };
    }
    const due = dueConsentReminder(deadline, consent.remindersSent ?? [], reminderDays, now);
    if (due === null) return consent;
    reminded++;
    record(consent, 'consent_reminder', `Please consent or decline by ${deadline}; after that the secretariat decides.`, { respondBy: deadline, daysBefore: due });
    // The earlier (longer) reminders are past too: one reminder per run, never an older one after a newer.
    return { ...consent, remindersSent: [...new Set([...(consent.remindersSent ?? []), ...reminderDays.filter((d) => d >= due)])] };
  });
  if (events.length === 0) return null;
  const next: StoredProposal = { ...proposal, consents, revision: proposal.revision + 1, updatedAt: at };
  return { next, events, audit, notices, reminded, escalated };
}
