import * as z from './zod';

export const NOTIFICATION_KINDS = [
  'proposal_submitted',
  'proposal_decided',
  'grant_issued',
  'grant_expiring',
  'grant_expired',
  'grant_revoked',
  'grant_team_changed',
  'renewal_requested',
  'renewal_decided',
  'obligation_due',
  'obligation_overdue',
  'consent_reminder',
  'consent_overdue',
  'agreement_published',
  'proposal_question',
  'proposal_answer',
  'organization_suspended',
  'organization_reinstated',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Notification ids sort by time: `<ISO time>_<random>`. */
export const NotificationIdSchema = z.lazy(() => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[0-9a-f-]{36}$/, 'a notification id')));

export const NotificationSchema = z.lazy(() => z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  at: z.string(),
  title: z.string(),
  text: z.string(),
  /** What the notification is about, for a link. */
  subject: z.object({ type: z.enum(['proposal', 'grant', 'agreement', 'organization']), id: z.string() }),
  read: z.boolean(),
}));
export type Notification = z.infer<typeof NotificationSchema>;

export const NotificationListSchema = z.lazy(() => z.object({
  items: z.array(NotificationSchema),
  unread: z.int(),
  nextCursor: z.nullable(z.string()),
}));

export const NotificationQuerySchema = z.lazy(() => z.strictObject({
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
}));
