import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/** The `iss` of every local token; the local verifier accepts only this. */
export const LOCAL_ISSUER = 'https://accord.local/issuer';
/** The `aud` of every local token; the local verifier accepts only this. */
export const LOCAL_AUDIENCE = 'accord-local';

const ALGORITHM = 'RS256';
const KEY_FILE = 'issuer-key.json';
const DEFAULT_EXPIRES_IN_SECONDS = 60 * 60;

/** Options for {@link loadOrCreateIssuer}. */
export interface LocalIssuerOptions {
  /**
   * Directory holding `issuer-key.json`, so tokens stay valid across restarts of `npm start`.
   * @default undefined (a fresh key in memory, gone when the process ends)
   */
  readonly dataDir?: string;
}

/**
 * Stands in for Cognito on one machine: signs access tokens that the same aws-jwt-verify code
 * checks against {@link LocalIssuer.jwks}. Local only; never bundled into a Lambda.
 */
export interface LocalIssuer {
  /** The `iss` claim, {@link LOCAL_ISSUER}. */
  readonly issuer: string;
  /** The `aud` claim, {@link LOCAL_AUDIENCE}. */
  readonly audience: string;
  /** The public key set, for the verifier's `cacheJwks` or a `/.well-known/jwks.json` route. */
  readonly jwks: { keys: JWK[] };
  /**
   * Signs an access token carrying `sub`, `email`, `token_use: 'access'`, `iat` and `exp`,
   * with a `kid` header that names the key in {@link jwks}.
   * @param options.expiresInSeconds lifetime; default one hour.
   */
  sign(claims: { sub: string; email: string }, options?: { expiresInSeconds?: number }): Promise<string>;
}

/**
 * Loads the issuer's RS256 key from `<dataDir>/issuer-key.json`, creating it (mode 0600) on first
 * start, or makes an in-memory key when no dataDir is given.
 */
export async function loadOrCreateIssuer(options: LocalIssuerOptions = {}): Promise<LocalIssuer> {
  const privateJwk = options.dataDir === undefined ? await generatePrivateJwk() : await loadOrCreateKeyFile(options.dataDir);
  const kid = privateJwk.kid;
  if (kid === undefined) throw new Error('Issuer key has no kid');
  const privateKey = (await importJWK(privateJwk, ALGORITHM)) as CryptoKey;
  const publicJwk: JWK = { kty: privateJwk.kty, n: privateJwk.n, e: privateJwk.e, kid, alg: ALGORITHM, use: 'sig' };

  return {
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    jwks: { keys: [publicJwk] },
    async sign(claims, signOptions = {}) {
      const expiresIn = signOptions.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ email: claims.email, token_use: 'access' })
        .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject(claims.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + expiresIn)
        .sign(privateKey);
    },
  };
}

async function loadOrCreateKeyFile(dataDir: string): Promise<JWK> {
  const path = join(dataDir, KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing !== undefined) return existing;

  await mkdir(dataDir, { recursive: true });
  const created = await generatePrivateJwk();
  try {
    // 'wx' so that two processes starting at once agree on one key: the loser reads the winner's.
    await writeFile(path, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return created;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKeyFile(path);
    if (winner === undefined) throw new Error(`${path} vanished while it was being created`);
    return winner;
  }
}

async function readKeyFile(path: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const jwk = JSON.parse(text) as JWK;
  // A truncated or hand-edited file should fail loudly at start, not as 401s on every request.
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e || !jwk.d || !jwk.kid) {
    throw new Error(`${path} is not an RSA private JWK with a kid; delete it to make a new key`);
  }
  return jwk;
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  // The thumbprint is stable for the key, so a kid never needs to be stored separately.
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ALGORITHM };
}
