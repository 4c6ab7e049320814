import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../auth/session';
import { ErrorState, Loading, Page } from '../../components/ui';

/** Where the Cognito hosted UI sends the browser back with `?code=&state=` (deployed mode). */
export function AuthCallbackPage() {
  const session = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);

  useEffect(() => {
    if (!session.config || started.current) return;
    started.current = true;
    const search = window.location.search;
    // The code is single-use; drop it from the address bar and history at once.
    window.history.replaceState(null, '', '/auth/callback');
    session
      .completeHosted(search)
      .then((returnTo) => navigate(returnTo || '/', { replace: true }))
      .catch((failure: unknown) => setError(failure));
  }, [session, navigate]);

  return (
    <Page title="Signing you in">
      {error ? (
        <>
          <ErrorState error={error} title="Sign-in did not complete" />
          <p>
            <Link to="/sign-in">Sign in again</Link>
          </p>
        </>
      ) : (
        <Loading label="Finishing sign-in…" />
      )}
    </Page>
  );
}
