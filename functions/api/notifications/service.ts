import { NotFoundError } from '../../../shared/errors';
import type { NotificationInbox } from '../../../shared/ports';
import type { Caller } from '../../../shared/roles';

export interface NotificationDeps {
  readonly inbox: NotificationInbox;
}

/** The caller's own inbox, newest first, with the unread count: one round trip. */
export const listNotifications = (deps: NotificationDeps, caller: Caller, query: { limit: number; cursor?: string }) =>
  deps.inbox.list(caller.userId, query);

/** Marks one of the caller's notifications read; another user's is as unknown as a missing one. */
export async function markNotificationRead(deps: NotificationDeps, caller: Caller, notificationId: string): Promise<{ id: string; read: true }> {
  if (!(await deps.inbox.markRead(caller.userId, notificationId))) throw new NotFoundError('Notification');
  return { id: notificationId, read: true };
}
