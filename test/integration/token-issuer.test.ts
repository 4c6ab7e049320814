import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createTokenVerifier } from '../../functions/adapters/identity/token-verifier';
import { loadOrCreateIssuer } from '../../functions/local/token-issuer';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-issuer-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the local token issuer', () => {
  it('signs access tokens with sub, email, token_use, iat, a one-hour exp and a kid from its JWKS', async () => {
    const issuer = await loadOrCreateIssuer({});

    const token = await issuer.sign({ sub: 'user-7', email: 'grace@example.org' });

    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: 'https://accord.local/issuer',
      aud: 'accord-local',
      sub: 'user-7',
      email: 'grace@example.org',
      token_use: 'access',
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: issuer.jwks.keys[0]?.kid });
  });

  it('publishes only public key material', async () => {
    const issuer = await loadOrCreateIssuer({});

    expect(Object.keys(issuer.jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('keeps its key in an owner-only file and reuses it on the next start', async () => {
    const dataDir = await tempDir();
    const first = await loadOrCreateIssuer({ dataDir });
    const token = await first.sign({ sub: 'user-7', email: 'grace@example.org' });

    const second = await loadOrCreateIssuer({ dataDir });

    expect((await stat(join(dataDir, 'issuer-key.json'))).mode & 0o777).toBe(0o600);
    expect(second.jwks).toEqual(first.jwks);
    const verifier = createTokenVerifier({ mode: 'local', issuer: second.issuer, audience: second.audience, jwks: second.jwks });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-7' });
  });

  it('makes a fresh in-memory key when given no data directory', async () => {
    const first = await loadOrCreateIssuer({});
    const second = await loadOrCreateIssuer({});

    expect(second.jwks.keys[0]?.kid).not.toBe(first.jwks.keys[0]?.kid);
  });
});
