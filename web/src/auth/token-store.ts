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
