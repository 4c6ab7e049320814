import * as z from 'zod';

export const NOTIFICATION_KINDS = [
  'proposal_submitted',
  'proposal_decided',
  'grant_issued',
  'grant_expiring',
  'grant_expired',
  'grant_revoked',
  'renewal_requested',
  'renewal_decided',
  'obligation_due',
  'obligation_overdue',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Notification ids sort by time: `<ISO time>_<random>`. */
export const NotificationIdSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[0-9a-f-]{36}$/, 'a notification id');

export const NotificationSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  at: z.string(),
  title: z.string(),
  text: z.string(),
  /** What the notification is about, for a link. */
  subject: z.object({ type: z.enum(['proposal', 'grant']), id: z.string() }),
  read: z.boolean(),
});
export type Notification = z.infer<typeof NotificationSchema>;

export const NotificationListSchema = z.object({
  items: z.array(NotificationSchema),
  unread: z.number().int(),
  nextCursor: z.string().nullable(),
});

export const NotificationQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});
