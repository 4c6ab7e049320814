import { ForbiddenError } from './errors';
import type { GrantState } from './schemas/grant';

const DAY_MS = 86_400_000;

/** A presigned download URL lives at most this long, and never past the grant's end. */
export const DOWNLOAD_URL_MAX_SECONDS = 300;

/** Reminders go out this many days before a grant ends. */
export const REMINDER_DAYS = [14, 3] as const;

/** Access starts at 00:00 UTC of the start date. */
export const grantStartsAt = (startDate: string): Date => new Date(`${startDate}T00:00:00.000Z`);

/** Access ends at the end of the end date (00:00 UTC of the day after), UTC. */
export const grantEndsAt = (endDate: string): Date => new Date(Date.parse(`${endDate}T00:00:00.000Z`) + DAY_MS);

/**
 * The state a grant is in now. An `active` grant past its end is `expired`, whatever the stored
 * item says: the lifecycle job and DynamoDB TTL may be late, the read never is.
 */
export function effectiveGrantState(grant: { readonly state: GrantState; readonly endDate: string }, now: Date): GrantState {
  if (grant.state === 'active' && now.getTime() >= grantEndsAt(grant.endDate).getTime()) return 'expired';
  return grant.state;
}

/** Throws the 403 that says why no download may be minted now; returns when one may. */
export function requireDownloadable(grant: { readonly state: GrantState; readonly startDate: string; readonly endDate: string }, now: Date): void {
  const state = effectiveGrantState(grant, now);
  if (state === 'revoked') throw new ForbiddenError('grant_revoked', 'This grant was revoked; no file can be downloaded under it');
  if (state === 'expired' || state === 'closed') {
    throw new ForbiddenError('grant_expired', `This grant ended on ${grant.endDate}; no file can be downloaded under it`, { endDate: grant.endDate });
  }
  if (now.getTime() < grantStartsAt(grant.startDate).getTime()) {
    throw new ForbiddenError('grant_not_started', `This grant starts on ${grant.startDate}`, { startDate: grant.startDate });
  }
}

/** Seconds a download URL minted `now` may live: five minutes, cut short by the grant's end. */
export function downloadLifetimeSeconds(endDate: string, now: Date): number {
  const left = Math.floor((grantEndsAt(endDate).getTime() - now.getTime()) / 1000);
  return Math.max(1, Math.min(DOWNLOAD_URL_MAX_SECONDS, left));
}

/** When closure obligations fall due: `closureDeadlineDays` after the grant ended or was revoked. */
export const obligationDueAt = (endedAt: Date, closureDeadlineDays: number): string =>
  new Date(endedAt.getTime() + closureDeadlineDays * DAY_MS).toISOString();

/** The reminder (days before the end) that is due now and not yet sent, if any. */
export function dueReminder(endDate: string, sent: readonly number[], now: Date): number | null {
  const daysLeft = (grantEndsAt(endDate).getTime() - now.getTime()) / DAY_MS;
  if (daysLeft <= 0) return null;
  const due = REMINDER_DAYS.filter((d) => daysLeft <= d && !sent.includes(d));
  return due.length ? Math.min(...due) : null;
}

/** A download's file name, chosen by the server: dataset, version, file. ASCII only. */
export function downloadName(datasetTitle: string, version: number, fileName: string): string {
  const slug = datasetTitle.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'dataset';
  return `${slug}-v${version}-${fileName.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
}

/**
 * The grant after its end (or revocation): stored as `state`, with its two closure obligations
 * opened, due `closureDeadlineDays` later. Obligations already opened are kept. Pure; ids injected.
 */
export function endGrant<G extends EndableGrant>(grant: G, state: 'expired' | 'revoked', endedAt: Date, closureDeadlineDays: number, newId: () => string): G {
  const dueAt = obligationDueAt(endedAt, closureDeadlineDays);
  const obligations =
    grant.obligations.length > 0
      ? grant.obligations
      : (['deletion_attestation', 'outcome_report'] as const).map((kind) => ({ id: newId(), kind, dueAt, state: 'open' as const, fulfilledAt: null }));
  return { ...grant, state, endedAt: endedAt.toISOString(), obligations };
}

export interface EndableGrant {
  readonly state: GrantState;
  readonly endedAt: string | null;
  readonly obligations: readonly { readonly id: string; readonly kind: 'deletion_attestation' | 'outcome_report'; readonly dueAt: string; readonly state: 'open' | 'fulfilled'; readonly fulfilledAt: string | null }[];
}
