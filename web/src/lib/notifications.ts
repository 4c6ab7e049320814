import type { MeResponse } from '../../../shared/schemas/identity';
import type { Notification } from '../../../shared/schemas/notification';
import { isAdmin, isMemberOrg, isProviderOrg } from './navigation';

/**
 * Where a notification leads: the page of its proposal or grant that this reader has. Admins
 * review both; a member organisation holds grants and authors proposals; a provider reviews
 * proposals that ask for its data and watches the grants on it.
 */
export function notificationLink(notification: Pick<Notification, 'subject'>, me: MeResponse): string | null {
  const id = encodeURIComponent(notification.subject.id);
  if (notification.subject.type === 'proposal') {
    if (isAdmin(me)) return `/admin/proposals/${id}`;
    if (isMemberOrg(me)) return `/proposals/${id}`;
    if (isProviderOrg(me)) return `/provider/reviews/${id}`;
    return null;
  }
  if (isAdmin(me)) return `/admin/grants/${id}`;
  if (isMemberOrg(me)) return `/grants/${id}`;
  if (isProviderOrg(me)) return `/provider/grants/${id}`;
  return null;
}

/** The unread count as the header shows it: none, a number, or "99+". */
export const unreadLabel = (unread: number): string | null => (unread <= 0 ? null : unread > 99 ? '99+' : String(unread));
