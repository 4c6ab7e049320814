import { systemClock } from '../adapters/crypto';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log';
import { createDb } from '../adapters/dynamodb/client';
import { DynamoMailStore } from '../adapters/dynamodb/mail-store';
import { DynamoOrganizationRepository } from '../adapters/dynamodb/organization-repository';
import { SesMailSender } from '../adapters/mail/ses-sender';
import type { Config } from '../config';
import type { MailerDeps } from './mailer';

/** The deployed mailer's dependencies, built once per container: the table and Amazon SES. */
export function deployedMailer(config: Config): MailerDeps {
  if (!config.SES_CONFIGURATION_SET) throw new Error('Invalid configuration: SES_CONFIGURATION_SET is required by the mailer');
  if (!config.PUBLIC_BASE_URL) throw new Error('Invalid configuration: PUBLIC_BASE_URL is required by the mailer (links in emails are absolute)');
  const db = createDb({ tableName: config.TABLE_NAME, region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  return {
    organizations: new DynamoOrganizationRepository(db, new DynamoAuditLog(db)),
    mail: new DynamoMailStore(db),
    sender: new SesMailSender(config.MAIL_FROM, config.SES_CONFIGURATION_SET, config.AWS_REGION),
    clock: systemClock,
    baseUrl: config.PUBLIC_BASE_URL,
  };
}
