import type { NotificationKind } from './notification';
import * as z from './zod';

/** What a user can choose for: reviews and consents; grants and downloads; obligations; consortium news. */
export const EMAIL_CATEGORIES = ['reviews', 'grants', 'obligations', 'news'] as const;
export type EmailCategory = (typeof EMAIL_CATEGORIES)[number];

export const EMAIL_FREQUENCIES = ['immediately', 'daily', 'off'] as const;
export type EmailFrequency = (typeof EMAIL_FREQUENCIES)[number];

/** Categories whose mail cannot be turned off (a daily digest is allowed). */
export const MANDATORY_EMAIL_CATEGORIES: readonly EmailCategory[] = ['obligations'];

/**
 * The category each notice kind's email belongs to. `security` (removal, suspension) is no
 * category: it is always sent at once. Typed over every kind, so a new kind must be placed here.
 */
export const EMAIL_CATEGORY_OF: Readonly<Record<NotificationKind, EmailCategory | 'security'>> = {
  proposal_submitted: 'reviews',
  proposal_decided: 'reviews',
  grant_issued: 'grants',
  grant_expiring: 'grants',
  grant_expired: 'grants',
  grant_revoked: 'grants',
  grant_team_changed: 'grants',
  renewal_requested: 'grants',
  renewal_decided: 'grants',
  obligation_due: 'obligations',
  obligation_overdue: 'obligations',
  consent_reminder: 'reviews',
  consent_overdue: 'reviews',
  agreement_published: 'news',
  proposal_question: 'reviews',
  proposal_answer: 'reviews',
  organization_suspended: 'security',
  organization_reinstated: 'security',
};

export const EmailPreferencesSchema = z.lazy(() =>
  z
    .strictObject({
      reviews: z.enum(EMAIL_FREQUENCIES),
      grants: z.enum(EMAIL_FREQUENCIES),
      obligations: z.enum(EMAIL_FREQUENCIES),
      news: z.enum(EMAIL_FREQUENCIES),
    })
    .check(
      z.superRefine((p, ctx) => {
        for (const category of MANDATORY_EMAIL_CATEGORIES) {
          if (p[category] === 'off') ctx.addIssue({ code: 'custom', path: [category], message: `${category} emails cannot be turned off; choose immediately or daily` });
        }
      }),
    ),
);
export type EmailPreferences = z.infer<typeof EmailPreferencesSchema>;

/** What a user who never chose gets. */
export const DEFAULT_EMAIL_PREFERENCES: EmailPreferences = { reviews: 'immediately', grants: 'immediately', obligations: 'immediately', news: 'immediately' };

/** How a notice of `kind` reaches a user with these preferences. */
export function emailFrequencyFor(kind: NotificationKind, preferences: EmailPreferences): EmailFrequency {
  const category = EMAIL_CATEGORY_OF[kind];
  if (category === 'security') return 'immediately';
  const chosen = preferences[category];
  return chosen === 'off' && MANDATORY_EMAIL_CATEGORIES.includes(category) ? 'immediately' : chosen;
}
