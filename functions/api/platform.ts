import type { Clock, Notifier } from '../../shared/ports';
import type { Config } from '../config';
import { systemClock, uuidIds } from '../adapters/crypto';
import { createDb } from '../adapters/dynamodb/client';
import { DynamoAgreementRepository } from '../adapters/dynamodb/agreement-repository';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log';
import { DynamoGrantRepository } from '../adapters/dynamodb/grant-repository';
import { DynamoDatasetRepository } from '../adapters/dynamodb/dataset-repository';
import { DynamoGovernanceRepository } from '../adapters/dynamodb/governance-repository';
import { DynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import { DynamoOrganizationRepository } from '../adapters/dynamodb/organization-repository';
import { DynamoNotificationInbox } from '../adapters/dynamodb/notification-inbox';
import { DynamoProposalRepository } from '../adapters/dynamodb/proposal-repository';
import { DynamoPublicRegister } from '../adapters/dynamodb/public-register';
import { CompositeNotifier, InboxNotifier } from '../adapters/events/inbox-notifier';
import type { TokenVerifier } from '../adapters/identity/token-verifier';
import { authenticate } from './http/authenticate';
import { standingCallerResolver } from './http/caller-resolver';

/**
 * What every bounded context shares: the table's repositories, the clock, ids, idempotency,
 * notifications and authentication. Built once per container, outside the handler. The
 * EventBridge notifier is passed in only by the functions that publish domain events, so the
 * others do not bundle its client.
 */
export function createPlatform(config: Config, verifier: TokenVerifier, clock: Clock = systemClock, options: { eventBus?: Notifier } = {}) {
  const db = createDb({ tableName: config.TABLE_NAME, region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const audit = new DynamoAuditLog(db);
  const organizations = new DynamoOrganizationRepository(db, audit);
  const resolveCaller = standingCallerResolver(organizations);
  const proposals = new DynamoProposalRepository(db, audit);
  const inbox = new DynamoNotificationInbox(db);
  const inboxNotifier = new InboxNotifier(organizations, inbox, uuidIds);
  return {
    db,
    clock,
    ids: uuidIds,
    organizations,
    agreements: new DynamoAgreementRepository(db, audit),
    governance: new DynamoGovernanceRepository(db, config.MEMBERSHIP_CACHE_SECONDS, () => clock.now().getTime()),
    datasets: new DynamoDatasetRepository(db, audit),
    proposals,
    obligations: proposals,
    grants: new DynamoGrantRepository(db, audit),
    audit,
    register: new DynamoPublicRegister(db),
    inbox,
    /** Every user's inbox, and the event bus where the function was given one. */
    notifier: options.eventBus ? new CompositeNotifier([inboxNotifier, options.eventBus]) : inboxNotifier,
    idempotency: new DynamoIdempotencyStore(db),
    auth: authenticate(verifier, resolveCaller),
  };
}
export type Platform = ReturnType<typeof createPlatform>;
