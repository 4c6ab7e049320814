import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { MeResponse } from '../../../shared/schemas/identity';
import { ApiError, configureApi } from '../api/client';
import { api } from '../api/endpoints';
import { loadAuthConfig, type AuthConfig } from './config';
import { beginSignIn, completeSignIn, logoutUrl, refreshAccessToken } from './pkce';
import { clearToken, readRefreshToken, readToken, tokenExpiresAt, writeRefreshToken, writeToken } from './token-store';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly notice: string | null }
  | { readonly status: 'signed-in'; readonly me: MeResponse }
  | { readonly status: 'error'; readonly error: ApiError };

export interface Session {
  readonly state: SessionState;
  readonly config: AuthConfig | null;
  /** Local mode: a token from the local issuer for a seeded user. */
  signInLocal(email: string): Promise<void>;
  /** Deployed mode: off to the Cognito hosted UI. */
  signInHosted(returnTo: string): Promise<void>;
  /** Deployed mode: the redirect back with `?code=&state=`; returns where to go next. */
  completeHosted(search: string): Promise<string>;
  signOut(notice?: string): void;
  /** Reads /v1/me again (after signing the agreement, for instance). */
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Holds who is signed in: the token in sessionStorage, and /v1/me, which decides the navigation. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const configRef = useRef<AuthConfig | null>(null);

  const loadMe = useCallback(async () => {
    if (!readToken()) {
      setState({ status: 'signed-out', notice: null });
      return;
    }
    try {
      setState({ status: 'signed-in', me: await api.me() });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404)) {
        clearToken();
        setState({ status: 'signed-out', notice: error.status === 401 ? 'Your session has ended. Sign in again.' : error.message });
      } else {
        setState({ status: 'error', error: error instanceof ApiError ? error : new ApiError(0, 'unknown', String(error)) });
      }
    }
  }, []);

  useEffect(() => {
    configureApi({
      token: () => readToken(),
      onUnauthorized: (notice) => {
        clearToken();
        setState({ status: 'signed-out', notice: notice ?? 'Your session has ended. Sign in again.' });
      },
    });
    void loadAuthConfig().then((loaded) => {
      configRef.current = loaded;
      configureApi({ baseUrl: loaded.apiBaseUrl });
      setConfig(loaded);
      void loadMe();
    });
  }, [loadMe]);

  // Deployed, access tokens live 15 minutes: refresh one in its last two minutes. A refresh
  // Cognito refuses (a removed member's, after global sign-out) leaves the token to expire, and
  // the next request's 401 or 403 signs the user out.
  useEffect(() => {
    if (state.status !== 'signed-in' || config?.mode !== 'cognito') return;
    const timer = setInterval(() => {
      const refreshToken = readRefreshToken();
      const expiresAt = tokenExpiresAt();
      if (!refreshToken || expiresAt === null || expiresAt - Date.now() > 120_000) return;
      void refreshAccessToken(config, refreshToken).then(
        (tokens) => writeToken(tokens.accessToken, tokens.expiresAt),
        () => undefined,
      );
    }, 30_000);
    return () => clearInterval(timer);
  }, [state.status, config]);

  const signOut = useCallback((notice?: string) => {
    clearToken();
    setState({ status: 'signed-out', notice: notice ?? null });
    const current = configRef.current;
    if (current?.mode === 'cognito') window.location.assign(logoutUrl(current, window.location.origin + '/'));
  }, []);

  const session = useMemo<Session>(
    () => ({
      state,
      config,
      async signInLocal(email) {
        const { accessToken } = await api.localToken(email);
        writeToken(accessToken);
        await loadMe();
      },
      async signInHosted(returnTo) {
        const current = configRef.current;
        if (current?.mode !== 'cognito') throw new Error('Hosted sign-in is not configured');
        window.location.assign(await beginSignIn(current, returnTo));
      },
      async completeHosted(search) {
        const current = configRef.current;
        if (current?.mode !== 'cognito') throw new Error('Hosted sign-in is not configured');
        const tokens = await completeSignIn(current, search);
        writeToken(tokens.accessToken, tokens.expiresAt);
        if (tokens.refreshToken) writeRefreshToken(tokens.refreshToken);
        await loadMe();
        return tokens.returnTo;
      },
      signOut,
      refresh: loadMe,
    }),
    [state, config, loadMe, signOut],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in caller; only for pages behind the sign-in guard. */
export function useMe(): MeResponse {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe on a page that does not require sign-in');
  return state.me;
}
