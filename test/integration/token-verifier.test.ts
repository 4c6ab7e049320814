import { describe, expect, it } from 'vitest';
import { SignJWT, base64url, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { createTokenVerifier } from '../../functions/adapters/identity/token-verifier';
import { loadOrCreateIssuer } from '../../functions/local/token-issuer';
import { UnauthorizedError } from '../../shared/errors';

// The verifier trusts the real local issuer's key and a second key the test holds, so each bad
// token below is well formed and correctly signed except for the one flaw it is named after.
const issuer = await loadOrCreateIssuer({});
const testKeys = await generateKeyPair('RS256', { extractable: true });
const TEST_KID = 'test-key';
const testPublicJwk = { ...(await exportJWK(testKeys.publicKey)), kid: TEST_KID, alg: 'RS256', use: 'sig' };
const verifier = createTokenVerifier({
  mode: 'local',
  issuer: issuer.issuer,
  audience: issuer.audience,
  jwks: { keys: [...issuer.jwks.keys, testPublicJwk] },
});

const now = (): number => Math.floor(Date.now() / 1000);

function validClaims(): JWTPayload {
  return {
    iss: issuer.issuer,
    aud: issuer.audience,
    sub: 'user-1',
    email: 'user-1@example.org',
    token_use: 'access',
    iat: now(),
    exp: now() + 300,
  };
}

function signWithTestKey(claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: TEST_KID, typ: 'JWT' }).sign(testKeys.privateKey);
}

function withoutExp(): JWTPayload {
  const { exp: _exp, ...claims } = validClaims();
  return claims;
}

describe('the token verifier in local mode', () => {
  it('accepts a token from the local issuer and returns its subject and email', async () => {
    const token = await issuer.sign({ sub: 'user-42', email: 'ada@example.org' });

    const identity = await verifier.verify(token);

    expect(identity).toEqual({ sub: 'user-42', email: 'ada@example.org' });
  });

  it('accepts a well-formed token signed with another trusted key, so the rejections below are specific', async () => {
    const token = await signWithTestKey(validClaims());

    await expect(verifier.verify(token)).resolves.toEqual({ sub: 'user-1', email: 'user-1@example.org' });
  });

  it('rejects a token without an expiry', async () => {
    const token = await signWithTestKey(withoutExp());

    await expect(verifier.verify(token)).rejects.toThrowError(new UnauthorizedError('The access token has no expiry'));
  });

  it('rejects an unsigned token (alg none)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', kid: TEST_KID, typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify(validClaims()));
    const token = `${header}.${payload}.`;

    await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('rejects an HS256 token whose HMAC secret is the public key', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(testPublicJwk));
    const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'HS256', kid: TEST_KID, typ: 'JWT' }).sign(secret);

    await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('rejects a token from another issuer', async () => {
    const token = await signWithTestKey({ ...validClaims(), iss: 'https://attacker.example/issuer' });

    await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('rejects a token for another audience', async () => {
    const token = await signWithTestKey({ ...validClaims(), aud: 'some-other-app' });

    await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('rejects an expired token and says it expired', async () => {
    const token = await signWithTestKey({ ...validClaims(), iat: now() - 7200, exp: now() - 3600 });

    await expect(verifier.verify(token)).rejects.toThrowError(new UnauthorizedError('The access token has expired'));
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await issuer.sign({ sub: 'user-42', email: 'ada@example.org' })).split('.');
    const forged = base64url.encode(JSON.stringify({ ...validClaims(), sub: 'admin' }));
    const token = `${header}.${forged}.${signature}`;

    await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('rejects a token signed with a key missing from the JWKS, without fetching anything', async () => {
    const stranger = await generateKeyPair('RS256');
    const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'RS256', kid: 'stranger' }).sign(stranger.privateKey);

    await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('rejects a token that is not an access token', async () => {
    const token = await signWithTestKey({ ...validClaims(), token_use: 'id' });

    await expect(verifier.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('rejects a garbage string', async () => {
    await expect(verifier.verify('not.a.jwt')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(verifier.verify('')).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
