import { ConflictError } from './errors';

/** The proposal lifecycle (see DESIGN.md). */
export const PROPOSAL_STATES = [
  'draft',
  'submitted',
  'in_review',
  'approved',
  'rejected',
  'changes_requested',
  'withdrawn',
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const PROPOSAL_ACTIONS = ['submit', 'start_review', 'approve', 'reject', 'request_changes', 'withdraw'] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

/** Every allowed move; anything absent is an invalid transition. */
const TRANSITIONS: Readonly<Record<ProposalState, Partial<Record<ProposalAction, ProposalState>>>> = {
  draft: { submit: 'submitted', withdraw: 'withdrawn' },
  submitted: { start_review: 'in_review', withdraw: 'withdrawn' },
  in_review: { approve: 'approved', reject: 'rejected', request_changes: 'changes_requested', withdraw: 'withdrawn' },
  changes_requested: { submit: 'submitted', withdraw: 'withdrawn' },
  approved: {},
  rejected: {},
  withdrawn: {},
};

/** The state after `action`, or a 409 `invalid_transition` that names the current state. */
export function nextProposalState(state: ProposalState, action: ProposalAction): ProposalState {
  const next = TRANSITIONS[state][action];
  if (!next) {
    throw new ConflictError('invalid_transition', `A proposal that is ${state.replace('_', ' ')} cannot be ${ACTION_PAST[action]}`, {
      state,
      action,
    });
  }
  return next;
}

export const canTransition = (state: ProposalState, action: ProposalAction): boolean => TRANSITIONS[state][action] !== undefined;

/** The states from which `action` is allowed: what a conditional write checks. */
export const statesAllowing = (action: ProposalAction): ProposalState[] =>
  PROPOSAL_STATES.filter((state) => canTransition(state, action));

const ACTION_PAST: Record<ProposalAction, string> = {
  submit: 'submitted',
  start_review: 'taken into review',
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'sent back for changes',
  withdraw: 'withdrawn',
};
