import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in Lambda bundles (an esbuild alias in
 * functions/lambda-entries.ts). On Lambda, credentials are always the execution role's, in
 * environment variables; the full default chain (SSO, INI files, IMDS, STS) would add ≈90 KB
 * of code that never runs, to every function's cold start.
 */
export const defaultProvider = () => fromEnv();
