import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { formatDateTime, userTimeZone } from '../lib/format';
import { agreementBanner, navigationFor } from '../lib/navigation';
import { ObligationsBanner, UnreadCount } from './member-status';

function AgreementBanner() {
  const { state } = useSession();
  if (state.status !== 'signed-in') return null;
  const banner = agreementBanner(state.me, formatDateTime);
  if (!banner) return null;
  return (
    <div className={`banner ${banner.tone}`} role="status">
      <p>
        {banner.message} <Link to="/agreement">Read and sign the agreement</Link>
      </p>
    </div>
  );
}

function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const { state } = useSession();
  if (state.status !== 'signed-in') {
    return (
      <ul className="nav-list">
        <li>
          <NavLink to="/public/datasets" onClick={onNavigate}>
            Public catalog
          </NavLink>
        </li>
        <li>
          <NavLink to="/public/projects" onClick={onNavigate}>
            Approved projects
          </NavLink>
        </li>
        <li>
          <NavLink to="/sign-in" onClick={onNavigate}>
            Sign in
          </NavLink>
        </li>
      </ul>
    );
  }
  return (
    <>
      {navigationFor(state.me).map((group) => (
        <div className="nav-group" key={group.label}>
          <p className="nav-group-label" id={`nav-${group.label}`}>
            {group.label}
          </p>
          <ul className="nav-list" aria-labelledby={`nav-${group.label}`}>
            {group.items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end onClick={onNavigate}>
                  {item.label}
                  {item.to === '/notifications' ? <UnreadCount /> : null}
                </NavLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}

function UserMenu() {
  const { state, signOut } = useSession();
  if (state.status !== 'signed-in') {
    return (
      <Link className="button secondary small" to="/sign-in">
        Sign in
      </Link>
    );
  }
  const { me } = state;
  return (
    <div className="user">
      <span className="user-name">
        {me.user.name}
        <span className="user-org">
          {me.organization.name} · {me.roles.join(', ')}
        </span>
      </span>
      <button type="button" className="secondary small" onClick={() => signOut()}>
        Sign out
      </button>
    </div>
  );
}

/** The frame of every page: header, navigation by role, the agreement banner, main content, footer. */
export function Layout({ children }: { children?: ReactNode }) {
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const previous = useRef(location.pathname);
  // A layout effect runs before the pages' own effects, so the new page already knows it was navigated to.
  useLayoutEffect(() => {
    // After the first page, a navigation moves focus to the new page's heading (see Page). Compared
    // with the previous path, not counted, so that React's development double-run changes nothing.
    if (previous.current !== location.pathname) {
      previous.current = location.pathname;
      document.body.dataset.navigated = 'true';
    }
    setMenuOpen(false);
  }, [location.pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            A
          </span>
          Accord
        </Link>
        <button
          type="button"
          className="menu-toggle secondary small"
          aria-expanded={menuOpen}
          aria-controls="site-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
          <UnreadCount />
        </button>
        <UserMenu />
      </header>
      <div className="body">
        <nav id="site-nav" className={`sidebar ${menuOpen ? 'open' : ''}`} aria-label="Main">
          <Navigation onNavigate={() => setMenuOpen(false)} />
        </nav>
        <main id="main" tabIndex={-1}>
          <AgreementBanner />
          <ObligationsBanner />
          {children ?? <Outlet />}
        </main>
      </div>
      <footer className="footer">
        <p>
          Times are shown in your time zone, {userTimeZone()}. · <a href="/docs">API reference</a> ·{' '}
          <Link to="/public/datasets">Public catalog</Link> · <Link to="/public/projects">Approved projects</Link>
        </p>
      </footer>
    </div>
  );
}
