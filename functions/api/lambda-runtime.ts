import type { Notifier } from '../../shared/ports';
import { createTokenVerifier } from '../adapters/identity/token-verifier';
import { loadConfig } from '../config';
import { createApiApp } from './http/app';
import { createPlatform } from './platform';

/**
 * The cold start of every API Lambda: configuration parsed (failing fast), clients built once,
 * Cognito access tokens verified with the pool's JWKS.
 */
export function lambdaRuntime(options: { eventBus?: (config: ReturnType<typeof loadConfig>) => Notifier | undefined } = {}) {
  const config = loadConfig();
  if (config.AUTH_MODE !== 'cognito') throw new Error('Lambda functions verify Cognito tokens: set AUTH_MODE=cognito');
  const verifier = createTokenVerifier({
    mode: 'cognito',
    userPoolId: config.COGNITO_USER_POOL_ID!,
    clientId: config.COGNITO_CLIENT_ID!,
  });
  const eventBus = options.eventBus?.(config);
  return { config, platform: createPlatform(config, verifier, undefined, { eventBus }), app: createApiApp() };
}
