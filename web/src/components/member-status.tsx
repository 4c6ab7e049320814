import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { api } from '../api/endpoints';
import { useSession } from '../auth/session';
import { obligationsBanner, type ObligationsBannerContent } from '../lib/held-grants';
import { isMemberOrg } from '../lib/navigation';
import { unreadLabel } from '../lib/notifications';

/**
 * What the frame of every page shows about the signed-in user beyond /v1/me: the unread count of
 * their inbox (one GET /v1/notifications) and, for a member organisation, whether a closure
 * obligation is overdue (one GET /v1/grants?view=held). Pages that change either ask for a refresh.
 */
interface UserStatus {
  readonly unread: number | null;
  readonly obligations: ObligationsBannerContent | null;
  /** After marking notifications read, with the `unread` the inbox answered, or to read it again. */
  setUnread(unread: number): void;
  refreshUnread(): void;
  /** After a closure form was sent. */
  refreshObligations(): void;
}

const UserStatusContext = createContext<UserStatus>({
  unread: null,
  obligations: null,
  setUnread: () => undefined,
  refreshUnread: () => undefined,
  refreshObligations: () => undefined,
});

/** The largest page the API gives: the banner reads the organisation's latest grants in one request. */
const HELD_GRANTS_READ = 100;
const UNREAD_REFRESH_MS = 30_000;

export function UserStatusProvider({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const me = state.status === 'signed-in' ? state.me : null;
  const userId = me?.user.id ?? null;
  const member = me ? isMemberOrg(me) : false;
  const orgName = me?.organization.name ?? '';
  const [unread, setUnread] = useState<number | null>(null);
  const [obligations, setObligations] = useState<ObligationsBannerContent | null>(null);
  const [unreadRound, setUnreadRound] = useState(0);
  const [grantsRound, setGrantsRound] = useState(0);
  const { pathname } = useLocation();
  const lastRead = useRef(0);

  // New notifications arrive while the user moves around: read the count again on a navigation,
  // at most once in UNREAD_REFRESH_MS, so that browsing costs no more than a request now and then.
  useEffect(() => {
    if (userId && lastRead.current > 0 && Date.now() - lastRead.current > UNREAD_REFRESH_MS) setUnreadRound((r) => r + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new user is read by the effect below, not here
  }, [pathname]);

  useEffect(() => {
    if (!userId) return setUnread(null);
    let live = true;
    lastRead.current = Date.now();
    // A failure leaves the count out rather than showing a wrong one; the inbox page says what went wrong.
    api.notifications({ limit: 1 }).then(
      (list) => live && setUnread(list.unread),
      () => live && setUnread(null),
    );
    return () => {
      live = false;
    };
  }, [userId, unreadRound]);

  useEffect(() => {
    if (!userId || !member) return setObligations(null);
    let live = true;
    api.grants({ view: 'held', limit: HELD_GRANTS_READ }).then(
      (page) => live && setObligations(obligationsBanner(orgName, page.items)),
      () => live && setObligations(null),
    );
    return () => {
      live = false;
    };
  }, [userId, member, orgName, grantsRound]);

  const refreshUnread = useCallback(() => setUnreadRound((r) => r + 1), []);
  const refreshObligations = useCallback(() => setGrantsRound((r) => r + 1), []);
  const value = useMemo(() => ({ unread, obligations, setUnread, refreshUnread, refreshObligations }), [unread, obligations, refreshUnread, refreshObligations]);
  return <UserStatusContext.Provider value={value}>{children}</UserStatusContext.Provider>;
}

export const useUserStatus = (): UserStatus => useContext(UserStatusContext);

/** Beside the agreement banner: the closure obligations the organisation is late with, each grant linked. */
export function ObligationsBanner() {
  const { obligations } = useUserStatus();
  if (!obligations) return null;
  return (
    <div className="banner danger" role="status">
      <p>
        <strong>Closure overdue.</strong> {obligations.message}
      </p>
      <ul>
        {obligations.grants.map((g) => (
          <li key={g.grantId}>
            <Link to={`/grants/${g.grantId}`}>{g.label}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The unread count beside "Notifications"; the number is also said in words for screen readers. */
export function UnreadCount() {
  const { unread } = useUserStatus();
  const label = unreadLabel(unread ?? 0);
  if (!label) return null;
  return (
    <span className="count-badge" data-testid="unread-count">
      <span aria-hidden="true">{label}</span>
      <span className="visually-hidden">, {unread} unread</span>
    </span>
  );
}
