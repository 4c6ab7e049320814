import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../shared/errors';
import type { ObligationRepository, ProposalEvent, ProposalRepository, StoredProposal, WriteExtras } from '../../../shared/ports';
import { DynamoAuditLog, unwrap } from './audit-log';
import type { Page } from '../../../shared/schemas/common';
import { failedConditions, queryAll, queryPages, rethrowStoreError, type Db } from './client';
import { decodeCursor, encodeCursor, rethrowCursorError } from './cursor';
import { keys } from './keys';

const AWAITING_DECISION = new Set(['submitted', 'in_review']);

const PROPOSAL_FIELDS = [
  'id', 'orgId', 'orgName', 'state', 'revision', 'fields', 'createdBy', 'createdAt', 'updatedAt', 'submittedAt',
  'firstSubmittedAt', 'decidedAt', 'agreementVersion', 'snapshots', 'consents', 'adminApprovals', 'conditions',
] as const;

const toProposal = (item: Record<string, unknown>): StoredProposal =>
  Object.fromEntries(PROPOSAL_FIELDS.map((f) => [f, item[f] ?? null])) as unknown as StoredProposal;

const toEvent = (item: Record<string, unknown>): ProposalEvent => ({
  at: item.at as string,
  by: item.by as string,
  orgId: item.orgId as string,
  orgName: item.orgName as string,
  kind: item.kind as string,
  text: (item.text as string | undefined) ?? null,
  details: item.details as Record<string, unknown> | undefined,
  audience: item.audience as ProposalEvent['audience'],
});

const providersOf = (p: StoredProposal | null): Set<string> => new Set((p?.snapshots ?? []).map((s) => s.providerOrgId));

type ListQuery = { limit: number; cursor?: string; state?: string };

/**
 * Proposals with their timeline in their own partition. Each provider asked for data gets a copy
 * of the proposal under PROVIDER#<orgId>, so every list is one Query; copies are rewritten in the
 * same transaction as the proposal, so they never disagree with it.
 */
export class DynamoProposalRepository implements ProposalRepository, ObligationRepository {
  constructor(
    private readonly db: Db,
    private readonly audit: DynamoAuditLog = new DynamoAuditLog(db),
  ) {}

  async get(proposalId: string): Promise<StoredProposal | null> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.proposal(proposalId) }))
      .catch(rethrowStoreError);
    return Item ? toProposal(Item) : null;
  }

  async save(proposal: StoredProposal, previous: StoredProposal | null, events: ProposalEvent[], extras: WriteExtras = {}): Promise<void> {
    const TableName = this.db.tableName;
    const indexes = {
      GSI1PK: keys.proposalsOfOrg(proposal.orgId),
      GSI1SK: `${proposal.createdAt}#${proposal.id}`,
      ...(proposal.firstSubmittedAt
        ? { GSI2PK: keys.submittedProposals, GSI2SK: `${proposal.firstSubmittedAt}#${proposal.id}` }
        : {}),
      ...(AWAITING_DECISION.has(proposal.state) && proposal.submittedAt
        ? { GSI3PK: keys.reviewQueue, GSI3SK: `${proposal.submittedAt}#${proposal.id}` }
        : {}),
    };
    const now = providersOf(proposal);
    const gone = [...providersOf(previous)].filter((orgId) => !now.has(orgId));
    try {
      await this.audit.transact(
        [
            {
              Put: {
                TableName,
                Item: { ...keys.proposal(proposal.id), type: 'proposal', ...proposal, ...indexes },
                ...(previous
                  ? { ConditionExpression: 'revision = :revision', ExpressionAttributeValues: { ':revision': previous.revision } }
                  : { ConditionExpression: 'attribute_not_exists(PK)' }),
              },
            },
            ...[...now].map((providerOrgId) => ({
              Put: {
                TableName,
                Item: {
                  ...keys.proposalProvider(proposal.id, providerOrgId),
                  type: 'proposal-copy',
                  ...proposal,
                  GSI1PK: keys.proposalsOfProvider(providerOrgId),
                  GSI1SK: `${proposal.firstSubmittedAt}#${proposal.id}`,
                },
              },
            })),
            ...gone.map((providerOrgId) => ({ Delete: { TableName, Key: keys.proposalProvider(proposal.id, providerOrgId) } })),
            ...events.map((event, n) => ({
              Put: {
                TableName,
                Item: { ...keys.proposalEvent(proposal.id, event.at, proposal.revision, n), type: 'proposal-event', ...event },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            })),
            // Other entities' writes (an approval's grants) come last, so index 0 is the proposal.
            ...unwrap(extras.writes),
        ],
        extras.audit,
        extras.auditHead,
      );
    } catch (error) {
      const failed = failedConditions(error);
      const firstExtra = 1 + now.size + gone.length + events.length;
      if (!failed.includes(0) && failed.some((index) => index >= firstExtra)) {
        // An approval's check that each dataset is still published at the version read.
        throw new ConflictError('dataset_changed', 'A requested dataset was retired or given a new version meanwhile; reload the proposal and decide again', {
          state: previous?.state ?? null,
        });
      }
      if (failed.includes(0) || (error instanceof Error && error.name === 'TransactionCanceledException')) {
        throw new ConflictError('concurrent_update', 'The proposal changed while you acted on it; reload and try again', {
          state: previous?.state ?? null,
        });
      }
      rethrowStoreError(error);
    }
  }

  async withTimeline(proposalId: string): Promise<{ proposal: StoredProposal | null; events: ProposalEvent[] }> {
    // 'EVENT#…' < 'PROPOSAL' < 'PROVIDER#…': the range holds the events and the proposal, not its provider copies.
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.proposalPartition(proposalId), ':from': 'EVENT#', ':to': 'PROPOSAL' },
    });
    const head = items.find((i) => i.SK === 'PROPOSAL');
    return { proposal: head ? toProposal(head) : null, events: items.filter((i) => i.type === 'proposal-event').map(toEvent) };
  }

  private async list(index: 'GSI1' | 'GSI2' | 'GSI3', pk: string, query: ListQuery, oldestFirst: boolean): Promise<Page<StoredProposal>> {
    const pkName = `${index}PK`;
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: index,
          KeyConditionExpression: `${pkName} = :pk`,
          ExpressionAttributeValues: { ':pk': pk, ...(query.state ? { ':state': query.state } : {}) },
          ...(query.state ? { FilterExpression: '#state = :state', ExpressionAttributeNames: { '#state': 'state' } } : {}),
          ScanIndexForward: oldestFirst,
          Limit: query.limit,
          ExclusiveStartKey: decodeCursor(query.cursor, { [pkName]: pk }),
        }),
      )
      .catch(rethrowCursorError(query.cursor));
    return { items: (result.Items ?? []).map(toProposal), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }

  listByOrganization(orgId: string, query: ListQuery) {
    return this.list('GSI1', keys.proposalsOfOrg(orgId), query, false);
  }

  listByProvider(providerOrgId: string, query: ListQuery) {
    return this.list('GSI1', keys.proposalsOfProvider(providerOrgId), query, false);
  }

  listSubmitted(query: ListQuery) {
    return this.list('GSI2', keys.submittedProposals, query, false);
  }

  reviewQueue(query: { limit: number; cursor?: string }) {
    return this.list('GSI3', keys.reviewQueue, query, true);
  }

  /**
   * Whether the organisation owes an obligation past its due date: its obligation items due by now
   * (open ones only, since a fulfilled one is removed). Items a filter drops still count against a
   * page, so the pages are followed until one is found; normally the first answers.
   */
  async hasOverdue(orgId: string, now: Date): Promise<boolean> {
    const pages = queryPages(this.db, {
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      FilterExpression: '#state = :open',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': `ORG#${orgId}`, ':from': 'OBLIGATION#', ':to': `OBLIGATION#${now.toISOString()}`, ':open': 'open' },
    });
    for await (const page of pages) if (page.length > 0) return true;
    return false;
  }
}
