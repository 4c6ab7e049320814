import type { Grant, GrantState, Obligation, ObligationKind } from '../../../shared/schemas/grant';
import { grantStartsAt } from '../../../shared/grant-state';
import { ApiError } from '../api/client';

/** The member's view of its grants: what it may do with each, and what it still owes. */

export const OBLIGATION_NAMES: Record<ObligationKind, string> = {
  deletion_attestation: 'deletion attestation',
  outcome_report: 'outcome report',
};

/** The states a member filters its grants by, in the order a grant goes through them. */
export const GRANT_STATE_FILTERS: readonly GrantState[] = ['active', 'expired', 'revoked', 'closed'];

export interface OverdueObligation {
  readonly grantId: string;
  readonly proposalTitle: string;
  readonly datasetTitle: string;
  readonly kind: ObligationKind;
  readonly dueAt: string;
}

/** Open past its deadline: the server marks it `overdue` on read; a deadline that passed since that read counts too. */
const isOverdue = (o: Obligation, now: number): boolean => o.state === 'open' && (o.overdue || Date.parse(o.dueAt) <= now);

/**
 * The open obligations past their deadline among the organisation's grants, oldest deadline first.
 */
export function overdueObligations(grants: readonly Grant[], now: number = Date.now()): OverdueObligation[] {
  return grants
    .flatMap((grant) =>
      grant.obligations
        .filter((o) => isOverdue(o, now))
        .map((o) => ({ grantId: grant.id, proposalTitle: grant.proposalTitle, datasetTitle: grant.datasetTitle, kind: o.kind, dueAt: o.dueAt })),
    )
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

export interface ObligationsBannerContent {
  readonly message: string;
  /** One link per grant that owes something, oldest deadline first. */
  readonly grants: readonly { readonly grantId: string; readonly label: string }[];
}

/** The layout's banner while the organisation owes a deletion attestation or an outcome report; null when it owes nothing overdue. */
export function obligationsBanner(organisation: string, grants: readonly Grant[], now: number = Date.now()): ObligationsBannerContent | null {
  const overdue = overdueObligations(grants, now);
  if (overdue.length === 0) return null;
  const byGrant = new Map<string, { label: string; kinds: ObligationKind[] }>();
  for (const o of overdue) {
    const entry = byGrant.get(o.grantId) ?? { label: `${o.datasetTitle} (${o.proposalTitle})`, kinds: [] };
    entry.kinds.push(o.kind);
    byGrant.set(o.grantId, entry);
  }
  const kinds = [...new Set(overdue.map((o) => o.kind))].map((k) => OBLIGATION_NAMES[k]).join(' and ');
  const count = byGrant.size === 1 ? 'one grant' : `${byGrant.size} grants`;
  return {
    message: `${organisation} is late with the ${kinds} of ${count}. Until they are submitted it cannot submit proposals or ask for renewals.`,
    grants: [...byGrant].map(([grantId, { label, kinds: owed }]) => ({ grantId, label: `${label}: ${owed.map((k) => OBLIGATION_NAMES[k]).join(' and ')}` })),
  };
}

/** What the grantee may do with a grant now (the server checks again). */
export function granteeActions(grant: Pick<Grant, 'state' | 'startDate' | 'renewals' | 'attestation' | 'outcomeReport'>, now: number = Date.now()) {
  const started = now >= grantStartsAt(grant.startDate).getTime();
  const ended = grant.state === 'expired' || grant.state === 'revoked';
  return {
    download: grant.state === 'active' && started,
    renew: grant.state === 'active' && !grant.renewals.some((r) => r.state === 'pending'),
    // Obligations open when the grant ends; the job may not have reached it yet, the closure route opens them then.
    close: ended && (grant.attestation === null || grant.outcomeReport === null),
  };
}

/** What needs the grantee's attention on a grant, beside its state: as badges (`value` picks the colour). */
export function grantFlags(grant: Pick<Grant, 'state' | 'startDate' | 'renewals' | 'attestation' | 'outcomeReport' | 'obligations'>, now: number = Date.now()): { value: string; label: string }[] {
  const flags: { value: string; label: string }[] = [];
  if (grant.renewals.some((r) => r.state === 'pending')) flags.push({ value: 'pending', label: 'Renewal pending' });
  const overdue = grant.obligations.some((o) => isOverdue(o, now));
  if (overdue) flags.push({ value: 'overdue', label: 'Closure overdue' });
  else if (granteeActions(grant, now).close) flags.push({ value: 'changed', label: 'Closure due' });
  return flags;
}

/** Why a download could not be made, in words for the grantee; null for a failure that is not about the grant. */
export function downloadProblem(error: unknown): { title: string; text: string } | null {
  if (!(error instanceof ApiError)) return null;
  switch (error.code) {
    case 'grant_revoked':
      return { title: 'This grant was revoked', text: 'No file can be downloaded under it any more. Why is shown above; close the grant below.' };
    case 'grant_expired':
      return { title: 'This grant has ended', text: `${error.message}. Delete the data you hold and close the grant.` };
    case 'grant_not_started':
      return { title: 'This grant has not started yet', text: `${error.message}.` };
    case 'not_on_team':
      return { title: 'You are not on the project team', text: 'Only the people named as the team in the proposal may download under this grant.' };
    default:
      return null;
  }
}

/** A project's state in the public register. */
export const PROJECT_STATE_LABELS: Record<'active' | 'ended' | 'closed', string> = {
  active: 'Running',
  ended: 'Ended',
  closed: 'Closed',
};
