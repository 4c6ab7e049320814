import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { EmailSchema } from '../../../../shared/schemas/common';
import { useSession } from '../../auth/session';
import { ErrorSummary, TextField } from '../../components/fields';
import { Loading, Notice, Page } from '../../components/ui';
import { errorsFromApi, FORM, validate, type FieldErrors } from '../../lib/forms';
import { homeFor } from '../../lib/navigation';
import * as z from '../../../../shared/schemas/zod';

/** The seeded demo consortium (functions/local/seed.ts); local sign-in only. */
export const DEMO_SIGN_INS = [
  { email: 'admin@secretariat.example', name: 'Sam Secretariat', who: 'Consortium admin, Accord Secretariat' },
  { email: 'data@northwind.example', name: 'Nora Northwind', who: 'Provider org-admin, Northwind Mobility' },
  { email: 'data@helios.example', name: 'Hugo Helios', who: 'Provider org-admin, Helios Telecom' },
  { email: 'analyst@andes-bank.example', name: 'Ana Andes', who: 'Member org-admin, Andes Development Bank (signed the agreement)' },
  { email: 'lead@civic-lab.example', name: 'Leo Civic', who: 'Member org-admin, Civic Data Lab (has not signed)' },
] as const;

const EmailFormSchema = z.object({ email: EmailSchema });

interface FromState {
  from?: string;
  notice?: string | null;
}

export function SignInPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as FromState | null)?.from;
  const notice = (location.state as FromState | null)?.notice ?? (session.state.status === 'signed-out' ? session.state.notice : null);
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [email, setEmail] = useState('');

  useEffect(() => {
    if (session.state.status === 'signed-in') void navigate(from ?? homeFor(session.state.me), { replace: true });
  }, [session.state, from, navigate]);

  if (!session.config || session.state.status === 'loading') {
    return (
      <Page title="Sign in">
        <Loading />
      </Page>
    );
  }

  const signIn = async (address: string) => {
    setBusy(address);
    setErrors({});
    try {
      await session.signInLocal(address);
    } catch (error) {
      setErrors(errorsFromApi(error, ['email']));
    } finally {
      setBusy(null);
    }
  };

  if (session.config.mode === 'cognito') {
    return (
      <Page title="Sign in">
        {notice ? <Notice tone="warning">{notice}</Notice> : null}
        <p>Sign in with the account your organisation was given. You will come back here afterwards.</p>
        <ErrorSummary errors={errors} />
        <button
          type="button"
          onClick={() => {
            setBusy('hosted');
            session.signInHosted(from ?? '/').catch((error: unknown) => {
              setBusy(null);
              setErrors({ [FORM]: error instanceof Error ? error.message : String(error) });
            });
          }}
          disabled={busy !== null}
        >
          {busy ? 'Opening sign-in…' : 'Sign in'}
        </button>
        <p>
          Or browse the <Link to="/public/datasets">public catalog</Link> without signing in.
        </p>
      </Page>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(EmailFormSchema, { email }, ['email']);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    void signIn(checked.value.email);
  };

  return (
    <Page
      title="Sign in"
      intro={
        <p>
          This is the local consortium: there are no passwords. Pick a demo user, and the local token issuer gives this tab a signed
          token for them. Deployed, sign-in goes through the organisation's Cognito user pool instead.
        </p>
      }
    >
      {notice ? <Notice tone="warning">{notice}</Notice> : null}
      <ErrorSummary errors={errors} />
      <h2>Demo users</h2>
      <ul className="sign-in-list">
        {DEMO_SIGN_INS.map((user) => (
          <li key={user.email}>
            <button type="button" className="sign-in-choice" onClick={() => void signIn(user.email)} disabled={busy !== null}>
              <span className="choice-name">Sign in as {user.name}</span>
              <span className="choice-detail">
                {user.email} · {user.who}
              </span>
            </button>
            {busy === user.email ? <Loading label="Signing in…" /> : null}
          </li>
        ))}
      </ul>
      <h2>Another user</h2>
      <p>Members added through "My organisation" can sign in here with their email.</p>
      <form onSubmit={submit} noValidate className="inline-form">
        <TextField name="email" label="Email" type="email" autoComplete="email" value={email} onChange={setEmail} error={errors.email} />
        <button type="submit" disabled={busy !== null}>
          Sign in
        </button>
      </form>
    </Page>
  );
}
