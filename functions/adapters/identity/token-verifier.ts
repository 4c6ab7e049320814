import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { UnauthorizedError } from '../../../shared/errors';

/** Who a verified access token speaks for. */
export interface VerifiedIdentity {
  /** The user's stable id at the identity provider (`sub`). */
  readonly sub: string;
  /** Present in local tokens; Cognito access tokens carry none. */
  readonly email?: string;
}

/** Checks a bearer token; built once per container, outside the handler. */
export interface TokenVerifier {
  /** Resolves to the caller's identity, or rejects with {@link UnauthorizedError}. */
  verify(token: string): Promise<VerifiedIdentity>;
}

/** `local`: tokens from the one-machine issuer, checked against its JWKS handed over in memory. */
export interface LocalTokenVerifierOptions {
  readonly mode: 'local';
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: { keys: unknown[] };
}

/** `cognito`: access tokens of the deployed user pool; its JWKS is fetched and cached by aws-jwt-verify. */
export interface CognitoTokenVerifierOptions {
  readonly mode: 'cognito';
  readonly userPoolId: string;
  readonly clientId: string;
}

// Never fetched: the JWKS is put in the cache up front and the local path verifies synchronously,
// which fails on an unknown kid instead of going to the network. `.invalid` cannot resolve anyway.
const UNUSED_JWKS_URI = 'https://local-issuer.invalid/.well-known/jwks.json';

/**
 * Builds the verifier for the configured identity provider. The same aws-jwt-verify code checks
 * signature, algorithm, issuer, audience and expiry in both modes; tokens without `exp` or `sub`
 * are refused too, since a token that never expires must never be accepted.
 */
export function createTokenVerifier(options: LocalTokenVerifierOptions | CognitoTokenVerifierOptions): TokenVerifier {
  const verifyPayload = options.mode === 'local' ? localVerification(options) : cognitoVerification(options);
  return {
    async verify(token) {
      let payload: JwtPayload;
      try {
        payload = await verifyPayload(token);
      } catch (error) {
        throw new UnauthorizedError(
          error instanceof JwtExpiredError ? 'The access token has expired' : 'The access token is invalid',
        );
      }
      return toIdentity(payload);
    },
  };
}

function localVerification(options: LocalTokenVerifierOptions): (token: string) => Promise<JwtPayload> {
  const verifier = JwtVerifier.create({
    issuer: options.issuer,
    audience: options.audience,
    jwksUri: UNUSED_JWKS_URI,
    customJwtCheck: ({ payload }) => {
      // Mirrors Cognito, whose verifier is told tokenUse 'access': an ID token is no bearer token.
      if (payload.token_use !== 'access') throw new Error('token_use is not access');
    },
  });
  // cacheJwks validates each key and throws on a malformed set: a misconfiguration fails at cold start.
  verifier.cacheJwks(options.jwks as Jwks);
  return async (token) => verifier.verifySync(token);
}

function cognitoVerification(options: CognitoTokenVerifierOptions): (token: string) => Promise<JwtPayload> {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: options.userPoolId,
    tokenUse: 'access',
    clientId: options.clientId,
  });
  return (token) => verifier.verify(token);
}

function toIdentity(payload: JwtPayload): VerifiedIdentity {
  if (typeof payload.exp !== 'number') throw new UnauthorizedError('The access token has no expiry');
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new UnauthorizedError('The access token has no subject');
  const email = payload['email'];
  return typeof email === 'string' ? { sub: payload.sub, email } : { sub: payload.sub };
}
