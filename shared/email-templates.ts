import type { NotificationKind } from './schemas/notification';

/**
 * The emails Accord sends, as data: per notice kind, what the subject says happened and the
 * call to action; rendered in plain text and HTML (every interpolated value HTML-escaped).
 * No I/O: the mailer (functions/mail/) resolves recipients and links and sends.
 */

/** What an email is about: a notice as the mailer hands it to a template. */
export interface EmailNotice {
  readonly kind: NotificationKind;
  readonly at: string;
  readonly title: string;
  readonly text: string;
  readonly subject: { readonly type: 'proposal' | 'grant' | 'agreement' | 'organization'; readonly id: string };
}

/** Who reads it, as far as the links depend on it. */
export interface EmailReader {
  readonly name: string;
  readonly consortiumAdmin: boolean;
  readonly memberOrg: boolean;
  readonly providerOrg: boolean;
}

/** A rendered email. */
export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

interface KindTemplate {
  /** What happened, in a few words, before the notice's own title. */
  readonly what: string;
  /** The button's words. */
  readonly action: string;
}

export const EMAIL_TEMPLATES: Readonly<Record<NotificationKind, KindTemplate>> = {
  proposal_submitted: { what: 'Proposal submitted', action: 'Review the proposal' },
  proposal_decided: { what: 'Proposal decided', action: 'See the decision' },
  grant_issued: { what: 'Access granted', action: 'Open the grant' },
  grant_expiring: { what: 'Grant ending soon', action: 'Open the grant' },
  grant_expired: { what: 'Grant ended', action: 'Close the grant' },
  grant_revoked: { what: 'Grant revoked', action: 'Open the grant' },
  grant_team_changed: { what: 'Grant team changed', action: 'Open the grant' },
  renewal_requested: { what: 'Renewal requested', action: 'Review the renewal' },
  renewal_decided: { what: 'Renewal decided', action: 'Open the grant' },
  obligation_due: { what: 'Obligation due', action: 'Fulfil the obligation' },
  obligation_overdue: { what: 'Obligation overdue', action: 'Fulfil the obligation' },
  consent_reminder: { what: 'Consent awaited', action: 'Answer the proposal' },
  consent_overdue: { what: 'Consent window closed', action: 'Decide about the consent' },
  agreement_published: { what: 'New agreement version', action: 'Read and sign it' },
  proposal_question: { what: 'A reviewer asks a question', action: 'Answer the question' },
  proposal_answer: { what: 'The applicants answered', action: 'Read the answer' },
  organization_suspended: { what: 'Organisation suspended', action: 'See your organisation' },
  organization_reinstated: { what: 'Organisation reinstated', action: 'See your organisation' },
};

/** The path of the page where this reader acts on the notice's subject (the web app's routes). */
export function actionPath(subject: EmailNotice['subject'], reader: Omit<EmailReader, 'name'>): string {
  const id = encodeURIComponent(subject.id);
  // An agreement version: the page where its org-admins read and sign it.
  if (subject.type === 'agreement') return '/agreement';
  if (subject.type === 'organization') return '/organization';
  if (subject.type === 'proposal') {
    if (reader.consortiumAdmin) return `/admin/proposals/${id}`;
    if (reader.memberOrg) return `/proposals/${id}`;
    if (reader.providerOrg) return `/provider/reviews/${id}`;
    return '/notifications';
  }
  if (reader.consortiumAdmin) return `/admin/grants/${id}`;
  if (reader.memberOrg) return `/grants/${id}`;
  if (reader.providerOrg) return `/provider/grants/${id}`;
  return '/notifications';
}

/** The web app's page of email preferences. */
export const PREFERENCES_PATH = '/settings/email';

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const joinUrl = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path}`;

const htmlPage = (title: string, body: string, preferencesUrl: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;max-width:36rem">` +
  body +
  `<hr><p style="font-size:13px;color:#555">You receive this because of your Accord email preferences. ` +
  `<a href="${escapeHtml(preferencesUrl)}">Change your email preferences</a>.</p></body></html>`;

/**
 * What happened to what, once: a notice's title when it already names its thing first ("Proposal
 * approved: …", "Access granted to …"), else prefixed with its kind's words ("Grant revoked:
 * Access to … was revoked").
 */
export const headline = (notice: Pick<EmailNotice, 'kind' | 'title'>): string => {
  const what = EMAIL_TEMPLATES[notice.kind].what;
  const thing = what.split(' ')[0]!.toLowerCase();
  return notice.title.toLowerCase().startsWith(`${thing} `) ? notice.title : `${what}: ${notice.title}`;
};

/** One notice's email to one reader. `baseUrl`: the site's public address (PUBLIC_BASE_URL). */
export function renderNoticeEmail(notice: EmailNotice, reader: EmailReader, baseUrl: string): EmailContent {
  const template = EMAIL_TEMPLATES[notice.kind];
  const link = joinUrl(baseUrl, actionPath(notice.subject, reader));
  const preferences = joinUrl(baseUrl, PREFERENCES_PATH);
  const subject = `Accord: ${headline(notice)}`;
  const text = [
    `Hello ${reader.name},`,
    '',
    headline(notice),
    '',
    notice.text,
    '',
    `${template.action}: ${link}`,
    '',
    '--',
    `Change your email preferences: ${preferences}`,
    '',
  ].join('\n');
  const html = htmlPage(
    subject,
    `<p>Hello ${escapeHtml(reader.name)},</p><h1 style="font-size:20px">${escapeHtml(headline(notice))}</h1>` +
      `<p>${escapeHtml(notice.text)}</p>` +
      `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:.5rem 1rem;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(template.action)}</a></p>`,
    preferences,
  );
  return { subject, text, html };
}

/** One day's digest of notices to one reader, oldest first. */
export function renderDigestEmail(day: string, notices: readonly EmailNotice[], reader: EmailReader, baseUrl: string): EmailContent {
  const preferences = joinUrl(baseUrl, PREFERENCES_PATH);
  const items = [...notices].sort((a, b) => a.at.localeCompare(b.at)).map((n) => ({ notice: n, link: joinUrl(baseUrl, actionPath(n.subject, reader)), title: headline(n) }));
  const subject = `Your Accord digest for ${day}: ${notices.length} ${notices.length === 1 ? 'notice' : 'notices'}`;
  const text = [
    `Hello ${reader.name},`,
    '',
    `What happened in Accord on ${day}:`,
    '',
    ...items.flatMap(({ notice, link, title }) => [`* ${title}`, `  ${notice.text}`, `  ${link}`, '']),
    '--',
    `Change your email preferences: ${preferences}`,
    '',
  ].join('\n');
  const html = htmlPage(
    subject,
    `<p>Hello ${escapeHtml(reader.name)},</p><h1 style="font-size:20px">What happened in Accord on ${escapeHtml(day)}</h1><ul>` +
      items.map(({ notice, link, title }) => `<li><p><a href="${escapeHtml(link)}">${escapeHtml(title)}</a><br>${escapeHtml(notice.text)}</p></li>`).join('') +
      '</ul>',
    preferences,
  );
  return { subject, text, html };
}
