import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../shared/errors';
import {
  nextProposalState,
  PROPOSAL_ACTIONS,
  PROPOSAL_STATES,
  statesAllowing,
  type ProposalAction,
  type ProposalState,
} from '../../shared/proposal-state';

/** The lifecycle as DESIGN.md draws it, written out independently of the implementation's table. */
const ALLOWED: Record<string, ProposalState> = {
  'draft/submit': 'submitted',
  'draft/withdraw': 'withdrawn',
  'submitted/start_review': 'in_review',
  'submitted/withdraw': 'withdrawn',
  'in_review/approve': 'approved',
  'in_review/reject': 'rejected',
  'in_review/request_changes': 'changes_requested',
  'in_review/withdraw': 'withdrawn',
  'changes_requested/submit': 'submitted',
  'changes_requested/withdraw': 'withdrawn',
};

const pairs = PROPOSAL_STATES.flatMap((state) => PROPOSAL_ACTIONS.map((action) => [state, action] as [ProposalState, ProposalAction]));

describe('the proposal state machine', () => {
  it.each(pairs)('from %s, %s does what the lifecycle says', (state, action) => {
    const expected = ALLOWED[`${state}/${action}`];
    if (expected) {
      expect(nextProposalState(state, action)).toBe(expected);
    } else {
      let error: unknown;
      try {
        nextProposalState(state, action);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'invalid_transition', details: { state, action } });
    }
  });

  it('covers every state and action pair', () => {
    expect(pairs).toHaveLength(PROPOSAL_STATES.length * PROPOSAL_ACTIONS.length);
  });

  it('allows withdrawal only before a decision', () => {
    expect(statesAllowing('withdraw').sort()).toEqual(['changes_requested', 'draft', 'in_review', 'submitted']);
  });
});
