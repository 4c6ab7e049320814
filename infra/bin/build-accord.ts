import type { App } from 'aws-cdk-lib';
import { existsSync } from 'node:fs';
import { ApiStack } from '../stacks/api-stack';
import { DataStack } from '../stacks/data-stack';
import { IdentityStack } from '../stacks/identity-stack';
import { WebStack } from '../stacks/web-stack';

/**
 * Builds the web app (for its static files) and adds every stack to `app`. Context values:
 * `webOrigin` (CORS origin for browser uploads), `callbackUrl` (Cognito hosted UI),
 * `domainPrefix` (hosted UI domain), `skipWebBuild`.
 */
export async function buildAccord(app: App) {
  if (!app.node.tryGetContext('skipWebBuild') && existsSync('web/build.ts')) {
    const { buildWeb } = (await import('../../web/build')) as { buildWeb: (o: { outdir: string; minify: boolean }) => Promise<void> };
    await buildWeb({ outdir: 'web/dist', minify: true });
  }
  const webOrigin = app.node.tryGetContext('webOrigin') as string | undefined;
  const callbackUrl = app.node.tryGetContext('callbackUrl') as string | undefined;
  const domainPrefix = app.node.tryGetContext('domainPrefix') as string | undefined;

  const data = new DataStack(app, 'AccordData', { webOrigins: webOrigin ? [webOrigin] : undefined });
  const identity = new IdentityStack(app, 'AccordIdentity', { callbackUrls: callbackUrl ? [callbackUrl] : undefined, domainPrefix });
  const api = new ApiStack(app, 'AccordApi', {
    table: data.table,
    bucket: data.bucket,
    key: data.key,
    userPool: identity.userPool,
    client: identity.client,
  });
  const web = new WebStack(app, 'AccordWeb', { api: api.api });
  return { data, identity, api, web };
}
