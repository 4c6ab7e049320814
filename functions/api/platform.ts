import type { Clock } from '../../shared/ports';
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
import { DynamoProposalRepository } from '../adapters/dynamodb/proposal-repository';
import type { TokenVerifier } from '../adapters/identity/token-verifier';
import { authenticate } from './http/authenticate';
import { cachedCallerResolver } from './http/caller-resolver';

/**
 * What every bounded context shares: the table's repositories, the clock, ids, idempotency and
 * authentication. Built once per container, outside the handler.
 */
export function createPlatform(config: Config, verifier: TokenVerifier, clock: Clock = systemClock) {
  const db = createDb({ tableName: config.TABLE_NAME, region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const organizations = new DynamoOrganizationRepository(db);
  const resolveCaller = cachedCallerResolver(organizations, clock, config.MEMBERSHIP_CACHE_SECONDS);
  const audit = new DynamoAuditLog(db);
  const proposals = new DynamoProposalRepository(db, audit);
  return {
    db,
    clock,
    ids: uuidIds,
    organizations,
    agreements: new DynamoAgreementRepository(db),
    governance: new DynamoGovernanceRepository(db, config.MEMBERSHIP_CACHE_SECONDS, () => clock.now().getTime()),
    datasets: new DynamoDatasetRepository(db),
    proposals,
    obligations: proposals,
    grants: new DynamoGrantRepository(db, audit),
    audit,
    idempotency: new DynamoIdempotencyStore(db),
    auth: authenticate(verifier, resolveCaller),
  };
}
export type Platform = ReturnType<typeof createPlatform>;
