import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditDraft, AuditHead } from '../../../shared/audit-chain';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/errors';
import type { GrantListQuery, GrantRepository, PreparedWrite, StoredGrant, StoredObligation, WriteExtras } from '../../../shared/ports';
import type { Page } from '../../../shared/schemas/common';
import { GRANT_STATES, type GrantState } from '../../../shared/schemas/grant';
import { DynamoAuditLog, prepare, readWithAuditHead, stateCheck, unwrap, type TransactItem } from './audit-log';
import { failedConditions, rethrowStoreError, type Db } from './client';
import { checkStartKey, decodeCursor, encodeCursor, rethrowCursorError } from './cursor';
import { keys } from './keys';

const GRANT_FIELDS = [
  'id', 'proposalId', 'proposalTitle', 'granteeOrgId', 'granteeOrgName', 'team', 'datasetId', 'datasetTitle', 'providerOrgId',
  'providerName', 'versions', 'startDate', 'endDate', 'conditions', 'state', 'revision', 'issuedAt', 'revokedAt', 'revokedBy',
  'revokedReason', 'endedAt', 'closedAt', 'files', 'obligations', 'renewals', 'consentRequired', 'listInPublicRegister',
  'remindersSent', 'attestation', 'outcomeReport',
] as const;

const LISTS = new Set(['team', 'versions', 'conditions', 'files', 'obligations', 'renewals', 'remindersSent']);

export const toGrant = (item: Record<string, unknown>): StoredGrant =>
  Object.fromEntries(GRANT_FIELDS.map((f) => [f, item[f] ?? (LISTS.has(f) ? [] : null)])) as unknown as StoredGrant;

/** Each stored state is a GSI3 partition, keyed by end date: the lifecycle job reads only `active`. */
const indexes = (grant: StoredGrant) => ({
  GSI1PK: keys.grantsOfGrantee(grant.granteeOrgId),
  GSI1SK: `${grant.issuedAt}#${grant.id}`,
  GSI2PK: keys.grantsOfProvider(grant.providerOrgId),
  GSI2SK: `${grant.issuedAt}#${grant.id}`,
  GSI3PK: keys.grantsInState(grant.state),
  GSI3SK: `${grant.endDate}#${grant.id}`,
});

type Partition = { pk: string; from?: string; to?: string };

/**
 * Grants, one item each, and the obligations their closure leaves (items in the grantee's
 * partition, where the proposals' obligations gate looks). A grant's change and its obligations
 * are written in one transaction, with the audit event.
 */
export class DynamoGrantRepository implements GrantRepository {
  constructor(
    private readonly db: Db,
    private readonly audit: DynamoAuditLog = new DynamoAuditLog(db),
  ) {}

  private grantPut(grant: StoredGrant, condition: { revision: number } | 'new'): TransactItem {
    return {
      Put: {
        TableName: this.db.tableName,
        Item: { ...keys.grant(grant.id), type: 'grant', ...grant, ...indexes(grant) },
        ...(condition === 'new'
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: 'revision = :revision', ExpressionAttributeValues: { ':revision': condition.revision } }),
      },
    };
  }

  /**
   * The obligations gate's item for an obligation (the grant item keeps the full record): an open
   * one sits under its organisation by due date, where the gate and the lifecycle job find it; a
   * fulfilled one is removed, so the gate's range holds only what is still owed, however many
   * grants the organisation has closed.
   */
  private obligationWrite(grant: StoredGrant, obligation: StoredObligation): TransactItem {
    if (obligation.state !== 'open') {
      return { Delete: { TableName: this.db.tableName, Key: keys.obligation(grant.granteeOrgId, obligation.dueAt, obligation.id) } };
    }
    return {
      Put: {
        TableName: this.db.tableName,
        Item: {
          ...keys.obligation(grant.granteeOrgId, obligation.dueAt, obligation.id),
          type: 'obligation',
          ...obligation,
          grantId: grant.id,
          orgId: grant.granteeOrgId,
          // Sparse: only open obligations not yet announced overdue wait for the lifecycle job.
          ...(obligation.state === 'open' && !obligation.overdueNotified ? { GSI3PK: keys.openObligations, GSI3SK: `${obligation.dueAt}#${obligation.id}` } : {}),
        },
      },
    };
  }

  async get(grantId: string): Promise<StoredGrant | null> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.grant(grantId) }))
      .catch(rethrowStoreError);
    return Item ? toGrant(Item) : null;
  }

  async getWithAuditHead(grantId: string): Promise<{ grant: StoredGrant | null; auditHead: AuditHead }> {
    const { items, auditHead } = await readWithAuditHead(this.db, [keys.grant(grantId)]);
    return { grant: items[0] ? toGrant(items[0]) : null, auditHead };
  }

  issueWrites(grants: readonly StoredGrant[]): PreparedWrite[] {
    return grants.map((grant) => prepare(this.grantPut(grant, 'new')));
  }

  async save(grant: StoredGrant, previous: StoredGrant, extras: WriteExtras = {}): Promise<void> {
    const before = new Map(previous.obligations.map((o) => [o.id, JSON.stringify(o)]));
    const changed = grant.obligations.filter((o) => before.get(o.id) !== JSON.stringify(o));
    try {
      await this.audit.transact(
        [this.grantPut(grant, { revision: previous.revision }), ...changed.map((o) => this.obligationWrite(grant, o)), ...unwrap(extras.writes)],
        extras.audit,
      );
    } catch (error) {
      if (failedConditions(error).includes(0) || (error instanceof Error && error.name === 'TransactionCanceledException')) {
        throw new ConflictError('concurrent_update', 'The grant changed while you acted on it; reload and try again', { state: previous.state });
      }
      throw error;
    }
  }

  async recordDownload(grant: StoredGrant, event: AuditDraft, auditHead?: AuditHead): Promise<void> {
    const check = stateCheck(this.db, keys.grant(grant.id), '#state = :active', { ':active': 'active' });
    // A retired dataset serves nothing, whatever its grants' stored state: a grant issued in a race
    // with the retirement, or one its revocation has not reached yet, mints no link.
    const offered = stateCheck(this.db, keys.dataset(grant.datasetId), '#state <> :retired', { ':retired': 'retired' });
    try {
      await this.audit.transact([check, offered], [event], auditHead);
    } catch (error) {
      if (failedConditions(error).includes(1)) {
        throw new ForbiddenError('dataset_retired', 'The dataset was retired; no file can be downloaded under this grant');
      }
      if (failedConditions(error).includes(0)) {
        // Revoked (or ended) between our read and the write: no URL.
        const now = await this.get(grant.id);
        if (now?.state === 'revoked') throw new ForbiddenError('grant_revoked', 'This grant was revoked; no file can be downloaded under it');
        throw new ForbiddenError('grant_expired', 'This grant has ended; no file can be downloaded under it');
      }
      throw error;
    }
  }

  private async query(index: 'GSI1' | 'GSI2' | 'GSI3', partition: Partition, query: { limit: number; state?: GrantState; today?: string }, start: Record<string, unknown> | undefined, oldestFirst: boolean) {
    const sk = `${index}SK`;
    const values: Record<string, unknown> = { ':pk': partition.pk };
    let condition = `${index}PK = :pk`;
    if (partition.from !== undefined && partition.to !== undefined) {
      condition += ` AND ${sk} BETWEEN :from AND :to`;
      Object.assign(values, { ':from': partition.from, ':to': partition.to });
    } else if (partition.from !== undefined) {
      condition += ` AND ${sk} >= :from`;
      values[':from'] = partition.from;
    } else if (partition.to !== undefined) {
      condition += ` AND ${sk} <= :to`;
      values[':to'] = partition.to;
    }
    const filter = query.state && query.today ? stateFilter(query.state, query.today) : null;
    if (filter) Object.assign(values, filter.values);
    return this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: index,
          KeyConditionExpression: condition,
          ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: { '#state': 'state' } } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: oldestFirst,
          Limit: query.limit,
          ExclusiveStartKey: start,
        }),
      )
      .catch(rethrowStoreError);
  }

  private async listIndex(index: 'GSI1' | 'GSI2', pk: string, query: GrantListQuery): Promise<Page<StoredGrant>> {
    const result = await this.query(index, { pk }, query, decodeCursor(query.cursor, { [`${index}PK`]: pk }), false).catch(rethrowCursorError(query.cursor));
    return { items: (result.Items ?? []).map(toGrant), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }

  listByGrantee(orgId: string, query: GrantListQuery) {
    return this.listIndex('GSI1', keys.grantsOfGrantee(orgId), query);
  }

  listByProvider(orgId: string, query: GrantListQuery) {
    return this.listIndex('GSI2', keys.grantsOfProvider(orgId), query);
  }

  /**
   * Every grant, walking the state partitions of GSI3 in turn: one Query per page, the cursor
   * says which partition and where in it. An `active` grant past its end reads as expired, so
   * `active` takes the part of its partition that has not ended and `expired` the part that has.
   */
  async listAll(query: GrantListQuery): Promise<Page<StoredGrant>> {
    const today = query.today;
    const partitions: Partition[] =
      query.state === 'active'
        ? [{ pk: keys.grantsInState('active'), from: today }]
        : query.state === 'expired'
          ? [{ pk: keys.grantsInState('active'), to: today }, { pk: keys.grantsInState('expired') }]
          : query.state
            ? [{ pk: keys.grantsInState(query.state) }]
            : GRANT_STATES.map((state) => ({ pk: keys.grantsInState(state) }));
    const { part, key } = decodeWalkCursor(query.cursor, partitions);
    const partition = partitions[part]!;
    const result = await this.query('GSI3', partition, { limit: query.limit }, key, false).catch(rethrowCursorError(query.cursor));
    const last = result.LastEvaluatedKey;
    const nextCursor = last
      ? encodeWalkCursor(part, last)
      : part + 1 < partitions.length
        ? encodeWalkCursor(part + 1, undefined)
        : null;
    return { items: (result.Items ?? []).map(toGrant), nextCursor };
  }

  async activeEndingBy(endDate: string, query: { limit: number; cursor?: string }): Promise<Page<StoredGrant>> {
    const pk = keys.grantsInState('active');
    const result = await this.query('GSI3', { pk, to: `${endDate}#~` }, query, decodeCursor(query.cursor, { GSI3PK: pk }), true);
    return { items: (result.Items ?? []).map(toGrant), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }

  async openObligationsDueBy(dueAt: string, query: { limit: number; cursor?: string }) {
    const pk = keys.openObligations;
    const result = await this.query('GSI3', { pk, to: `${dueAt}#~` }, query, decodeCursor(query.cursor, { GSI3PK: pk }), true);
    return {
      items: (result.Items ?? []).map((item) => ({
        grantId: item.grantId as string,
        obligation: {
          id: item.id as string,
          kind: item.kind as StoredObligation['kind'],
          dueAt: item.dueAt as string,
          state: item.state as StoredObligation['state'],
          fulfilledAt: (item.fulfilledAt as string | null) ?? null,
          overdueNotified: (item.overdueNotified as boolean | undefined) ?? false,
        },
      })),
      nextCursor: encodeCursor(result.LastEvaluatedKey),
    };
  }
}

/** The effective state as a filter: an `active` grant whose end date is before today reads as expired. */
function stateFilter(state: GrantState, today: string): { expression: string; values: Record<string, unknown> } {
  if (state === 'active') return { expression: '#state = :active AND endDate >= :today', values: { ':active': 'active', ':today': today } };
  if (state === 'expired') {
    return { expression: '#state = :expired OR (#state = :active AND endDate < :today)', values: { ':active': 'active', ':expired': 'expired', ':today': today } };
  }
  return { expression: '#state = :state', values: { ':state': state } };
}

function encodeWalkCursor(part: number, key: Record<string, unknown> | undefined): string {
  return Buffer.from(JSON.stringify({ p: part, k: key ?? null })).toString('base64url');
}

function decodeWalkCursor(cursor: string | undefined, partitions: Partition[]): { part: number; key: Record<string, unknown> | undefined } {
  if (!cursor) return { part: 0, key: undefined };
  const invalid = () => new ValidationError('cursor', 'cursor is not a cursor this API issued');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  // Exactly { p: <partition number>, k: <start key in that partition, or null> }.
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const { p: part, k, ...extra } = parsed as { p?: unknown; k?: unknown };
  if (Object.keys(extra).length > 0 || k === undefined) throw invalid();
  if (typeof part !== 'number' || !Number.isInteger(part) || part < 0 || part >= partitions.length) throw invalid();
  if (k === null) return { part, key: undefined };
  const partition = partitions[part]!;
  return { part, key: checkStartKey(k, { GSI3PK: partition.pk }, { from: partition.from, to: partition.to }) };
}
