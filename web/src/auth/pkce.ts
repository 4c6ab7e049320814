import { cognitoOrigin, type DeployedConfig } from './config';

/**
 * The OAuth 2.0 authorization-code flow with PKCE (RFC 7636) against the Cognito hosted UI.
 * The verifier and state live in sessionStorage between the redirect out and the redirect back;
 * the access token is exchanged by a POST and kept in sessionStorage, never in a URL.
 *
 * Not exercised against a real user pool here (no network): the pieces are unit-tested.
 */

const base64Url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** A random URL-safe string: 32 bytes give a 43-character verifier, the shortest RFC 7636 allows. */
export function randomUrlSafe(byteCount = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** `BASE64URL(SHA256(verifier))`, the S256 code challenge. */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function authorizeUrl(config: DeployedConfig, challenge: string, state: string): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scope ?? 'openid email',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  });
  return `${cognitoOrigin(config.cognitoDomain)}/oauth2/authorize?${params.toString()}`;
}

export function logoutUrl(config: DeployedConfig, logoutUri: string): string {
  const params = new URLSearchParams({ client_id: config.clientId, logout_uri: logoutUri });
  return `${cognitoOrigin(config.cognitoDomain)}/logout?${params.toString()}`;
}

export interface TokenSet {
  readonly accessToken: string;
  readonly expiresAt: number;
  /** Cognito's refresh token (the access token lives 15 minutes); absent when the endpoint sent none. */
  readonly refreshToken?: string;
}

type TokenEndpointBody = { access_token?: string; refresh_token?: string; expires_in?: number; error?: string };

async function postToTokenEndpoint(config: DeployedConfig, form: Record<string, string>, now: number, fetchImpl: typeof fetch): Promise<TokenSet> {
  const response = await fetchImpl(`${cognitoOrigin(config.cognitoDomain)}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as TokenEndpointBody;
  if (!response.ok || !body.access_token) {
    throw new Error(`Sign-in failed: ${body.error ?? `the token endpoint answered ${response.status}`}`);
  }
  return { accessToken: body.access_token, expiresAt: now + (body.expires_in ?? 3600) * 1000, ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}) };
}

/**
 * A fresh access token for a refresh token (a form POST, never in a URL). Fails once Cognito
 * revoked it: after a global sign-out (a removed member) or past its 12 hours.
 */
export function refreshAccessToken(config: DeployedConfig, refreshToken: string, now: number = Date.now(), fetchImpl: typeof fetch = fetch): Promise<TokenSet> {
  return postToTokenEndpoint(config, { grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken }, now, fetchImpl);
}

/** Exchanges the authorization code for tokens (a form POST to the token endpoint). */
export async function exchangeCode(
  config: DeployedConfig,
  code: string,
  verifier: string,
  now: number = Date.now(),
  fetchImpl: typeof fetch = fetch,
): Promise<TokenSet> {
  return postToTokenEndpoint(
    config,
    { grant_type: 'authorization_code', client_id: config.clientId, code, redirect_uri: config.redirectUri, code_verifier: verifier },
    now,
    fetchImpl,
  );
}

const PENDING_KEY = 'accord.pkce';

interface Pending {
  readonly verifier: string;
  readonly state: string;
  readonly returnTo: string;
}

/** Starts sign-in: remembers verifier and state, and returns the hosted UI's URL to go to. */
export async function beginSignIn(config: DeployedConfig, returnTo: string, storage: Storage = sessionStorage): Promise<string> {
  const pending: Pending = { verifier: randomUrlSafe(), state: randomUrlSafe(16), returnTo };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  return authorizeUrl(config, await codeChallenge(pending.verifier), pending.state);
}

/**
 * Finishes sign-in on the redirect back: checks `state` against the one we sent (a mismatch is
 * a forged or stale callback), exchanges the code, and forgets the verifier.
 */
export async function completeSignIn(
  config: DeployedConfig,
  search: string,
  storage: Storage = sessionStorage,
  fetchImpl: typeof fetch = fetch,
): Promise<TokenSet & { returnTo: string }> {
  const params = new URLSearchParams(search);
  const raw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (params.get('error')) throw new Error(`Sign-in was refused: ${params.get('error_description') ?? params.get('error')}`);
  const code = params.get('code');
  const pending = raw ? (JSON.parse(raw) as Pending) : null;
  if (!code || !pending || params.get('state') !== pending.state) {
    throw new Error('This sign-in link is not the one we started; sign in again.');
  }
  const tokens = await exchangeCode(config, code, pending.verifier, Date.now(), fetchImpl);
  return { ...tokens, returnTo: pending.returnTo };
}
