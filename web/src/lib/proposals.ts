import { canTransition, type ProposalState } from '../../../shared/proposal-state';
import type { Proposal, TimelineEntry } from '../../../shared/schemas/proposal';
import { ageInDays } from './format';
import { lines } from './forms';

export const PROPOSAL_STATE_LABELS: Record<ProposalState, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  in_review: 'In review',
  approved: 'Approved',
  rejected: 'Rejected',
  changes_requested: 'Changes requested',
  withdrawn: 'Withdrawn',
};

/** What the proposing organisation may do with its proposal now. */
export function authorActions(state: ProposalState): { edit: boolean; submit: boolean; withdraw: boolean } {
  return {
    edit: state === 'draft' || state === 'changes_requested',
    submit: canTransition(state, 'submit'),
    withdraw: canTransition(state, 'withdraw'),
  };
}

/** Whether an admin can decide now (approve, reject, request changes). */
export const awaitingDecision = (state: ProposalState): boolean => state === 'submitted' || state === 'in_review';

export interface QueueRow {
  readonly proposal: Proposal;
  readonly ageDays: number;
  readonly pendingConsents: number;
}

/** The review queue, oldest submission first, with each proposal's age and pending consents. */
export function queueRows(proposals: readonly Proposal[], now: number = Date.now()): QueueRow[] {
  return proposals
    .map((proposal) => ({
      proposal,
      ageDays: ageInDays(proposal.submittedAt ?? proposal.createdAt, now),
      pendingConsents: proposal.consents.filter((c) => c.state === 'pending').length,
    }))
    .sort((a, b) => Date.parse(a.proposal.submittedAt ?? a.proposal.createdAt) - Date.parse(b.proposal.submittedAt ?? b.proposal.createdAt));
}

/** The provider's datasets in a proposal that still await its answer. */
export const pendingConsentsOf = (proposal: Proposal, providerOrgId: string) =>
  proposal.consents.filter((c) => c.providerOrgId === providerOrgId && c.state === 'pending');

/** The latest "changes requested" message, which the authors answer by editing and resubmitting. */
export function latestChangeRequest(timeline: readonly TimelineEntry[]): TimelineEntry | null {
  for (let i = timeline.length - 1; i >= 0; i -= 1) {
    const entry = timeline[i]!;
    if (entry.kind === 'changes_requested') return entry;
    if (entry.kind === 'resubmitted') return null;
  }
  return null;
}

export const TIMELINE_LABELS: Record<string, string> = {
  created: 'Draft created',
  edited: 'Edited',
  submitted: 'Submitted',
  resubmitted: 'Resubmitted',
  withdrawn: 'Withdrawn',
  consented: 'Provider consented',
  declined: 'Provider declined',
  dataset_declined: 'A dataset was declined',
  admin_approved: 'Approved by a consortium admin',
  approved: 'Approved',
  rejected: 'Rejected',
  changes_requested: 'Changes requested',
  comment: 'Comment',
  all_declined: 'Every dataset declined',
  period_ended: 'The period ended before the approval',
  question: 'Question to the applicants',
  answer: 'The applicants answered',
  consent_reminder: 'Provider reminded to answer',
  consent_overdue: 'Provider did not answer in time',
  extend_window: 'Provider given more time',
  drop_dataset: 'Dataset dropped (no answer)',
  consent_for_provider: 'Consent recorded for the provider',
  decline_for_provider: 'Refusal recorded for the provider',
};

export const timelineLabel = (kind: string): string => TIMELINE_LABELS[kind] ?? kind.replace(/_/g, ' ');

export type Decision = 'approve' | 'reject' | 'request_changes';

/** The review body for an admin's decision, before validation: conditions one per line, only on an approval. */
export function decisionBody(decision: Decision, text: string, conditions: string) {
  const list = lines(conditions);
  return {
    decision,
    text: text.trim() || undefined,
    conditions: decision === 'approve' && list.length ? list : undefined,
  };
}

export interface TimelineRow extends TimelineEntry {
  /** How many consecutive entries of the same kind by the same person this row stands for. */
  readonly count: number;
}

/** The timeline with runs of edits by one person folded into one row ("Edited, 6 times"); the latest time is kept. */
export function foldTimeline(items: readonly TimelineEntry[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const entry of items) {
    const last = rows[rows.length - 1];
    if (last && entry.kind === 'edited' && last.kind === 'edited' && last.by === entry.by) {
      rows[rows.length - 1] = { ...entry, count: last.count + 1 };
    } else {
      rows.push({ ...entry, count: 1 });
    }
  }
  return rows;
}
