import { Link, Navigate } from 'react-router';
import { useSession } from '../../auth/session';
import { Loading, Page } from '../../components/ui';
import { homeFor } from '../../lib/navigation';

/** Signed in: the caller's own start page. Signed out: what Accord is, and the public pages. */
export function HomePage() {
  const { state } = useSession();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'signed-in') return <Navigate to={homeFor(state.me)} replace />;
  return (
    <Page title="Accord data consortium">
      <p className="lead">
        Companies list proprietary datasets under one common data agreement. Member organisations — development banks, NGOs, public
        bodies — sign it once, then ask for data for a stated public purpose. Every approval is time-limited and audited.
      </p>
      <div className="cards two">
        <section className="card">
          <h2>Browse the catalog</h2>
          <p>What data the consortium's providers offer, with full public metadata. No sign-in needed.</p>
          <Link className="button" to="/public/datasets">
            Public catalog
          </Link>
        </section>
        <section className="card">
          <h2>Members and providers</h2>
          <p>Sign in to list datasets, sign the agreement, propose projects or review them.</p>
          <Link className="button" to="/sign-in">
            Sign in
          </Link>
        </section>
      </div>
      <p>
        See also the <Link to="/public/projects">register of approved projects</Link> and the <a href="/docs">API reference</a>.
      </p>
    </Page>
  );
}
