/**
 * The access token lives in sessionStorage: it survives a reload of the tab but not the tab
 * itself, is never written to a URL, and is dropped on sign-out or when the API rejects it.
 */
const KEY = 'accord.session';

interface Stored {
  readonly accessToken: string;
  /** Epoch ms; past it the token is treated as gone. */
  readonly expiresAt: number | null;
}

export function readToken(storage: Storage = sessionStorage, now: number = Date.now()): string | null {
  const raw = storage.getItem(KEY);
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as Stored;
    if (typeof stored.accessToken !== 'string') return null;
    if (stored.expiresAt !== null && stored.expiresAt <= now) {
      storage.removeItem(KEY);
      return null;
    }
    return stored.accessToken;
  } catch {
    storage.removeItem(KEY);
    return null;
  }
}

/** Stores a token; its expiry comes from the caller or, failing that, from the JWT's `exp`. */
export function writeToken(accessToken: string, expiresAt: number | null = expiryOf(accessToken), storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify({ accessToken, expiresAt } satisfies Stored));
}

export function clearToken(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
  storage.removeItem(REFRESH_KEY);
}

/** Cognito's refresh token, beside the access token in sessionStorage (same lifetime, same exposure). */
const REFRESH_KEY = 'accord.refresh';

export function writeRefreshToken(refreshToken: string, storage: Storage = sessionStorage): void {
  storage.setItem(REFRESH_KEY, refreshToken);
}

export function readRefreshToken(storage: Storage = sessionStorage): string | null {
  return storage.getItem(REFRESH_KEY);
}

/** When the stored access token expires (epoch ms); null when there is none or it has no expiry. */
export function tokenExpiresAt(storage: Storage = sessionStorage): number | null {
  try {
    return (JSON.parse(storage.getItem(KEY) ?? 'null') as Stored | null)?.expiresAt ?? null;
  } catch {
    return null;
  }
}

/** The `exp` claim of a JWT in epoch ms, or null when it has none. Not a verification: the server verifies. */
export function expiryOf(jwt: string): number | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : null;
  } catch {
    return null;
  }
}
