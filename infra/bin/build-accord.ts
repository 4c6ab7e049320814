import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';
import { ApiStack } from '../stacks/api-stack';
import { DataStack } from '../stacks/data-stack';
import { IdentityStack } from '../stacks/identity-stack';
import { WebStack } from '../stacks/web-stack';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Options for {@link buildAccord} that are not deployment context. */
export interface BuildAccordOptions {
  /**
   * The built web app to deploy.
   * @default '<repository>/web/dist'
   */
  readonly webAssetsDir?: string;
}

/** A context value given once or as a comma-separated list (`-c webOrigin=https://a,https://b`). */
function listContext(app: App, key: string): string[] | undefined {
  const value = app.node.tryGetContext(key) as string | string[] | undefined;
  if (value === undefined || value === '') return undefined;
  const list = (Array.isArray(value) ? value : String(value).split(',')).map((v) => v.trim()).filter(Boolean);
  return list.length > 0 ? list : undefined;
}

/**
 * Adds every stack to `app`, split by lifecycle: data (retained), identity, API (changes with
 * the code), web. Unless `skipWebBuild` is set, the web app is built first so that a deploy
 * always ships the SPA that matches the API.
 *
 * Context values (`-c key=value`), all optional:
 * - `webOrigin`: the web app's origin(s). Narrows the dataset bucket's CORS (default `*`),
 *   sets the hosted UI's callback and sign-out URLs (default a localhost placeholder), and the
 *   first is the public address links are built from (`PUBLIC_BASE_URL`; unset: root-relative links). The
 *   CloudFront domain is the web stack's `SiteUrl` output after the first deploy.
 * - `callbackUrl`: callback URL(s), when not `<webOrigin>/auth/callback`.
 * - `domainPrefix`: the hosted UI's domain prefix (default `accord-<account>`).
 * - `mailFrom`: the sender of every email (default `Accord <no-reply@accord.example>`); its domain
 *   becomes the SES identity, to verify with the DNS records SES lists for it.
 * - `skipWebBuild`: do not run the web build (the tests, or a CI step that built it already).
 */
export async function buildAccord(app: App, options: BuildAccordOptions = {}) {
  const webAssetsDir = options.webAssetsDir ?? `${REPO_ROOT}web/dist`;
  if (!app.node.tryGetContext('skipWebBuild') && existsSync(`${REPO_ROOT}web/build.ts`)) {
    const { buildWeb } = (await import('../../web/build')) as { buildWeb: (o: { outdir: string; minify: boolean }) => Promise<void> };
    await buildWeb({ outdir: webAssetsDir, minify: true });
  }
  const webOrigins = listContext(app, 'webOrigin');
  const callbackUrls = listContext(app, 'callbackUrl');
  const domainPrefix = app.node.tryGetContext('domainPrefix') as string | undefined;

  const data = new DataStack(app, 'AccordData', { webOrigins });
  const identity = new IdentityStack(app, 'AccordIdentity', { webOrigins, callbackUrls, domainPrefix });
  const api = new ApiStack(app, 'AccordApi', {
    table: data.table,
    bucket: data.bucket,
    key: data.key,
    userPool: identity.userPool,
    client: identity.client,
    publicBaseUrl: webOrigins?.[0],
    mailFrom: (app.node.tryGetContext('mailFrom') as string | undefined) || undefined,
  });
  const web = new WebStack(app, 'AccordWeb', { api: api.api, client: identity.client, hostedUi: identity.domain, assetsDir: webAssetsDir, dataBucket: data.bucket });
  return { data, identity, api, web };
}
