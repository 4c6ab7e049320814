import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { DomainNotice } from '../../shared/ports';
import { SmtpMailSender } from '../../functions/adapters/mail/smtp-sender';
import { EmailNotifier, mailNotices, noticeKey, retryDueMail, sendDailyDigests, type MailerDeps } from '../../functions/mail/mailer';
import type { ReceivedMail } from '../../functions/local/mail-server';
import { catalogIds, proposalFields, submitProposal, TITLES } from '../support/proposal-flow';
import { createTestStack, TestClock, USERS, type TestStack } from '../support/stack';

// Every email goes through the real local SMTP server the global setup started, and is read
// back through its REST API. Other files share that server: each test looks only at the mail
// that names its own proposal (or notice) id.
const BASE = 'https://accord.test';
const period = { startDate: '2026-09-01', endDate: '2026-12-31' };
let stack: TestStack;
let mailer: MailerDeps;
let ids: Record<string, string>;
const clock = new TestClock(Date.parse('2026-06-10T09:00:00Z'));

/** Every message received for `address` whose text mentions `marker`. */
async function mailFor(address: string, marker: string): Promise<ReceivedMail[]> {
  const response = await fetch(`${inject('mailUrl')}/api/messages?to=${encodeURIComponent(address)}`);
  const all = (await response.json()) as ReceivedMail[];
  return all.filter((m) => (m.text ?? '').includes(marker));
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const orgIdOf = async (as: string) => (await stack.call('GET', '/v1/me', { as })).body.organization.id as string;

/** A notice about a made-up grant, to Andes, at the test clock's time. */
const grantNotice = (kind: DomainNotice['kind'], orgId: string, grantId: string): DomainNotice => ({
  kind,
  at: clock.now().toISOString(),
  title: `Notice about grant ${grantId}`,
  text: `Something happened to grant ${grantId}.`,
  subject: { type: 'grant', id: grantId },
  audience: { orgIds: [orgId] },
});

beforeAll(async () => {
  stack = await createTestStack({ clock, smtpUrl: inject('smtpUrl'), publicBaseUrl: BASE });
  mailer = stack.deps.mailer!;
  ids = await catalogIds(stack);
});

describe('email of a notice', () => {
  it('a submitted proposal emails its provider and the admins once each, with text and HTML and a link to where they act', async () => {
    const proposal = await submitProposal(stack, proposalFields([ids[TITLES.od]!], period));

    const provider = await mailFor(USERS.northwind, proposal.id);
    const admin = await mailFor(USERS.admin, proposal.id);
    expect(provider).toHaveLength(1);
    expect(admin).toHaveLength(1);
    expect(provider[0]!.subject).toBe('Accord: Proposal submitted: Commuting and heat exposure');
    expect(provider[0]!.text).toContain(`${BASE}/provider/reviews/${proposal.id}`);
    expect(provider[0]!.html).toContain(`href="${BASE}/provider/reviews/${proposal.id}"`);
    expect(admin[0]!.text).toContain(`${BASE}/admin/proposals/${proposal.id}`);
    expect(provider[0]!.text).toContain(`${BASE}/settings/email`);
    expect(provider[0]!.html).toContain(`href="${BASE}/settings/email"`);
  });

  it('a notice handed to the mailer again (a retried event) sends nothing twice', async () => {
    const andes = await orgIdOf(USERS.andes);
    const notice = grantNotice('grant_issued', andes, `retried-${Date.now()}`);

    const first = await mailNotices(mailer, [notice]);
    const again = await mailNotices(mailer, [notice]);
    await new EmailNotifier(mailer).notify([notice]);

    expect(first.sent).toBe(1);
    expect(again).toMatchObject({ sent: 0, duplicates: 1 });
    expect(await mailFor(USERS.andes, notice.subject.id)).toHaveLength(1);
    expect((await mailer.mail.get(`${noticeKey(notice)}#${(await stack.call('GET', '/v1/me', { as: USERS.andes })).body.user.id}`))?.state).toBe('sent');
  });
});

describe('preferences', () => {
  it('refuses to turn obligations off, naming the field', async () => {
    const response = await stack.call('PUT', '/v1/me/email-preferences', { as: USERS.civic, body: { reviews: 'off', grants: 'off', obligations: 'off', news: 'off' } });

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error.details)).toContain('obligations');
  });

  it('returns the defaults until the user chooses, then the choice', async () => {
    const before = await stack.call('GET', '/v1/me/email-preferences', { as: USERS.helios });
    const put = await stack.call('PUT', '/v1/me/email-preferences', { as: USERS.helios, body: { reviews: 'daily', grants: 'off', obligations: 'daily', news: 'immediately' } });
    const after = await stack.call('GET', '/v1/me/email-preferences', { as: USERS.helios });

    expect(before.body).toEqual({ reviews: 'immediately', grants: 'immediately', obligations: 'immediately', news: 'immediately' });
    expect(put.status).toBe(200);
    expect(after.body).toEqual({ reviews: 'daily', grants: 'off', obligations: 'daily', news: 'immediately' });
  });

  it('keeps each user\'s choice to themselves: another tenant\'s user still has the defaults', async () => {
    await stack.call('PUT', '/v1/me/email-preferences', { as: USERS.northwind, body: { reviews: 'off', grants: 'daily', obligations: 'daily', news: 'off' } });

    const foreign = await stack.call('GET', '/v1/me/email-preferences', { as: USERS.andes });

    expect(foreign.body).toEqual({ reviews: 'immediately', grants: 'immediately', obligations: 'immediately', news: 'immediately' });
    await stack.call('PUT', '/v1/me/email-preferences', { as: USERS.northwind, body: { reviews: 'immediately', grants: 'immediately', obligations: 'immediately', news: 'immediately' } });
  });

  it('off suppresses a category, but obligations are still emailed', async () => {
    const civic = await orgIdOf(USERS.civic);
    await stack.call('PUT', '/v1/me/email-preferences', { as: USERS.civic, body: { reviews: 'off', grants: 'off', obligations: 'immediately', news: 'off' } });
    const granted = grantNotice('grant_issued', civic, `off-${Date.now()}`);
    const due = grantNotice('obligation_due', civic, `due-${Date.now()}`);

    const report = await mailNotices(mailer, [granted, due]);

    expect(report).toMatchObject({ suppressed: 1, sent: 1 });
    expect(await mailFor(USERS.civic, granted.subject.id)).toHaveLength(0);
    expect(await mailFor(USERS.civic, due.subject.id)).toHaveLength(1);
  });

  it('daily keeps a notice for the digest, which is sent once for the day', async () => {
    const helios = await orgIdOf(USERS.helios);
    await stack.call('PUT', '/v1/me/email-preferences', { as: USERS.helios, body: { reviews: 'immediately', grants: 'daily', obligations: 'immediately', news: 'immediately' } });
    const notices = [grantNotice('grant_issued', helios, `daily-a-${Date.now()}`), grantNotice('grant_revoked', helios, `daily-b-${Date.now()}`)];

    const immediate = await mailNotices(mailer, notices);
    const sentAtOnce = await mailFor(USERS.helios, notices[0]!.subject.id);
    const day = clock.now().toISOString().slice(0, 10);
    const digest = await sendDailyDigests(mailer, day);
    const again = await sendDailyDigests(mailer, day);

    expect(immediate).toMatchObject({ sent: 0, digested: 2 });
    expect(sentAtOnce).toHaveLength(0);
    expect(digest.sent).toBe(1);
    expect(again).toMatchObject({ sent: 0, duplicates: 1 });
    const digests = await mailFor(USERS.helios, notices[1]!.subject.id);
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toBe(`Your Accord digest for ${day}: 2 notices`);
    expect(digests[0]!.text).toContain(notices[0]!.subject.id);
  });
});

describe('a failed delivery', () => {
  it('is recorded with its error and next attempt, and sent once when retried later', async () => {
    const andes = await orgIdOf(USERS.andes);
    const andesUser = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.user.id as string;
    const refusing = { ...mailer, sender: new SmtpMailSender(`smtp://127.0.0.1:${await closedPort()}`, 'Accord <no-reply@accord.test>') };
    const notice = grantNotice('grant_expiring', andes, `failing-${Date.now()}`);
    const key = `${noticeKey(notice)}#${andesUser}`;

    const failed = await mailNotices(refusing, [notice]);
    const record = await mailer.mail.get(key);
    const tooEarly = await retryDueMail(mailer);
    clock.set(clock.now().getTime() + 61_000);
    const retried = await retryDueMail(mailer);
    const twice = await retryDueMail(mailer);

    expect(failed.failed).toBe(1);
    expect(record).toMatchObject({ state: 'failed', attempts: 1 });
    expect(record!.lastError).toMatch(/ECONNREFUSED/);
    expect(Date.parse(record!.nextAttemptAt!) - Date.parse(notice.at)).toBe(60_000);
    expect(tooEarly.sent).toBe(0);
    expect(retried.sent).toBe(1);
    expect(twice.sent).toBe(0);
    expect(await mailer.mail.get(key)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await mailFor(USERS.andes, notice.subject.id)).toHaveLength(1);
  });

  it('is given up only after the last attempt, and kept as abandoned', async () => {
    const andes = await orgIdOf(USERS.andes);
    const andesUser = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.user.id as string;
    const refusing = { ...mailer, sender: new SmtpMailSender(`smtp://127.0.0.1:${await closedPort()}`, 'Accord <no-reply@accord.test>') };
    const notice = grantNotice('grant_expired', andes, `abandoned-${Date.now()}`);
    const key = `${noticeKey(notice)}#${andesUser}`;

    await mailNotices(refusing, [notice]);
    for (let i = 0; i < 10; i++) {
      clock.set(clock.now().getTime() + 7 * 3_600_000);
      await retryDueMail(refusing);
    }

    expect(await mailer.mail.get(key)).toMatchObject({ state: 'abandoned', attempts: 8 });
  });
});
