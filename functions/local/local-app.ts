import * as z from '../../shared/schemas/zod';
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import type { Clock } from '../../shared/ports';
import { EmailSchema } from '../../shared/schemas/common';
import { systemClock } from '../adapters/crypto';
import { createTokenVerifier } from '../adapters/identity/token-verifier';
import { S3ObjectStore } from '../adapters/s3/object-store';
import type { Config } from '../config';
import { verifyUpload, type VerificationResult } from '../uploads/verify-upload';
import { registerAgreementRoutes } from '../api/agreements/routes';
import { registerAuditRoutes } from '../api/audit/routes';
import { registerCatalogRoutes } from '../api/catalog/routes';
import { registerDocsRoutes } from '../api/docs/routes';
import { createApiApp } from '../api/http/app';
import { validationErrorFrom } from '../api/http/error-handler';
import { registerGrantRoutes } from '../api/grants/routes';
import { registerIdentityRoutes } from '../api/identity/routes';
import { registerNotificationRoutes } from '../api/notifications/routes';
import { createPlatform } from '../api/platform';
import { registerProposalRoutes } from '../api/proposals/routes';
import { registerPublicRoutes } from '../api/public/routes';
import { CompositeNotifier } from '../adapters/events/inbox-notifier';
import { DynamoMailStore } from '../adapters/dynamodb/mail-store';
import { SmtpMailSender } from '../adapters/mail/smtp-sender';
import { EmailNotifier, type MailerDeps } from '../mail/mailer';
import { InProcessVerificationQueue } from './in-process-verification';
import { LocalDirectory } from './local-directory';
import { LOCAL_S3_CREDENTIALS } from './s3-server';
import type { LocalIssuer } from './token-issuer';

const TokenRequestSchema = z.strictObject({ email: EmailSchema });

/** The mailer's dependencies on one machine: the table's mail store and nodemailer over SMTP. */
function localMailer(config: Config, platform: ReturnType<typeof createPlatform>, mail: DynamoMailStore, smtpUrl: string): MailerDeps {
  return {
    organizations: platform.organizations,
    mail,
    sender: new SmtpMailSender(smtpUrl, config.MAIL_FROM),
    clock: platform.clock,
    baseUrl: config.PUBLIC_BASE_URL ?? 'http://127.0.0.1:3000',
  };
}

/**
 * Every bounded context mounted in one Hono app, as on one machine, plus the local sign-in
 * route. The same route modules and services run in the Lambda functions.
 */
export function createLocalApp(options: { config: Config; issuer: LocalIssuer; clock?: Clock }) {
  const { config, issuer } = options;
  const verifier = createTokenVerifier({ mode: 'local', issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks });
  const platform = createPlatform(config, verifier, options.clock ?? systemClock);
  const objects = new S3ObjectStore({
    bucket: config.BUCKET_NAME,
    region: config.AWS_REGION,
    endpoint: config.S3_ENDPOINT,
    credentials: LOCAL_S3_CREDENTIALS,
  });
  const directory = new LocalDirectory(platform.organizations, platform.ids);
  // Completed uploads are verified in this process, in the background, by the verifier's own code.
  const verification: InProcessVerificationQueue = new InProcessVerificationQueue((job): Promise<VerificationResult> => verifyUpload(deps, job));
  // Email, when an SMTP server is configured (npm start, the mail tests): the same mailer as the
  // deployed one, sending over SMTP, after the inbox in the notifier chain.
  const mail = new DynamoMailStore(platform.db);
  const mailer = config.SMTP_URL ? localMailer(config, platform, mail, config.SMTP_URL) : null;
  const notifier = mailer ? new CompositeNotifier([platform.notifier, new EmailNotifier(mailer)]) : platform.notifier;
  const deps = { ...platform, notifier, objects, directory, verification, mail, mailer };

  const app = createApiApp();
  registerPublicRoutes(app, { ...deps, publicBaseUrl: config.PUBLIC_BASE_URL ?? '' });
  registerDocsRoutes(app);
  registerIdentityRoutes(app, deps, platform.auth);
  registerAgreementRoutes(app, deps, platform.auth);
  registerCatalogRoutes(app, deps, platform.auth);
  registerProposalRoutes(app, deps, platform.auth);
  registerGrantRoutes(app, deps, platform.auth);
  registerAuditRoutes(app, deps, platform.auth);
  registerNotificationRoutes(app, deps, platform.auth);

  // Local sign-in: a token for a user the membership records know. Never deployed.
  app.post('/local/token', async (c) => {
    const parsed = TokenRequestSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'json');
    const userId = await platform.organizations.userIdByEmail(parsed.data.email);
    if (!userId) throw new NotFoundError('User');
    // Sign-in is refused as every request is: a suspended organisation's users get organization_suspended.
    const standing = await platform.organizations.standing(userId);
    if (standing?.organization.suspension) {
      throw new ForbiddenError('organization_suspended', `${standing.organization.name} is suspended by the consortium: ${standing.organization.suspension.reason}`);
    }
    return c.json({ accessToken: await issuer.sign({ sub: userId, email: parsed.data.email }) });
  });

  return { app, deps };
}
export type LocalApp = ReturnType<typeof createLocalApp>;
