import { retryDueMail, sendDailyDigests, type MailerDeps, type MailReport } from './mailer';

/** The UTC day before `now`, YYYY-MM-DD. */
export const previousDay = (now: Date): string => new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);

/**
 * One run of the scheduled mail work: due retries first, then yesterday's digests (sent once per
 * day and user whatever the number of runs, by their delivery keys).
 */
export async function runMailJobs(deps: MailerDeps): Promise<{ retries: MailReport; digests: MailReport }> {
  const retries = await retryDueMail(deps);
  const digests = await sendDailyDigests(deps, previousDay(deps.clock.now()));
  return { retries, digests };
}
