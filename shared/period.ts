import { ValidationError } from './errors';

/**
 * A project's period (start and end dates, `YYYY-MM-DD`, UTC days): the limits submission and
 * renewal both apply, and the dates an approval issues grants for. One rule for both, so a
 * renewal can never reach what a submission could not.
 */

const DAY_MS = 86_400_000;

/** Today's UTC date, `YYYY-MM-DD`. */
export const todayOf = (now: Date): string => now.toISOString().slice(0, 10);

/** Days from start to end (the count a limit is compared with). */
export const periodDays = (startDate: string, endDate: string): number => (Date.parse(endDate) - Date.parse(startDate)) / DAY_MS;

/** The longest period allowed: the governance limit and every dataset's own `maxGrantDays`, whichever is least. */
export const periodLimitDays = (governanceMaxDays: number, datasetMaxDays: readonly number[]): number =>
  Math.min(governanceMaxDays, ...datasetMaxDays);

/** 400 on `field` when the period from `startDate` to `endDate` is longer than `limit` days. */
export function requirePeriodWithin(field: string, startDate: string, endDate: string, limit: number): void {
  const days = periodDays(startDate, endDate);
  if (days > limit) {
    throw new ValidationError(field, `The period would be ${days} days; the longest allowed for these datasets is ${limit} days`, { maxDays: limit });
  }
}

/** True when the period's last day is before today: nothing can be done with data under it any more. */
export const periodEnded = (endDate: string, now: Date): boolean => endDate < todayOf(now);

/** The day access starts: the proposal's start date, or today when that is already past (approved late). */
export const accessStartDate = (startDate: string, now: Date): string => (startDate < todayOf(now) ? todayOf(now) : startDate);
