import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Notification } from '../../../../shared/schemas/notification';
import { api } from '../../api/endpoints';
import { useMe } from '../../auth/session';
import { Pager, useCursorPages } from '../../components/catalog-search';
import { useUserStatus } from '../../components/member-status';
import { Async, Badge, DateTime, Empty, ErrorState, Page, useAsync } from '../../components/ui';
import { notificationLink } from '../../lib/notifications';

function NotificationItem({ item, onRead }: { item: Notification; onRead: (item: Notification) => Promise<void> }) {
  const me = useMe();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { refreshUnread } = useUserStatus();
  const link = notificationLink(item, me);
  // Opening a notification reads it: marked on the way out, the count read again once that landed.
  const openAndMark = () => {
    if (!item.read) void api.readNotification(item.id).then(refreshUnread, () => undefined);
  };
  const markRead = async () => {
    setBusy(true);
    setError(null);
    try {
      await onRead(item);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={`card notification ${item.read ? 'read' : 'unread'}`}>
      <h2 className="notification-title">
        {item.read ? null : <Badge value="pending" label="Unread" />}
        {link ? (
          <Link to={link} onClick={openAndMark}>
            {item.title}
          </Link>
        ) : (
          item.title
        )}
      </h2>
      <p className="muted small">
        <DateTime iso={item.at} />
      </p>
      <p>{item.text}</p>
      {item.read ? null : (
        <button type="button" className="secondary small" disabled={busy} onClick={() => void markRead()} aria-label={`Mark as read: ${item.title}`}>
          {busy ? 'Marking…' : 'Mark as read'}
        </button>
      )}
      {error ? <ErrorState error={error} title="It could not be marked read" /> : null}
    </li>
  );
}

/** The signed-in user's inbox (GET /v1/notifications), newest first; marking one read updates the count in the navigation. */
export function NotificationsPage() {
  const paging = useCursorPages('inbox');
  const inbox = useAsync(() => api.notifications({ cursor: paging.cursor }), [paging.cursor]);
  const { setUnread } = useUserStatus();
  const unread = inbox.status === 'ready' ? inbox.data.unread : null;
  useEffect(() => {
    if (unread !== null) setUnread(unread);
  }, [unread, setUnread]);

  const markRead = async (item: Notification) => {
    await api.readNotification(item.id);
    if (inbox.status !== 'ready') return;
    const items = inbox.data.items.map((n) => (n.id === item.id ? { ...n, read: true } : n));
    inbox.set({ ...inbox.data, items, unread: Math.max(0, inbox.data.unread - 1) });
    // Then the server's own count (another tab may have read others).
    inbox.reload();
  };

  return (
    <Page
      title="Notifications"
      intro={
        <p>
          Decisions, grants, expiry reminders and closure deadlines that concern you, newest first. They are emailed to you too: choose how in your{' '}
          <Link to="/settings/email">email preferences</Link>.
        </p>
      }
    >
      <Async state={inbox} label="Loading your notifications…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title={paging.page === 1 ? 'Nothing here yet.' : 'No older notifications.'}>
              <p>You will be told here when a proposal is decided, a grant is issued, renewed, revoked or about to end, and when a closure is due.</p>
            </Empty>
          ) : (
            <>
              <p role="status">{page.unread === 0 ? 'All read.' : `${page.unread} unread.`}</p>
              <ul className="notifications">
                {page.items.map((item) => (
                  <NotificationItem key={item.id} item={item} onRead={markRead} />
                ))}
              </ul>
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          )
        }
      </Async>
    </Page>
  );
}
