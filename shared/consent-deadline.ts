/**
 * When a provider must answer a consent, and what happens as that time comes: reminders on the
 * governance's days before it, then the admins are told and may extend it, drop the dataset or
 * record the provider's decision. Pure: the job and the review use case both decide by these.
 */

const DAY_MS = 86_400_000;

/** The default reminder days before a response window closes (governance `providerReminderDays`). */
export const DEFAULT_PROVIDER_REMINDER_DAYS: readonly number[] = [7, 2];

/** The moment a pending consent is due: its own extended deadline, else submission plus the response window. */
export function respondBy(consent: { readonly respondBy?: string | null }, submittedAt: string, responseDays: number): string {
  return consent.respondBy ?? new Date(Date.parse(submittedAt) + responseDays * DAY_MS).toISOString();
}

/** True once the window has closed. */
export const windowClosed = (deadline: string, now: Date): boolean => now.getTime() >= Date.parse(deadline);

/** The reminder (days before the deadline) due now and not yet sent, if any; none once the window closed. */
export function dueConsentReminder(deadline: string, sent: readonly number[], reminderDays: readonly number[], now: Date): number | null {
  const daysLeft = (Date.parse(deadline) - now.getTime()) / DAY_MS;
  if (daysLeft <= 0) return null;
  const due = reminderDays.filter((d) => daysLeft <= d && !sent.includes(d));
  return due.length ? Math.min(...due) : null;
}

/** The new deadline of an extension by `days`: counted from the old deadline, or from now if that has passed. */
export function extendedDeadline(deadline: string, days: number, now: Date): string {
  return new Date(Math.max(Date.parse(deadline), now.getTime()) + days * DAY_MS).toISOString();
}
