import { systemClock, uuidIds } from '../adapters/crypto';
import { createDb } from '../adapters/dynamodb/client';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log';
import { DynamoGovernanceRepository } from '../adapters/dynamodb/governance-repository';
import { DynamoGrantRepository } from '../adapters/dynamodb/grant-repository';
import { DynamoNotificationInbox } from '../adapters/dynamodb/notification-inbox';
import { DynamoOrganizationRepository } from '../adapters/dynamodb/organization-repository';
import { EventBridgeNotifier } from '../adapters/events/eventbridge-notifier';
import { CompositeNotifier, InboxNotifier } from '../adapters/events/inbox-notifier';
import { loadConfig } from '../config';
import { DynamoProposalRepository } from '../adapters/dynamodb/proposal-repository';
import { runConsentDeadlines } from './consent-deadlines';
import { runGrantLifecycle } from './grant-lifecycle';

// Cold start: configuration parsed (failing fast) and clients built once.
const config = loadConfig();
const db = createDb({ tableName: config.TABLE_NAME, region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
const inbox = new InboxNotifier(new DynamoOrganizationRepository(db), new DynamoNotificationInbox(db), uuidIds);
const audit = new DynamoAuditLog(db);
const deps = {
  grants: new DynamoGrantRepository(db, audit),
  proposals: new DynamoProposalRepository(db, audit),
  governance: new DynamoGovernanceRepository(db, 0, () => Date.now()),
  notifier: config.EVENT_BUS_NAME ? new CompositeNotifier([inbox, new EventBridgeNotifier(config.EVENT_BUS_NAME, config.AWS_REGION)]) : inbox,
  clock: systemClock,
  ids: uuidIds,
};

/** The EventBridge schedule's target (every minute): expiry, reminders, closure obligations; consent deadlines. */
export const handler = async () => {
  const report = await runGrantLifecycle(deps);
  const consents = await runConsentDeadlines(deps);
  console.log(JSON.stringify({ level: 'info', message: 'grant lifecycle run', ...report, consents }));
  return { ...report, consents };
};
