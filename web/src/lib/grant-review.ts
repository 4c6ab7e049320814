import type { Grant, GrantState, Renewal } from '../../../shared/schemas/grant';
import { daysBetween } from './format';

/** Who reviews a grant on these pages: the secretariat, or the provider of the granted dataset. */
export type GrantReviewer = 'admin' | 'provider';

export const GRANT_STATE_LABELS: Record<GrantState, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  closed: 'Closed',
};

export const OBLIGATION_LABELS: Record<string, string> = {
  deletion_attestation: 'Deletion attestation',
  outcome_report: 'Outcome report',
};

/** Only a running grant can be revoked (the API answers 409 for any other). */
export const canRevoke = (grant: Pick<Grant, 'state'>): boolean => grant.state === 'active';

/**
 * A grant runs from 00:00 UTC of its start date to the end of its end date (00:00 UTC the day
 * after): the two instants, for showing in the reader's own time zone.
 */
export function accessWindow(grant: Pick<Grant, 'startDate' | 'endDate'>): { from: string; until: string } {
  const until = new Date(`${grant.endDate}T00:00:00Z`);
  until.setUTCDate(until.getUTCDate() + 1);
  return { from: `${grant.startDate}T00:00:00.000Z`, until: until.toISOString() };
}

/** The one renewal awaiting decisions, if any (the API allows one at a time). */
export const pendingRenewalOf = (grant: Pick<Grant, 'renewals'>): Renewal | null => grant.renewals.find((r) => r.state === 'pending') ?? null;

export type RenewalDecision = 'approve' | 'refuse' | 'consent' | 'decline';

/** The answers this reviewer may give to the renewal now: none when it awaits only someone else. */
export function renewalChoices(renewal: Renewal, reviewer: GrantReviewer): RenewalDecision[] {
  if (renewal.state !== 'pending') return [];
  if (reviewer === 'admin') return renewal.adminDecision === 'pending' ? ['approve', 'refuse'] : [];
  return renewal.providerConsent === 'pending' ? ['consent', 'decline'] : [];
}

/** What a pending renewal still waits for, in words. */
export function renewalWaitingFor(renewal: Renewal): string {
  const waiting: string[] = [];
  if (renewal.providerConsent === 'pending') waiting.push("the provider's consent");
  if (renewal.adminDecision === 'pending') waiting.push("a consortium admin's decision");
  if (renewal.state !== 'pending' || waiting.length === 0) return '';
  return `Awaiting ${waiting.join(' and ')}.`;
}

/** How much longer the renewal would make the grant, in days (negative if it shortens it). */
export const extensionDays = (renewal: Pick<Renewal, 'fromEndDate' | 'endDate'>): number | null => daysBetween(renewal.fromEndDate, renewal.endDate);

export const RENEWAL_DECISION_LABELS: Record<RenewalDecision, { label: string; hint: string }> = {
  approve: { label: 'Approve the renewal', hint: 'The end date moves once no consent is pending.' },
  refuse: { label: 'Refuse the renewal', hint: 'The grant keeps its end date. Say why.' },
  consent: { label: 'Consent to the renewal', hint: 'Your data stays available until the new end date, if the secretariat approves.' },
  decline: { label: 'Decline the renewal', hint: 'The grant keeps its end date. Say why.' },
};

/** The body of a renewal review before validation: a note only when one was written. */
export const renewalReviewBody = (decision: RenewalDecision | '', text: string): { decision: RenewalDecision | ''; text?: string } =>
  text.trim() ? { decision, text } : { decision };
