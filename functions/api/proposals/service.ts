import type { AuditDraft } from '../../../shared/audit-chain';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../../shared/errors';
import type {
  AgreementRepository,
  Clock,
  DatasetRepository,
  GovernanceRepository,
  DomainNotice,
  GrantRepository,
  IdGenerator,
  Notifier,
  PublicRegister,
  ObligationRepository,
  OrganizationRepository,
  ProposalEvent,
  ProposalRepository,
  StoredProposal,
  WriteExtras,
} from '../../../shared/ports';
import { nextProposalState, type ProposalAction } from '../../../shared/proposal-state';
import { isConsortiumAdmin, type Caller } from '../../../shared/roles';
import type { Page } from '../../../shared/schemas/common';
import {
  missingForSubmission,
  PURPOSE_LABELS,
  type Consent,
  type Proposal,
  type ProposalDraft,
  type ProposalFields,
  type ReviewRequest,
  type TimelineEntry,
} from '../../../shared/schemas/proposal';
import { LIMITS, requireWithinLimit } from '../../../shared/schemas/limits';
import { extendedDeadline, respondBy, windowClosed } from '../../../shared/consent-deadline';
import { periodEnded, periodLimitDays, requirePeriodWithin } from '../../../shared/period';
import { requireSignedAgreement } from '../agreements/service';
import { actorOf, auditDraft } from '../audit/events';
import { grantAudit, grantNotice, grantsForApproval, notifyAfterCommit } from '../grants/service';

export interface ProposalDeps {
  readonly proposals: ProposalRepository;
  readonly obligations: ObligationRepository;
  readonly datasets: DatasetRepository;
  readonly organizations: OrganizationRepository;
  readonly agreements: AgreementRepository;
  readonly governance: GovernanceRepository;
  readonly grants: GrantRepository;
  readonly notifier: Notifier;
  readonly register: PublicRegister;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

const proposalNotice = (proposal: StoredProposal, kind: DomainNotice['kind'], at: string, title: string, text: string, audience: DomainNotice['audience']): DomainNotice => ({
  kind,
  at,
  title,
  text,
  subject: { type: 'proposal', id: proposal.id },
  audience,
  details: { proposalId: proposal.id, state: proposal.state },
});

/** The audit event of a proposal's state change; `providerOrgIds` defaults to every provider asked. */
const proposalAudit = (
  caller: Caller,
  proposal: StoredProposal,
  at: string,
  action: string,
  details: Record<string, unknown> = {},
  providerOrgIds: string[] = proposal.snapshots.map((s) => s.providerOrgId),
): AuditDraft =>
  auditDraft({ at, actor: actorOf(caller), action: `proposal.${action}`, entity: { type: 'proposal', id: proposal.id }, orgId: proposal.orgId, providerOrgIds, details });

const DAY_MS = 86_400_000;

/** Reviews that talk rather than decide: they leave a submitted proposal where it is. */
const CONVERSATION = new Set<ReviewRequest['decision']>(['comment', 'question', 'answer']);

/** Questions and answers belong to a proposal under review (or sent back for changes). */
function requireOpenForDialogue(proposal: StoredProposal): void {
  if (!['submitted', 'in_review', 'changes_requested'].includes(proposal.state)) {
    throw new ConflictError('invalid_transition', `A proposal that is ${proposal.state} takes no more questions`, { state: proposal.state });
  }
}

/** What each admin decision about a pending consent makes of it (an extension leaves it pending). */
const ESCALATED = {
  extend_window: 'pending',
  drop_dataset: 'dropped',
  consent_for_provider: 'consented',
  decline_for_provider: 'declined',
} as const;

/** Why a dataset the proposing organisation provides itself needs no consent. */
const OWN_DATASET = 'The proposing organisation provides this dataset: asking for it is its consent';

type Role = 'author' | 'admin' | 'provider';

/** How the caller relates to a proposal; null when it is none of their business (a 404). */
function roleOf(caller: Caller, proposal: StoredProposal): Role | null {
  if (proposal.orgId === caller.orgId) return 'author';
  // Never submitted (a draft, or a draft withdrawn): nobody outside the organisation has seen it.
  if (!proposal.firstSubmittedAt) return null;
  if (isConsortiumAdmin(caller)) return 'admin';
  if (proposal.snapshots.some((s) => s.providerOrgId === caller.orgId)) return 'provider';
  return null;
}

async function visibleProposal(deps: ProposalDeps, caller: Caller, proposalId: string) {
  const proposal = await deps.proposals.get(proposalId);
  const role = proposal ? roleOf(caller, proposal) : null;
  if (!proposal || !role) throw new NotFoundError('Proposal');
  return { proposal, role };
}

function isOverdue(proposal: StoredProposal, responseDays: number, now: Date): boolean {
  if (!proposal.submittedAt || !['submitted', 'in_review'].includes(proposal.state)) return false;
  const submittedAt = proposal.submittedAt;
  return proposal.consents.some((c) => c.state === 'pending' && windowClosed(respondBy(c, submittedAt, responseDays), now));
}

/**
 * The proposal as this caller may see it. Providers see the purpose, problem, use and the
 * proposing organisation, and only the part about their own datasets: never the team's names
 * nor another provider's answer.
 */
function present(caller: Caller, role: Role, proposal: StoredProposal, context: { responseDays: number; now: Date; changed?: string[] }): Proposal {
  const submittedAt = proposal.submittedAt;
  const base: Proposal = {
    ...proposal,
    // Each pending consent says when it is due, so every reader sees the same deadline.
    consents: submittedAt && context.responseDays > 0
      ? proposal.consents.map((c) => (c.state === 'pending' ? { ...c, respondBy: respondBy(c, submittedAt, context.responseDays) } : c))
      : proposal.consents,
    changedSinceSubmission: context.changed ?? [],
    overdue: isOverdue(proposal, context.responseDays, context.now),
  };
  if (role !== 'provider') return base;
  const mine = (datasetId: string) => proposal.snapshots.some((s) => s.datasetId === datasetId && s.providerOrgId === caller.orgId);
  const { team: _team, ...fields } = proposal.fields;
  return {
    ...base,
    fields: { ...fields, datasets: (proposal.fields.datasets ?? []).filter((d) => mine(d.datasetId)) },
    snapshots: proposal.snapshots.filter((s) => s.providerOrgId === caller.orgId),
    consents: proposal.consents.filter((c) => c.providerOrgId === caller.orgId),
    changedSinceSubmission: base.changedSinceSubmission.filter(mine),
  };
}

const event = (caller: Caller, at: string, kind: string, text: string | null, details?: Record<string, unknown>, audience: ProposalEvent['audience'] = 'all'): ProposalEvent => ({
  at,
  by: caller.email,
  orgId: caller.orgId,
  orgName: caller.orgName,
  kind,
  text,
  details,
  audience,
});

function requireAuthor(caller: Caller, role: Role): void {
  if (role !== 'author') throw new ForbiddenError('forbidden', 'Only the proposing organisation may do this');
}

/** 403 `obligations_overdue` while the organisation owes a closure attestation or report past its deadline. */
export async function requireNoOverdueObligations(deps: Pick<ProposalDeps, 'obligations' | 'clock'>, orgId: string): Promise<void> {
  if (await deps.obligations.hasOverdue(orgId, deps.clock.now())) {
    throw new ForbiddenError('obligations_overdue', 'Your organisation has overdue closure obligations (deletion attestation or outcome report); complete them first');
  }
}

export async function createProposal(deps: ProposalDeps, caller: Caller, draft: ProposalDraft): Promise<Proposal> {
  if (!caller.orgKinds.includes('member')) throw new ForbiddenError('forbidden', 'Only member organisations propose projects');
  await requireSignedAgreement(deps, caller.orgId);
  const now = deps.clock.now();
  const at = now.toISOString();
  const proposal: StoredProposal = {
    id: deps.ids.newId(),
    orgId: caller.orgId,
    orgName: caller.orgName,
    state: 'draft',
    revision: 1,
    fields: draft,
    createdBy: caller.email,
    createdAt: at,
    updatedAt: at,
    submittedAt: null,
    firstSubmittedAt: null,
    decidedAt: null,
    agreementVersion: null,
    snapshots: [],
    consents: [],
    adminApprovals: [],
    conditions: [],
  };
  await deps.proposals.save(proposal, null, [event(caller, at, 'created', null)]);
  return present(caller, 'author', proposal, { responseDays: 0, now });
}

export async function getProposal(deps: ProposalDeps, caller: Caller, proposalId: string): Promise<Proposal> {
  const { proposal, role } = await visibleProposal(deps, caller, proposalId);
  const [governance, changed] = await Promise.all([deps.governance.get(), role === 'author' ? [] : changedSince(deps, proposal)]);
  return present(caller, role, proposal, { responseDays: governance.providerResponseDays, now: deps.clock.now(), changed });
}

/** Requested datasets whose metadata changed after the proposal froze it. */
async function changedSince(deps: ProposalDeps, proposal: StoredProposal): Promise<string[]> {
  const current = new Map((await deps.datasets.getMany(proposal.snapshots.map((s) => s.datasetId))).map((d) => [d.id, d]));
  return proposal.snapshots.filter((s) => (current.get(s.datasetId)?.metadataVersion ?? s.metadataVersion) !== s.metadataVersion).map((s) => s.datasetId);
}

export async function updateProposal(
  deps: ProposalDeps,
  caller: Caller,
  proposalId: string,
  changes: Partial<ProposalFields>,
  expectedRevision: number,
): Promise<Proposal> {
  const { proposal, role } = await visibleProposal(deps, caller, proposalId);
  requireAuthor(caller, role);
  if (proposal.state !== 'draft' && proposal.state !== 'changes_requested') {
    throw new ConflictError('invalid_transition', `A proposal that is ${proposal.state} cannot be edited`, { state: proposal.state });
  }
  if (proposal.revision !== expectedRevision) {
    throw new PreconditionFailedError(proposal.revision);
  }
  const fields = { ...proposal.fields, ...changes };
  requireWithinLimit(fields, LIMITS.proposalBytes, 'fields');
  const at = deps.clock.now().toISOString();
  const next: StoredProposal = { ...proposal, fields, revision: proposal.revision + 1, updatedAt: at };
  await deps.proposals.save(next, proposal, [event(caller, at, 'edited', null, { fields: Object.keys(changes) })]);
  return present(caller, role, next, { responseDays: 0, now: deps.clock.now() });
}

/** Moves a proposal by the state machine, or 409 naming its state. */
function transition(proposal: StoredProposal, action: ProposalAction) {
  return nextProposalState(proposal.state, action);
}

export async function submitProposal(deps: ProposalDeps, caller: Caller, proposalId: string): Promise<Proposal> {
  const { proposal, role } = await visibleProposal(deps, caller, proposalId);
  requireAuthor(caller, role);
  const state = transition(proposal, 'submit');
  await requireNoOverdueObligations(deps, caller.orgId);
  await requireSignedAgreement(deps, caller.orgId);

  const missing = missingForSubmission(proposal.fields);
  if (missing.length > 0) {
    throw new ValidationError(missing[0]!.field, `The proposal is not complete: ${missing[0]!.message}`, { missing });
  }
  const fields = proposal.fields as ProposalFields;
  const [governance, standing, members, found] = await Promise.all([
    deps.governance.get(),
    deps.agreements.standing(caller.orgId),
    deps.organizations.listMembers(caller.orgId),
    deps.datasets.getMany(fields.datasets.map((d) => d.datasetId)),
  ]);
  const byId = new Map(found.map((d) => [d.id, d]));
  const datasets = fields.datasets.map((d) => byId.get(d.datasetId));
  datasets.forEach((dataset, i) => {
    if (!dataset || dataset.state !== 'published') {
      throw new ValidationError(`datasets.${i}.datasetId`, 'This dataset is not in the catalog');
    }
  });
  const memberIds = new Set(members.flatMap((m) => [m.id, m.email]));
  fields.team.forEach((person, i) => {
    if (!memberIds.has(person)) throw new ValidationError(`team.${i}`, `${person} is not a user of your organisation`);
  });
  const now = deps.clock.now();
  if (periodEnded(fields.endDate, now)) {
    throw new ValidationError('endDate', `The period ended on ${fields.endDate}; choose an end date from today on`);
  }
  requirePeriodWithin('endDate', fields.startDate, fields.endDate, periodLimitDays(governance.maxGrantDays, datasets.map((d) => d!.metadata.maxGrantDays)));

  const at = now.toISOString();
  const snapshots = datasets.map((d) => ({
    datasetId: d!.id,
    providerOrgId: d!.providerOrgId,
    providerName: d!.providerName,
    title: d!.metadata.title,
    metadataVersion: d!.metadataVersion,
    publishedVersion: d!.publishedVersion,
    consentRequired: d!.metadata.consentRequired,
    maxGrantDays: d!.metadata.maxGrantDays,
  }));
  const consents: Consent[] = snapshots.map((s) =>
    // An organisation that is member and provider asking for its own dataset gives its consent by
    // asking (nobody reviews their own organisation's proposal, so it would otherwise wait forever).
    s.consentRequired && s.providerOrgId === proposal.orgId
      ? { datasetId: s.datasetId, providerOrgId: s.providerOrgId, state: 'not_required', by: 'system', at, reason: OWN_DATASET }
      : { datasetId: s.datasetId, providerOrgId: s.providerOrgId, state: s.consentRequired ? 'pending' : 'not_required', by: null, at: null, reason: null },
  );
  const next: StoredProposal = {
    ...proposal,
    state,
    revision: proposal.revision + 1,
    updatedAt: at,
    submittedAt: at,
    firstSubmittedAt: proposal.firstSubmittedAt ?? at,
    agreementVersion: standing.current?.version ?? null,
    snapshots,
    consents,
    adminApprovals: [],
    conditions: [],
  };
  const kind = proposal.state === 'changes_requested' ? 'resubmitted' : 'submitted';
  await deps.proposals.save(next, proposal, [event(caller, at, kind, null, { agreementVersion: next.agreementVersion })], {
    audit: [proposalAudit(caller, next, at, kind, { revision: next.revision, agreementVersion: next.agreementVersion, datasetIds: snapshots.map((s) => s.datasetId) })],
  });
  const title = fields.title;
  await notifyAfterCommit(deps, [
    proposalNotice(next, 'proposal_submitted', at, `Proposal ${kind}: ${title}`, `${caller.orgName} ${kind} "${title}" for review.`, {
      orgIds: [...new Set(snapshots.map((s) => s.providerOrgId))],
      consortiumAdmins: true,
    }),
  ]);
  return present(caller, role, next, { responseDays: governance.providerResponseDays, now });
}

export async function withdrawProposal(deps: ProposalDeps, caller: Caller, proposalId: string, reason?: string): Promise<Proposal> {
  const { proposal, role } = await visibleProposal(deps, caller, proposalId);
  requireAuthor(caller, role);
  const state = transition(proposal, 'withdraw');
  const now = deps.clock.now();
  const at = now.toISOString();
  const next: StoredProposal = { ...proposal, state, revision: proposal.revision + 1, updatedAt: at, decidedAt: at };
  await deps.proposals.save(next, proposal, [event(caller, at, 'withdrawn', reason ?? null)], {
    audit: proposal.firstSubmittedAt ? [proposalAudit(caller, next, at, 'withdrawn', { reason: reason ?? null })] : [],
  });
  return present(caller, role, next, { responseDays: 0, now });
}

/** Whether every piece of the decision is in: enough admin approvals, and no consent pending. */
function readyToApprove(proposal: StoredProposal, approvalsNeeded: number): boolean {
  return proposal.adminApprovals.length >= approvalsNeeded && proposal.consents.every((c) => c.state !== 'pending');
}

const remainingDatasets = (consents: Consent[]) => consents.filter((c) => c.state === 'consented' || c.state === 'not_required');

/**
 * A review: admins approve, reject or request changes; providers consent or decline for their
 * own datasets; both may comment. The proposal is approved when the admin approvals are in and
 * no consent is pending. Every write is conditional on the revision read, so of concurrent
 * reviews exactly one lands and the others get 409.
 */
export async function reviewProposal(deps: ProposalDeps, caller: Caller, proposalId: string, review: ReviewRequest): Promise<Proposal> {
  const { proposal, role } = await visibleProposal(deps, caller, proposalId);
  if (role === 'author' && review.decision !== 'answer') throw new ForbiddenError('conflict_of_interest', 'Nobody reviews a proposal of their own organisation');
  if (role !== 'author' && review.decision === 'answer') throw new ForbiddenError('forbidden', 'Only the proposing organisation answers reviewers\' questions');
  const governance = await deps.governance.get();
  const now = deps.clock.now();
  const at = now.toISOString();
  const events: ProposalEvent[] = [];
  const audit: AuditDraft[] = [];
  const notices: DomainNotice[] = [];
  let extras: WriteExtras = {};

  // The first review takes a submitted proposal into review, in the same write.
  let state = proposal.state === 'submitted' && !CONVERSATION.has(review.decision) ? transition(proposal, 'start_review') : proposal.state;
  let next: StoredProposal = { ...proposal, state, revision: proposal.revision + 1, updatedAt: at };

  switch (review.decision) {
    case 'approve':
    case 'reject':
    case 'request_changes': {
      if (role !== 'admin') throw new ForbiddenError('forbidden', 'Only consortium admins decide proposals');
      if (review.decision !== 'approve') {
        state = nextProposalState(state, review.decision);
        next = { ...next, state, decidedAt: review.decision === 'reject' ? at : null };
        events.push(event(caller, at, review.decision === 'reject' ? 'rejected' : 'changes_requested', review.text ?? null));
        audit.push(proposalAudit(caller, next, at, review.decision === 'reject' ? 'rejected' : 'changes_requested', { text: review.text ?? null }));
        notices.push(
          proposalNotice(next, 'proposal_decided', at, `Proposal ${review.decision === 'reject' ? 'rejected' : 'sent back for changes'}: ${proposal.fields.title ?? ''}`, review.text ?? '', {
            orgIds: [proposal.orgId],
          }),
        );
        break;
      }
      nextProposalState(state, 'approve'); // 409 unless the proposal is awaiting a decision
      if (proposal.adminApprovals.some((a) => a.by === caller.email)) {
        throw new ConflictError('already_approved', 'You already approved this proposal', { state: proposal.state });
      }
      if (remainingDatasets(proposal.consents).length === 0 && proposal.consents.every((c) => c.state !== 'pending')) {
        throw new ConflictError('no_datasets_left', 'Every requested dataset was declined; nothing is left to approve', { state: proposal.state });
      }
      if (periodEnded((proposal.fields as ProposalFields).endDate, now)) {
        throw new ConflictError('period_ended', `The proposal's period ended on ${proposal.fields.endDate}; request changes to its dates instead`, { state: proposal.state });
      }
      const conditions = review.conditions ?? [];
      next = {
        ...next,
        adminApprovals: [...proposal.adminApprovals, { by: caller.email, at, conditions }],
        conditions: [...proposal.conditions, ...conditions],
      };
      events.push(event(caller, at, 'admin_approved', review.text ?? null, { conditions }));
      audit.push(proposalAudit(caller, next, at, 'admin_approved', { conditions }));
      break;
    }
    case 'consent':
    case 'decline': {
      if (role !== 'provider') throw new ForbiddenError('forbidden', 'Only the providers of the requested datasets consent or decline');
      if (!['submitted', 'in_review'].includes(proposal.state)) {
        throw new ConflictError('invalid_transition', `A proposal that is ${proposal.state} takes no more consents`, { state: proposal.state });
      }
      const targets = new Set(
        review.datasetIds ?? proposal.consents.filter((c) => c.providerOrgId === caller.orgId && c.state === 'pending').map((c) => c.datasetId),
      );
      const answerable = proposal.consents.filter((c) => targets.has(c.datasetId) && c.providerOrgId === caller.orgId && c.state === 'pending');
      if (answerable.length === 0 || answerable.length !== targets.size) {
        throw new ConflictError('nothing_to_answer', 'None of these datasets awaits your answer', { state: proposal.state });
      }
      const answer = review.decision === 'consent' ? 'consented' : 'declined';
      next = {
        ...next,
        consents: proposal.consents.map((c) =>
          targets.has(c.datasetId) ? { ...c, state: answer, by: caller.email, at, reason: review.text ?? null, ...(review.conditions?.length ? { conditions: review.conditions } : {}) } : c,
        ),
      };
      const conditions = review.conditions ?? [];
      events.push(event(caller, at, answer, review.text ?? null, { datasetIds: [...targets], ...(conditions.length ? { conditions } : {}) }, { providerOrgId: caller.orgId }));
      audit.push(proposalAudit(caller, next, at, answer, { datasetIds: [...targets], text: review.text ?? null, conditions }, [caller.orgId]));
      if (answer === 'declined') {
        events.push({ ...event(caller, at, 'dataset_declined', null, { datasetIds: [...targets] }), by: 'system', orgName: 'Accord' });
      }
      break;
    }
    case 'extend_window':
    case 'drop_dataset':
    case 'consent_for_provider':
    case 'decline_for_provider': {
      if (role !== 'admin') throw new ForbiddenError('forbidden', 'Only consortium admins decide about a provider\'s pending consent');
      const targets = new Set(review.datasetIds ?? []);
      const pending = proposal.consents.filter((c) => targets.has(c.datasetId) && c.state === 'pending');
      if (!['submitted', 'in_review'].includes(proposal.state) || pending.length !== targets.size) {
        throw new ConflictError('nothing_to_answer', 'Every dataset named must await its provider\'s consent', { state: proposal.state });
      }
      const deadlineOf = (c: Consent) => respondBy(c, proposal.submittedAt!, governance.providerResponseDays);
      if (review.decision !== 'extend_window') {
        const open = pending.find((c) => !windowClosed(deadlineOf(c), now));
        if (open) {
          throw new ConflictError('window_open', `The provider may answer until ${deadlineOf(open)}; extend the window or wait for it to close`, { state: proposal.state, respondBy: deadlineOf(open) });
        }
      }
      const answer = ESCALATED[review.decision];
      next = {
        ...next,
        consents: proposal.consents.map((c) => {
          if (!targets.has(c.datasetId)) return c;
          if (review.decision === 'extend_window') return { ...c, respondBy: extendedDeadline(deadlineOf(c), review.days!, now), remindersSent: [], escalatedAt: null };
          return { ...c, state: answer, by: caller.email, at, reason: review.text ?? null, recordedByAdmin: answer !== 'dropped' };
        }),
      };
      const details = { datasetIds: [...targets], ...(review.decision === 'extend_window' ? { respondBy: next.consents.find((c) => targets.has(c.datasetId))!.respondBy, days: review.days } : {}) };
      events.push(event(caller, at, review.decision, review.text ?? null, details));
      const providers = [...new Set(pending.map((c) => c.providerOrgId))];
      audit.push(proposalAudit(caller, next, at, review.decision, { ...details, text: review.text ?? null }, providers));
      notices.push(
        proposalNotice(next, review.decision === 'extend_window' ? 'consent_reminder' : 'proposal_decided', at, review.decision === 'extend_window' ? `More time to answer: ${proposal.fields.title ?? ''}` : `Consent decided by the secretariat: ${proposal.fields.title ?? ''}`,
          review.decision === 'extend_window' ? `You may answer until ${details.respondBy}.` : (review.text ?? ''), { orgIds: providers }),
      );
      break;
    }
    case 'question': {
      requireOpenForDialogue(proposal);
      const questionId = deps.ids.newId();
      const audience = role === 'provider' ? { providerOrgId: caller.orgId } : ('all' as const);
      events.push(event(caller, at, 'question', review.text ?? null, { questionId }, audience));
      audit.push(proposalAudit(caller, next, at, 'question_asked', { questionId }, role === 'provider' ? [caller.orgId] : undefined));
      notices.push(proposalNotice(next, 'proposal_question', at, `A question about ${proposal.fields.title ?? 'your proposal'}`, review.text ?? '', { orgIds: [proposal.orgId] }));
      break;
    }
    case 'answer': {
      requireOpenForDialogue(proposal);
      // The question is read from the timeline: the answer goes to whoever could see it, and only to them.
      const { events: timeline } = await deps.proposals.withTimeline(proposal.id);
      const question = timeline.find((e) => e.kind === 'question' && e.details?.questionId === review.questionId);
      if (!question) throw new ValidationError('questionId', 'No question with this id was asked about this proposal');
      events.push(event(caller, at, 'answer', review.text ?? null, { questionId: review.questionId }, question.audience));
      const askedBy = question.audience === 'all' ? null : question.audience.providerOrgId;
      audit.push(proposalAudit(caller, next, at, 'question_answered', { questionId: review.questionId }, askedBy ? [askedBy] : undefined));
      notices.push(
        proposalNotice(next, 'proposal_answer', at, `${proposal.orgName} answered: ${proposal.fields.title ?? ''}`, review.text ?? '', askedBy ? { orgIds: [askedBy] } : { orgIds: [], consortiumAdmins: true }),
      );
      break;
    }
    case 'comment': {
      if (!['submitted', 'in_review', 'changes_requested'].includes(proposal.state)) {
        throw new ConflictError('invalid_transition', `A proposal that is ${proposal.state} takes no more comments`, { state: proposal.state });
      }
      events.push(event(caller, at, 'comment', review.text ?? null, undefined, role === 'provider' ? { providerOrgId: caller.orgId } : 'all'));
      break;
    }
  }

  // Whichever piece arrives last completes the approval.
  if (next.state === 'in_review' && readyToApprove(next, governance.adminApprovalsRequired)) {
    if (remainingDatasets(next.consents).length === 0) {
      events.push({ ...event(caller, at, 'all_declined', 'Every requested dataset was declined; the proposal cannot be approved'), by: 'system', orgName: 'Accord' });
    } else if (periodEnded((next.fields as ProposalFields).endDate, now)) {
      // The last consent arrived after the period ended: it is recorded, but no grant would be usable.
      events.push({ ...event(caller, at, 'period_ended', `The period ended on ${next.fields.endDate}; the secretariat must request new dates`), by: 'system', orgName: 'Accord' });
    } else {
      // The approval issues its grants in the same transaction: one per dataset still asked for,
      // over the version published now.
      const datasetIds = remainingDatasets(next.consents).map((c) => c.datasetId);
      // The audit head comes with the datasets: the transaction below needs no read of its own.
      const { datasets, auditHead } = await deps.datasets.getManyWithAuditHead(datasetIds);
      const grants = grantsForApproval(next, datasetIds, datasets, deps.ids, now);
      if (grants.length === 0) {
        throw new ConflictError('no_datasets_left', 'None of the remaining datasets is still published; nothing is left to approve', { state: proposal.state });
      }
      next = { ...next, state: nextProposalState('in_review', 'approve'), decidedAt: at };
      const granted = grants.map((g) => ({ grantId: g.id, datasetId: g.datasetId, versions: g.versions }));
      events.push({ ...event(caller, at, 'approved', null, { datasetIds: grants.map((g) => g.datasetId), conditions: next.conditions, grants: granted }), by: 'system', orgName: 'Accord' });
      audit.push(proposalAudit(caller, next, at, 'approved', { conditions: next.conditions, grants: granted }, grants.map((g) => g.providerOrgId)));
      for (const grant of grants) {
        audit.push(grantAudit(grant, { at, actor: actorOf(caller), action: 'issued', details: { proposalId: next.id, datasetId: grant.datasetId, versions: grant.versions, startDate: grant.startDate, endDate: grant.endDate, conditions: grant.conditions } }));
      }
      const fields = next.fields as ProposalFields;
      const listing = fields.listInPublicRegister
        ? deps.register.entryWrites({
            proposalId: next.id,
            title: fields.title,
            organisation: next.orgName,
            purpose: { category: fields.purpose.category, label: PURPOSE_LABELS[fields.purpose.category] },
            datasets: grants.map((g) => ({ title: g.datasetTitle, provider: g.providerName })),
            startDate: grants[0]!.startDate,
            endDate: fields.endDate,
            approvedAt: at,
            grantCount: grants.length,
            outcomes: {},
          })
        : [];
      // Each dataset must still be published at the version read: a retirement or a new version
      // committed since then cancels the approval (409), so no grant outlives its dataset's retirement.
      const stillOffered = grants.map((g) => deps.datasets.offeredAt(g.datasetId, g.versions[0]!));
      extras = { writes: [...deps.grants.issueWrites(grants), ...listing, ...stillOffered], auditHead };
      notices.push(
        proposalNotice(next, 'proposal_decided', at, `Proposal approved: ${proposal.fields.title ?? ''}`, `Access is granted from ${grants[0]!.startDate} to ${grants[0]!.endDate}.`, {
          orgIds: [proposal.orgId, ...new Set(grants.map((g) => g.providerOrgId))],
        }),
        ...grants.map((g) => grantNotice(g, 'grant_issued', at, `Access granted to ${g.datasetTitle}`, `Your team may download ${g.datasetTitle} from ${g.startDate} to ${g.endDate}.`)),
      );
    }
  }
  await deps.proposals.save(next, proposal, events, { ...extras, audit });
  await notifyAfterCommit(deps, notices);
  return present(caller, role, next, { responseDays: governance.providerResponseDays, now });
}

export async function proposalTimeline(deps: ProposalDeps, caller: Caller, proposalId: string): Promise<{ items: TimelineEntry[] }> {
  // One query reads the proposal and its timeline together.
  const { proposal, events } = await deps.proposals.withTimeline(proposalId);
  const role = proposal ? roleOf(caller, proposal) : null;
  if (!proposal || !role) throw new NotFoundError('Proposal');
  const visible = events.filter(
    // Authors and admins see every answer; a provider sees only its own, never another provider's.
    (e) => e.audience === 'all' || role !== 'provider' || e.audience.providerOrgId === caller.orgId,
  );
  return { items: visible.map(({ audience: _a, orgId: _o, ...entry }) => ({ ...entry, text: entry.text ?? null })) };
}

export async function listProposals(
  deps: ProposalDeps,
  caller: Caller,
  query: { limit: number; cursor?: string; state?: Proposal['state']; view?: 'mine' | 'review' | 'queue' },
): Promise<Page<Proposal>> {
  const governance = await deps.governance.get();
  const now = deps.clock.now();
  const shape = (role: Role) => (p: StoredProposal) => present(caller, role, p, { responseDays: governance.providerResponseDays, now });
  if (query.view === 'queue') {
    if (!isConsortiumAdmin(caller)) throw new ForbiddenError('forbidden', 'The review queue is for consortium admins');
    const page = await deps.proposals.reviewQueue(query);
    return { items: page.items.map(shape('admin')), nextCursor: page.nextCursor };
  }
  // Members default to their own proposals; admins and providers to those awaiting their review.
  const view = query.view ?? (caller.orgKinds.includes('member') ? 'mine' : 'review');
  if (view === 'mine') {
    const page = await deps.proposals.listByOrganization(caller.orgId, query);
    return { items: page.items.map(shape('author')), nextCursor: page.nextCursor };
  }
  if (isConsortiumAdmin(caller)) {
    const page = await deps.proposals.listSubmitted(query);
    return { items: page.items.map(shape('admin')), nextCursor: page.nextCursor };
  }
  const page = await deps.proposals.listByProvider(caller.orgId, query);
  return { items: page.items.map(shape('provider')), nextCursor: page.nextCursor };
}
