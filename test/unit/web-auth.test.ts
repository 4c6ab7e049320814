import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../web/src/auth/config';
import { authorizeUrl, beginSignIn, codeChallenge, completeSignIn, exchangeCode, logoutUrl, randomUrlSafe, refreshAccessToken } from '../../web/src/auth/pkce';
import { clearToken, expiryOf, readRefreshToken, readToken, tokenExpiresAt, writeRefreshToken, writeToken } from '../../web/src/auth/token-store';

/** sessionStorage as a plain map. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
}

const config = { cognitoDomain: 'accord.auth.eu-west-1.amazoncognito.com', clientId: 'client123', redirectUri: 'https://accord.example/auth/callback' };

const jsonResponse = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' }, ...init });

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636’s example verifier', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes URL-safe random verifiers of the minimum length or more', () => {
    const verifier = randomUrlSafe();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomUrlSafe()).not.toBe(verifier);
  });

  it('sends the browser to the hosted UI with the code flow, S256 challenge and state', () => {
    const url = new URL(authorizeUrl(config, 'challenge', 'state-1'));
    expect(url.origin + url.pathname).toBe('https://accord.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://accord.example/auth/callback',
      scope: 'openid email',
      code_challenge_method: 'S256',
      code_challenge: 'challenge',
      state: 'state-1',
    });
    expect(logoutUrl(config, 'https://accord.example/')).toBe(
      'https://accord.auth.eu-west-1.amazoncognito.com/logout?client_id=client123&logout_uri=https%3A%2F%2Faccord.example%2F',
    );
  });

  it('exchanges the code with the verifier by a form POST, never in a URL', async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return jsonResponse({ access_token: 'at', id_token: 'it', expires_in: 600 });
    }) as typeof fetch;
    const tokens = await exchangeCode(config, 'code-1', 'verifier-1', 1_000, fetchImpl);
    expect(tokens).toEqual({ accessToken: 'at', expiresAt: 601_000 });
    expect(requests[0]!.url).toBe('https://accord.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.init.body as string))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client123',
      code: 'code-1',
      redirect_uri: 'https://accord.example/auth/callback',
      code_verifier: 'verifier-1',
    });
  });

  it('completes a sign-in it started, and refuses a callback whose state is not ours', async () => {
    const storage = memoryStorage();
    const url = new URL(await beginSignIn(config, '/proposals', storage));
    const state = url.searchParams.get('state')!;
    const fetchImpl = (async () => jsonResponse({ access_token: 'at', expires_in: 60 })) as unknown as typeof fetch;
    const done = await completeSignIn(config, `?code=abc&state=${state}`, storage, fetchImpl);
    expect(done).toMatchObject({ accessToken: 'at', returnTo: '/proposals' });

    await beginSignIn(config, '/', storage);
    await expect(completeSignIn(config, '?code=abc&state=forged', storage, fetchImpl)).rejects.toThrow(/not the one we started/);
    // The verifier is single-use: a replayed callback fails too.
    await expect(completeSignIn(config, `?code=abc&state=${state}`, storage, fetchImpl)).rejects.toThrow();
  });
});

describe('the auth configuration', () => {
  it('is local when /config.json is not there (the server answers index.html)', async () => {
    const fetchImpl = (async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } })) as unknown as typeof fetch;
    expect(await loadAuthConfig(fetchImpl)).toEqual({ mode: 'local', apiBaseUrl: '' });
  });

  it('is Cognito when /config.json names the hosted UI', async () => {
    const fetchImpl = (async () => jsonResponse({ ...config, apiBaseUrl: 'https://api.accord.example/' })) as unknown as typeof fetch;
    expect(await loadAuthConfig(fetchImpl)).toEqual({ mode: 'cognito', ...config, apiBaseUrl: 'https://api.accord.example' });
  });

  it('falls back to local on a config it cannot use', async () => {
    const fetchImpl = (async () => jsonResponse({ clientId: 'x' })) as unknown as typeof fetch;
    expect((await loadAuthConfig(fetchImpl)).mode).toBe('local');
  });
});

describe('the token store', () => {
  const jwt = (exp: number) => `h.${Buffer.from(JSON.stringify({ sub: 'u', exp })).toString('base64url')}.s`;

  it('keeps a token until its expiry, then forgets it', () => {
    const storage = memoryStorage();
    const token = jwt(2_000);
    writeToken(token, expiryOf(token), storage);
    expect(readToken(storage, 1_999_000)).toBe(token);
    expect(readToken(storage, 2_000_000)).toBeNull();
    expect(storage.length).toBe(0);
  });

  it('forgets a token on sign-out and survives garbage', () => {
    const storage = memoryStorage();
    writeToken('opaque', null, storage);
    expect(readToken(storage)).toBe('opaque');
    clearToken(storage);
    expect(readToken(storage)).toBeNull();
    storage.setItem('accord.session', '{not json');
    expect(readToken(storage)).toBeNull();
    expect(expiryOf('not-a-jwt')).toBeNull();
  });

  it('keeps the refresh token beside the access token, and forgets both on sign-out', () => {
    const storage = memoryStorage();
    writeToken('at', 5_000, storage);
    writeRefreshToken('rt', storage);
    expect({ refresh: readRefreshToken(storage), expiresAt: tokenExpiresAt(storage) }).toEqual({ refresh: 'rt', expiresAt: 5_000 });
    clearToken(storage);
    expect({ refresh: readRefreshToken(storage), expiresAt: tokenExpiresAt(storage) }).toEqual({ refresh: null, expiresAt: null });
  });
});

describe('refreshing the 15-minute access token', () => {
  it('keeps the refresh token the code exchange returns', async () => {
    const fetchImpl = (async () => jsonResponse({ access_token: 'at', refresh_token: 'rt', expires_in: 900 })) as unknown as typeof fetch;
    expect(await exchangeCode(config, 'code-1', 'verifier-1', 0, fetchImpl)).toEqual({ accessToken: 'at', expiresAt: 900_000, refreshToken: 'rt' });
  });

  it('posts the refresh token as a form to the token endpoint, never in a URL', async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return jsonResponse({ access_token: 'at2', expires_in: 900 });
    }) as typeof fetch;
    expect(await refreshAccessToken(config, 'rt', 1_000, fetchImpl)).toEqual({ accessToken: 'at2', expiresAt: 901_000 });
    expect(requests[0]!.url).toBe('https://accord.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.init.body as string))).toEqual({ grant_type: 'refresh_token', client_id: 'client123', refresh_token: 'rt' });
  });

  it('fails when Cognito refuses a revoked refresh token (a removed member\'s)', async () => {
    const fetchImpl = (async () => jsonResponse({ error: 'invalid_grant' }, { status: 400 })) as unknown as typeof fetch;
    await expect(refreshAccessToken(config, 'revoked', 0, fetchImpl)).rejects.toThrow('invalid_grant');
  });
});
