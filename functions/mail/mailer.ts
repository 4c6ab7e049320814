import { createHash } from 'node:crypto';
import { renderDigestEmail, renderNoticeEmail, type EmailNotice, type EmailReader } from '../../shared/email-templates';
import type { Clock, DomainNotice, MailDelivery, MailSender, MailStore, Notifier, OrganizationRepository } from '../../shared/ports';
import { DEFAULT_EMAIL_PREFERENCES, emailFrequencyFor } from '../../shared/schemas/email-preferences';
import type { Organization, User } from '../../shared/schemas/organization';
import { NoticeAudience } from '../notifications/audience';

/** What the mailer needs. */
export interface MailerDeps {
  readonly organizations: Pick<OrganizationRepository, 'listMembers' | 'list' | 'get' | 'membership'>;
  readonly mail: MailStore;
  readonly sender: MailSender;
  readonly clock: Clock;
  /** The site's public address, from which every link in an email is built (PUBLIC_BASE_URL). */
  readonly baseUrl: string;
  /** Shared with the inbox notifier where both run, so the secretariat is looked up once. */
  readonly audience?: NoticeAudience;
}

/** What one run did, for logs and tests. */
export interface MailReport {
  sent: number;
  failed: number;
  /** Already delivered (or being delivered) under the same key: nothing sent again. */
  duplicates: number;
  /** Turned off by the recipient's preference. */
  suppressed: number;
  /** Kept for the recipient's daily digest. */
  digested: number;
}

/** After this many attempts a delivery is given up (state `abandoned`, logged as an error). */
export const MAX_MAIL_ATTEMPTS = 8;
/** A delivery being sent is retried when it is still `sending` this long after: its worker died. */
export const SENDING_LEASE_MS = 10 * 60_000;

/** The wait before attempt `attempts + 1`: 1, 4, 16, 64 minutes…, at most 6 hours. */
export const retryDelayMs = (attempts: number): number => Math.min(60_000 * 4 ** (attempts - 1), 6 * 3_600_000);

/**
 * A notice's stable key: the same notice handed over twice (a retried event, a retried notify)
 * has the same key, so its emails are not sent twice.
 */
export const noticeKey = (notice: Pick<DomainNotice, 'kind' | 'at' | 'subject' | 'title'>): string =>
  createHash('sha256').update(JSON.stringify([notice.kind, notice.at, notice.subject.type, notice.subject.id, notice.title])).digest('hex').slice(0, 32);

/** The UTC day of an ISO time, the digest a notice belongs to. */
export const digestDay = (at: string): string => at.slice(0, 10);

const emptyReport = (): MailReport => ({ sent: 0, failed: 0, duplicates: 0, suppressed: 0, digested: 0 });

const reader = (user: Pick<User, 'name' | 'roles'>, kinds: readonly string[]): EmailReader => ({
  name: user.name,
  consortiumAdmin: user.roles.includes('consortium-admin'),
  memberOrg: kinds.includes('member'),
  providerOrg: kinds.includes('provider'),
});

const log = (level: 'info' | 'error', message: string, fields: Record<string, unknown>) =>
  console[level === 'error' ? 'error' : 'log'](JSON.stringify({ level, message, ...fields }));

/** One attempt at a claimed delivery; a failure is recorded with the next attempt's time, never thrown. */
async function attempt(deps: Pick<MailerDeps, 'mail' | 'sender' | 'clock'>, delivery: Omit<MailDelivery, 'state' | 'nextAttemptAt' | 'lastError'>, report: MailReport): Promise<void> {
  try {
    await deps.sender.send(delivery);
    await deps.mail.markSent(delivery.deliveryKey, delivery.attempts, deps.clock.now().toISOString());
    report.sent += 1;
  } catch (error) {
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    const next = delivery.attempts >= MAX_MAIL_ATTEMPTS ? null : new Date(deps.clock.now().getTime() + retryDelayMs(delivery.attempts)).toISOString();
    await deps.mail.markFailed(delivery.deliveryKey, delivery.attempts, reason, next);
    log('error', next ? 'email not sent; will retry' : 'email not sent; given up', { deliveryKey: delivery.deliveryKey, attempts: delivery.attempts, nextAttemptAt: next, reason });
    report.failed += 1;
  }
}

/** Claims the delivery key and sends; a key claimed before sends nothing. */
async function deliverOnce(deps: MailerDeps, delivery: Omit<MailDelivery, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError'>, report: MailReport): Promise<void> {
  const lease = new Date(deps.clock.now().getTime() + SENDING_LEASE_MS).toISOString();
  if (!(await deps.mail.claim(delivery, lease))) {
    report.duplicates += 1;
    return;
  }
  await attempt(deps, { ...delivery, attempts: 1 }, report);
}

/**
 * Emails each notice to the people it concerns (the inbox's audience), each as their preference
 * for its category says: at once, kept for the daily digest, or not at all (obligations and
 * security notices are always sent). One email per notice and person, whatever the retries.
 */
export async function mailNotices(deps: MailerDeps, notices: readonly DomainNotice[]): Promise<MailReport> {
  const report = emptyReport();
  const audience = deps.audience ?? new NoticeAudience(deps.organizations);
  const kinds = new Map<string, Promise<Organization | null>>();
  const kindsOf = async (orgId: string) => {
    if (!kinds.has(orgId)) kinds.set(orgId, deps.organizations.get(orgId));
    return (await kinds.get(orgId))?.kinds ?? [];
  };
  for (const notice of notices) {
    const key = noticeKey(notice);
    const recipients = await audience.recipients(notice);
    await Promise.all(
      recipients.map(async (user) => {
        const preferences = (await deps.mail.preferences(user.id)) ?? DEFAULT_EMAIL_PREFERENCES;
        const frequency = emailFrequencyFor(notice.kind, preferences);
        if (frequency === 'off') {
          report.suppressed += 1;
          return;
        }
        const content: EmailNotice = { kind: notice.kind, at: notice.at, title: notice.title, text: notice.text, subject: notice.subject };
        if (frequency === 'daily') {
          await deps.mail.addToDigest(digestDay(notice.at), { userId: user.id, noticeKey: key, notice: content });
          report.digested += 1;
          return;
        }
        const email = renderNoticeEmail(content, reader(user, await kindsOf(user.orgId)), deps.baseUrl);
        await deliverOnce(deps, { deliveryKey: `${key}#${user.id}`, userId: user.id, to: user.email, ...email }, report);
      }),
    );
  }
  return report;
}

/** Tries again every failed (or stuck) delivery that is due; a job runs it on a schedule. */
export async function retryDueMail(deps: Pick<MailerDeps, 'mail' | 'sender' | 'clock'>, options: { limit?: number } = {}): Promise<MailReport> {
  const report = emptyReport();
  const now = deps.clock.now();
  const due = await deps.mail.due(now.toISOString(), options.limit ?? 50);
  for (const delivery of due) {
    const lease = new Date(now.getTime() + SENDING_LEASE_MS).toISOString();
    if (!(await deps.mail.reclaim(delivery, lease))) {
      report.duplicates += 1;
      continue;
    }
    await attempt(deps, { ...delivery, attempts: delivery.attempts + 1 }, report);
  }
  return report;
}

/**
 * Sends each user with notices kept for `day` (YYYY-MM-DD, UTC) one digest of them, under the
 * delivery key of that day and user: running it twice for a day sends nothing more.
 */
export async function sendDailyDigests(deps: MailerDeps, day: string): Promise<MailReport> {
  const report = emptyReport();
  const byUser = new Map<string, EmailNotice[]>();
  for (const entry of await deps.mail.digest(day)) byUser.set(entry.userId, [...(byUser.get(entry.userId) ?? []), entry.notice]);
  for (const [userId, notices] of byUser) {
    const membership = await deps.organizations.membership(userId);
    if (!membership) continue; // the user left; nobody to write to
    const email = renderDigestEmail(day, notices, reader(membership.user, membership.organization.kinds), deps.baseUrl);
    await deliverOnce(deps, { deliveryKey: `DIGEST#${day}#${userId}`, userId, to: membership.user.email, ...email }, report);
  }
  return report;
}

/** The mailer as a notifier: beside the inbox locally, the domain bus's consumer deployed. */
export class EmailNotifier implements Notifier {
  constructor(private readonly deps: MailerDeps) {}

  async notify(notices: readonly DomainNotice[]): Promise<void> {
    await mailNotices(this.deps, notices);
  }
}
