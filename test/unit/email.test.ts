import { describe, expect, it } from 'vitest';
import { actionPath, EMAIL_TEMPLATES, PREFERENCES_PATH, renderDigestEmail, renderNoticeEmail, type EmailNotice, type EmailReader } from '../../shared/email-templates';
import { DEFAULT_EMAIL_PREFERENCES, EMAIL_CATEGORY_OF, EmailPreferencesSchema, emailFrequencyFor } from '../../shared/schemas/email-preferences';
import { NOTIFICATION_KINDS } from '../../shared/schemas/notification';
import type { DigestEntry, MailDelivery, MailStore, OutgoingEmail } from '../../shared/ports';
import { SesMailSender } from '../../functions/adapters/mail/ses-sender';
import { mailNotices, retryDelayMs, MAX_MAIL_ATTEMPTS } from '../../functions/mail/mailer';
import { noticeFromEvent } from '../../functions/mail/notice-event';
import { parseMail } from '../../functions/local/mime';

const BASE = 'https://accord.example';
const reader = (over: Partial<EmailReader> = {}): EmailReader => ({ name: 'Ana', consortiumAdmin: false, memberOrg: true, providerOrg: false, ...over });
const notice = (over: Partial<EmailNotice> = {}): EmailNotice => ({
  kind: 'grant_issued',
  at: '2026-06-10T09:00:00.000Z',
  title: 'Access granted to Freight flows',
  text: 'Your grant runs until 2026-12-31.',
  subject: { type: 'grant', id: 'g-1' },
  ...over,
});

describe('email templates, as data', () => {
  it.each(NOTIFICATION_KINDS)('has a subject line, an action and a category for %s', (kind) => {
    expect(EMAIL_TEMPLATES[kind].what.length).toBeGreaterThan(3);
    expect(EMAIL_TEMPLATES[kind].action.length).toBeGreaterThan(3);
    expect(['reviews', 'grants', 'obligations', 'news', 'security']).toContain(EMAIL_CATEGORY_OF[kind]);
  });

  it('says in the subject what happened to what, and links to the reader\'s page and the preferences, in both parts', () => {
    const email = renderNoticeEmail(notice(), reader(), BASE);

    expect(email.subject).toBe('Accord: Access granted to Freight flows');
    expect(email.text).toContain(`Open the grant: ${BASE}/grants/g-1`);
    expect(email.text).toContain(`${BASE}${PREFERENCES_PATH}`);
    expect(email.html).toContain(`href="${BASE}/grants/g-1"`);
    expect(email.html).toContain(`href="${BASE}${PREFERENCES_PATH}"`);
  });

  it('says what happened once: the title when it says it, else the kind\'s words before it', () => {
    expect(renderNoticeEmail(notice(), reader(), BASE).text.split('\n')[2]).toBe('Access granted to Freight flows');
    expect(renderNoticeEmail(notice({ kind: 'grant_revoked', title: 'Access to Freight flows was revoked' }), reader(), BASE).subject).toBe('Accord: Grant revoked: Access to Freight flows was revoked');
  });

  it('escapes every value it puts in the HTML part', () => {
    const email = renderNoticeEmail(notice({ title: '<script>alert(1)</script>', text: 'Tom & "Jerry"', subject: { type: 'grant', id: 'a"b' } }), reader({ name: '<b>Eve</b>' }), BASE);

    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>Eve</b>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('Tom &amp; &quot;Jerry&quot;');
    expect(email.html).toContain(`href="${BASE}/grants/a%22b"`);
  });

  it('leads each reader to the page they act on', () => {
    const proposal = { type: 'proposal' as const, id: 'p-1' };
    expect(actionPath(proposal, reader({ consortiumAdmin: true }))).toBe('/admin/proposals/p-1');
    expect(actionPath(proposal, reader())).toBe('/proposals/p-1');
    expect(actionPath(proposal, reader({ memberOrg: false, providerOrg: true }))).toBe('/provider/reviews/p-1');
    expect(actionPath({ type: 'grant', id: 'g' }, reader({ memberOrg: false, providerOrg: true }))).toBe('/provider/grants/g');
    expect(actionPath({ type: 'grant', id: 'g' }, reader({ memberOrg: false }))).toBe('/notifications');
  });

  it('lists a day\'s notices in the digest, oldest first', () => {
    const later = notice({ at: '2026-06-10T15:00:00.000Z', title: 'Later' });
    const earlier = notice({ at: '2026-06-10T08:00:00.000Z', title: 'Earlier' });
    const digest = renderDigestEmail('2026-06-10', [later, earlier], reader(), BASE);

    expect(digest.subject).toBe('Your Accord digest for 2026-06-10: 2 notices');
    expect(digest.text.indexOf('Earlier')).toBeLessThan(digest.text.indexOf('Later'));
    expect(digest.html).toContain(`href="${BASE}${PREFERENCES_PATH}"`);
  });
});

describe('email preferences', () => {
  it('refuses obligations off, naming the field', () => {
    const parsed = EmailPreferencesSchema.safeParse({ ...DEFAULT_EMAIL_PREFERENCES, obligations: 'off' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['obligations']);
  });

  it('accepts every other category off and refuses unknown keys', () => {
    expect(EmailPreferencesSchema.safeParse({ reviews: 'off', grants: 'off', obligations: 'daily', news: 'off' }).success).toBe(true);
    expect(EmailPreferencesSchema.safeParse({ ...DEFAULT_EMAIL_PREFERENCES, security: 'off' }).success).toBe(false);
  });

  it('maps a notice to the frequency of its category', () => {
    const prefs = { reviews: 'off', grants: 'daily', obligations: 'immediately', news: 'off' } as const;
    expect(emailFrequencyFor('proposal_submitted', prefs)).toBe('off');
    expect(emailFrequencyFor('grant_revoked', prefs)).toBe('daily');
    expect(emailFrequencyFor('obligation_overdue', prefs)).toBe('immediately');
  });

  it('never lets a stored "off" silence obligations', () => {
    expect(emailFrequencyFor('obligation_due', { ...DEFAULT_EMAIL_PREFERENCES, obligations: 'off' })).toBe('immediately');
  });
});

describe('retries', () => {
  it('waits 1, 4, 16 minutes and so on, at most 6 hours, and gives up after 8 attempts', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 4, 16, 64, 256, 360, 360]);
    expect(MAX_MAIL_ATTEMPTS).toBe(8);
  });
});

/** A mail store in memory: enough to drive the mailer without DynamoDB. */
function memoryStore(): MailStore & { deliveries: Map<string, MailDelivery> } {
  const deliveries = new Map<string, MailDelivery>();
  const digests: DigestEntry[] = [];
  return {
    deliveries,
    preferences: async () => null,
    savePreferences: async () => undefined,
    claim: async (d, lease) => {
      if (deliveries.has(d.deliveryKey)) return false;
      deliveries.set(d.deliveryKey, { ...d, state: 'sending', attempts: 1, nextAttemptAt: lease, lastError: null });
      return true;
    },
    reclaim: async () => true,
    markSent: async (key) => void deliveries.set(key, { ...deliveries.get(key)!, state: 'sent', nextAttemptAt: null }),
    markFailed: async (key, attempts, error, next) => void deliveries.set(key, { ...deliveries.get(key)!, state: next ? 'failed' : 'abandoned', attempts, lastError: error, nextAttemptAt: next }),
    due: async () => [],
    get: async (key) => deliveries.get(key) ?? null,
    addToDigest: async (_day, entry) => void digests.push(entry),
    digest: async () => digests,
  };
}

describe('the SES sender', () => {
  it('sends text and HTML through the configuration set, from the configured sender', async () => {
    const sent: any[] = [];
    const sender = new SesMailSender('Accord <no-reply@accord.example>', 'accord-mail', 'eu-west-1', { send: async (c) => void sent.push(c.input) });
    const email: OutgoingEmail = { to: 'ana@andes.example', subject: 'S', text: 'T', html: '<p>H</p>', deliveryKey: 'k' };

    await sender.send(email);

    expect(sent[0]).toMatchObject({
      FromEmailAddress: 'Accord <no-reply@accord.example>',
      ConfigurationSetName: 'accord-mail',
      Destination: { ToAddresses: ['ana@andes.example'] },
      Content: { Simple: { Subject: { Data: 'S' }, Body: { Text: { Data: 'T' }, Html: { Data: '<p>H</p>' } } } },
    });
  });

  it('has a throttled send recorded by the mailer with its next attempt, not lost', async () => {
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' });
    const sender = new SesMailSender('a@accord.example', 'set', 'eu-west-1', { send: async () => Promise.reject(throttled) });
    const store = memoryStore();
    const user = { id: 'u1', email: 'ana@andes.example', name: 'Ana', orgId: 'o1', roles: ['member' as const], createdAt: '' };
    const deps = {
      organizations: { list: async () => ({ items: [], nextCursor: null }), listMembers: async () => [user], get: async () => null, membership: async () => null },
      mail: store,
      sender,
      clock: { now: () => new Date('2026-06-10T09:00:00Z') },
      baseUrl: BASE,
    };

    const report = await mailNotices(deps as never, [{ ...notice(), audience: { orgIds: ['o1'] } }]);

    expect(report.failed).toBe(1);
    const [delivery] = [...store.deliveries.values()];
    expect(delivery).toMatchObject({ state: 'failed', attempts: 1, nextAttemptAt: '2026-06-10T09:01:00.000Z' });
    expect(delivery!.lastError).toBe('TooManyRequestsException: Maximum sending rate exceeded.');
  });
});

describe('a domain event as the mailer reads it', () => {
  it('keeps the notice\'s own time, to the millisecond', () => {
    const event = { id: 'e', 'detail-type': 'grant_issued', time: '2026-06-10T09:00:00Z', detail: { at: '2026-06-10T09:00:00.123Z', title: 't', text: 'x', subject: { type: 'grant' as const, id: 'g' }, audience: { orgIds: ['o'] } } };
    expect(noticeFromEvent(event)).toMatchObject({ kind: 'grant_issued', at: '2026-06-10T09:00:00.123Z' });
    expect(noticeFromEvent({ ...event, 'detail-type': 'something_else' })).toBeNull();
  });
});

describe('the local inbox\'s MIME reader', () => {
  it('reads a quoted-printable multipart message with an encoded subject', () => {
    const raw = [
      'From: Accord <no-reply@accord.local>',
      'To: ana@andes.example',
      'Subject: =?UTF-8?Q?Acc=C3=A8s_accord=C3=A9?=',
      'Content-Type: multipart/alternative; boundary="--b1"',
      '',
      '----b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=C3=A9 =',
      'ouvert',
      '----b1',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>Café</p>').toString('base64'),
      '----b1--',
      '',
    ].join('\r\n');

    const mail = parseMail(raw);

    expect(mail.subject).toBe('Accès accordé');
    expect(mail.text).toBe('Café ouvert');
    expect(mail.html).toBe('<p>Café</p>');
  });
});
