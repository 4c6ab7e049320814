import { actionPath } from '../../../shared/email-templates';
import type { MeResponse } from '../../../shared/schemas/identity';
import type { Notification } from '../../../shared/schemas/notification';
import { isAdmin, isMemberOrg, isProviderOrg } from './navigation';

/**
 * Where a notification leads: the page of its proposal or grant that this reader has. Admins
 * review both; a member organisation holds grants and authors proposals; a provider reviews
 * proposals that ask for its data and watches the grants on it.
 */
export function notificationLink(notification: Pick<Notification, 'subject'>, me: MeResponse): string | null {
  // The same rule as the link in each notice's email (shared/email-templates.ts).
  const path = actionPath(notification.subject, { consortiumAdmin: isAdmin(me), memberOrg: isMemberOrg(me), providerOrg: isProviderOrg(me) });
  return path === '/notifications' ? null : path;
}

/** The unread count as the header shows it: none, a number, or "99+". */
export const unreadLabel = (unread: number): string | null => (unread <= 0 ? null : unread > 99 ? '99+' : String(unread));
