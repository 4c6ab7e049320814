import * as z from '../../../shared/schemas/zod';

/**
 * How users sign in. Deployed, the hosting writes `/config.json` beside index.html naming the
 * Cognito hosted UI; locally there is no such file (the server answers index.html instead) and
 * the app signs in through the local token issuer.
 */
export const DeployedConfigSchema = z.object({
  cognitoDomain: z.string().check(z.minLength(3)),
  clientId: z.string().check(z.minLength(1)),
  redirectUri: z.url(),
  /** Where the API is, when not on the web app's own origin. @default the web app's origin */
  apiBaseUrl: z.optional(z.url()),
  /** Scopes asked of the hosted UI. @default "openid email" */
  scope: z.optional(z.string()),
});
export type DeployedConfig = z.infer<typeof DeployedConfigSchema>;

export type AuthConfig = { readonly mode: 'local'; readonly apiBaseUrl: '' } | ({ readonly mode: 'cognito'; readonly apiBaseUrl: string } & DeployedConfig);

const LOCAL: AuthConfig = { mode: 'local', apiBaseUrl: '' };

/** Reads `/config.json`; anything but a valid JSON config there means local mode. */
export async function loadAuthConfig(fetchImpl: typeof fetch = fetch): Promise<AuthConfig> {
  try {
    const response = await fetchImpl('/config.json', { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return LOCAL;
    const parsed = DeployedConfigSchema.safeParse(await response.json());
    if (!parsed.success) return LOCAL;
    return { mode: 'cognito', ...parsed.data, apiBaseUrl: (parsed.data.apiBaseUrl ?? '').replace(/\/$/, '') };
  } catch {
    return LOCAL;
  }
}

/** `https://` in front of a bare Cognito domain, nothing when it already has a scheme. */
export const cognitoOrigin = (domain: string): string => (/^https?:\/\//.test(domain) ? domain : `https://${domain}`).replace(/\/$/, '');
