import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { EMPTY_HEAD, linkEvents, type AuditDraft, type AuditEvent, type AuditHead } from '../../../shared/audit-chain';
import { ConflictError } from '../../../shared/errors';
import type { AuditListQuery, AuditLog, AuditScope, PreparedWrite } from '../../../shared/ports';
import type { Page } from '../../../shared/schemas/common';
import { sha256Hex } from '../crypto';
import { batchGetItems, queryAll, rethrowStoreError, type Db } from './client';
import { decodeCursor, encodeCursor, rethrowCursorError, type SortKeyRange } from './cursor';
import { keys } from './keys';

/** One item of a TransactWriteItems request. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const prepare = (item: TransactItem): PreparedWrite => ({ prepared: item });
export const unwrap = (writes: readonly PreparedWrite[] = []): TransactItem[] => writes.map((w) => w.prepared as TransactItem);

/** A ConditionCheck on an item's `state` (`#state` in `condition`) that joins a transaction without writing it. */
export const stateCheck = (db: Db, key: Record<string, string>, condition: string, values: Record<string, unknown>): TransactItem => ({
  ConditionCheck: { TableName: db.tableName, Key: key, ConditionExpression: condition, ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: values },
});

const EVENT_FIELDS = ['seq', 'at', 'actor', 'action', 'entity', 'orgId', 'providerOrgIds', 'details', 'prevHash', 'hash'] as const;

export const toAuditEvent = (item: Record<string, unknown>): AuditEvent =>
  ({
    ...Object.fromEntries(EVENT_FIELDS.map((f) => [f, item[f]])),
    orgId: (item.orgId as string | undefined) ?? null,
    providerOrgIds: (item.providerOrgIds as string[] | undefined) ?? [],
    details: (item.details as Record<string, unknown> | undefined) ?? {},
  }) as unknown as AuditEvent;

/** The head item as read (absent before the first event). */
export const toAuditHead = (item: Record<string, unknown> | undefined): AuditHead =>
  item ? { seq: item.seq as number, hash: item.hash as string } : EMPTY_HEAD;

/**
 * Items by key and the chain's head in one strongly consistent BatchGetItem (as consistent as the
 * append's own head read), for a change that reads and then appends to the chain: the head goes on
 * to the append (`transact`'s `knownHead`), which saves it a round trip.
 */
export async function readWithAuditHead(db: Db, keysToRead: Record<string, string>[]): Promise<{ items: Record<string, unknown>[]; auditHead: AuditHead }> {
  const head = keys.auditHead();
  const read = await batchGetItems(db, [...keysToRead, head], true);
  const isHead = (item: Record<string, unknown>) => item.PK === head.PK && item.SK === head.SK;
  return { items: read.filter((item) => !isHead(item)), auditHead: toAuditHead(read.find(isHead)) };
}

/** Of two heads of the same chain, the later one. */
const newer = (a: AuditHead, b: AuditHead): AuditHead => (b.seq > a.seq ? b : a);

const MAX_ATTEMPTS = 12;
/** DynamoDB's limit on the items of one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

const cancellationCodes = (error: unknown): (string | undefined)[] =>
  ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code);

/**
 * The chained writes in flight in this process, per table. They would only race each other for
 * the one head, each loser paying another head read and transaction, so a process sends them one
 * at a time (the local server answers every request in one process; a Lambda container, one at a
 * time anyway). Writers in other processes still meet at the head's condition and retry.
 */
const chainTails = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
  const result = (chainTails.get(key) ?? Promise.resolve()).then(run, run);
  const tail = result.catch(() => undefined);
  chainTails.set(key, tail);
  void tail.then(() => {
    if (chainTails.get(key) === tail) chainTails.delete(key);
  });
  return result;
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 15 * 2 ** Math.min(attempt, 5)));

/**
 * The hash-chained audit trail in one partition: a head item (`AUDIT`/`HEAD`: seq and hash of
 * the last event) and one item per event in seq order. An append is part of the business
 * transaction: the head is updated on condition that its seq is still the one read, so two
 * appends never fork the chain; the one that loses re-reads the head and tries again, while
 * DynamoDB re-checks the business items' own conditions each time.
 */
export class DynamoAuditLog implements AuditLog {
  /**
   * The head as this log's last append left it. Appends wait their turn in this process, so a head
   * read before waiting may have been overtaken by this process's own appends; those it knows.
   */
  private lastWritten: AuditHead = EMPTY_HEAD;

  constructor(
    private readonly db: Db,
    private readonly sha256: (text: string) => string = sha256Hex,
  ) {}

  async head(): Promise<AuditHead> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.auditHead(), ConsistentRead: true }))
      .catch(rethrowStoreError);
    return toAuditHead(Item);
  }

  /** The items that append `events` after `head`: the head update, each event, and copies for further providers. */
  private appendItems(events: AuditEvent[], head: AuditHead): TransactItem[] {
    const TableName = this.db.tableName;
    const last = events[events.length - 1]!;
    const headItem: TransactItem = {
      Put: {
        TableName,
        Item: { ...keys.auditHead(), type: 'audit-head', seq: last.seq, hash: last.hash },
        ...(head.seq === 0
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': head.seq } }),
      },
    };
    const eventItems = events.flatMap((event): TransactItem[] => {
      const sk = keys.auditIndexSk(event.at, event.seq);
      const [first, ...others] = event.providerOrgIds;
      return [
        {
          Put: {
            TableName,
            Item: {
              ...keys.auditEvent(event.seq),
              type: 'audit-event',
              ...event,
              ...(event.orgId ? { GSI1PK: keys.auditOfOrg(event.orgId), GSI1SK: sk } : {}),
              GSI2PK: keys.auditOfEntity(event.entity.type, event.entity.id),
              GSI2SK: sk,
              ...(first ? { GSI3PK: keys.auditOfProvider(first), GSI3SK: sk } : {}),
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        // An index slot holds one provider; the others read copies (outside the chain).
        ...others.map((providerOrgId): TransactItem => ({
          Put: {
            TableName,
            Item: { ...keys.auditCopy(event.seq, providerOrgId), type: 'audit-copy', ...event, GSI3PK: keys.auditOfProvider(providerOrgId), GSI3SK: sk },
          },
        })),
      ];
    });
    return [headItem, ...eventItems];
  }

  /**
   * Sends `items` and appends `drafts` in one TransactWriteItems. The business items come first,
   * so a caller reads its own failed conditions by their index. Rethrows the cancellation when a
   * business condition failed; retries when only the head (or a transaction conflict) did.
   * `knownHead`, read with the caller's other reads, saves the first attempt its head read.
   */
  transact(items: readonly TransactItem[], drafts: readonly AuditDraft[] = [], knownHead?: AuditHead): Promise<AuditEvent[]> {
    return drafts.length ? oneAtATime(this.db.tableName, () => this.send(items, drafts, knownHead)) : this.send(items, drafts);
  }

  private async send(items: readonly TransactItem[], drafts: readonly AuditDraft[], knownHead?: AuditHead): Promise<AuditEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const head = !drafts.length ? EMPTY_HEAD : attempt === 1 && knownHead ? newer(knownHead, this.lastWritten) : await this.head();
      const events = drafts.length ? linkEvents(drafts, head, this.sha256) : [];
      const all = [...items, ...(events.length ? this.appendItems(events, head) : [])];
      if (all.length > MAX_TRANSACTION_ITEMS) {
        // Atomic or not at all: a change this wide (an approval of about 19 datasets from as many providers) is refused whole.
        throw new ConflictError('change_too_large', `This change would write ${all.length} items at once; DynamoDB makes at most ${MAX_TRANSACTION_ITEMS} atomic. Ask for fewer datasets in one proposal.`);
      }
      try {
        await this.db.doc.send(new TransactWriteCommand({ TransactItems: all }));
        const last = events.at(-1);
        if (last) this.lastWritten = { seq: last.seq, hash: last.hash };
        return events;
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        const conflict = error.name === 'TransactionConflictException';
        const codes = error.name === 'TransactionCanceledException' ? cancellationCodes(error) : [];
        const businessFailed = codes.slice(0, items.length).some((c) => c === 'ConditionalCheckFailed');
        const headLost = codes.slice(items.length).some((c) => c === 'ConditionalCheckFailed');
        const retriable = conflict || (!businessFailed && (headLost || codes.some((c) => c === 'TransactionConflict')));
        if (!retriable) rethrowStoreError(error);
        if (attempt >= MAX_ATTEMPTS) {
          throw new ConflictError('concurrent_update', 'Too many concurrent changes; try again', { retriable: true });
        }
        await pause(attempt);
      }
    }
  }

  append(drafts: readonly AuditDraft[]): Promise<AuditEvent[]> {
    return this.transact([], drafts);
  }

  async readChain(): Promise<{ events: AuditEvent[]; head: AuditHead }> {
    // Read the head first: events appended while we read lie beyond it and are left out.
    const head = await this.head();
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
      ExpressionAttributeValues: { ':pk': keys.auditPartition, ':events': keys.auditEventPrefix },
      ConsistentRead: true,
    });
    const events = items.map(toAuditEvent).filter((event) => event.seq <= head.seq);
    return { events, head };
  }

  async list(scope: AuditScope, query: AuditListQuery): Promise<Page<AuditEvent>> {
    const range = (name: string) => {
      const clauses: string[] = [];
      const values: Record<string, string> = {};
      if (query.from) {
        clauses.push(`${name} >= :from`);
        values[':from'] = query.from;
      }
      if (query.to) {
        clauses.push(`${name} < :to`);
        values[':to'] = query.to;
      }
      return { clauses, values };
    };
    let index: 'GSI1' | 'GSI2' | 'GSI3' | undefined;
    let pk: string;
    const filters: string[] = [];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {};
    // An entity's events come from the entity index; a scope narrower than `all` becomes a filter.
    if (query.entity) {
      index = 'GSI2';
      pk = keys.auditOfEntity(query.entity.type, query.entity.id);
      if (scope.kind === 'organization') {
        filters.push('orgId = :scopeOrg');
        values[':scopeOrg'] = scope.orgId;
      } else if (scope.kind === 'provider') {
        filters.push('contains(providerOrgIds, :scopeOrg)');
        values[':scopeOrg'] = scope.orgId;
      }
    } else if (scope.kind === 'organization') {
      index = 'GSI1';
      pk = keys.auditOfOrg(scope.orgId);
    } else if (scope.kind === 'provider') {
      index = 'GSI3';
      pk = keys.auditOfProvider(scope.orgId);
    } else {
      pk = keys.auditPartition;
    }
    let keyCondition: string;
    // The sort keys the key condition reads: a cursor must start inside them.
    let readRange: SortKeyRange;
    if (index) {
      // Index sort keys start with the time: the period is part of the key condition.
      const sk = `${index}SK`;
      // Every sort key starts with an ISO time ('2…'): '0' and '~' bound them all.
      const from = query.from ?? '0';
      const to = query.to ?? '~';
      keyCondition = `${index}PK = :pk AND ${sk} BETWEEN :skFrom AND :skTo`;
      values[':skFrom'] = from;
      values[':skTo'] = to;
      readRange = { from, to };
    } else {
      // The chain itself is in seq order; time is a filter there.
      keyCondition = 'PK = :pk AND begins_with(SK, :events)';
      values[':events'] = keys.auditEventPrefix;
      readRange = { from: keys.auditEventPrefix, to: `${keys.auditEventPrefix}~` };
      const period = range('#at');
      if (period.clauses.length) names['#at'] = 'at';
      filters.push(...period.clauses);
      Object.assign(values, period.values);
    }
    const pkName = index ? `${index}PK` : 'PK';
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          ...(index ? { IndexName: index } : {}),
          KeyConditionExpression: keyCondition,
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: { ':pk': pk, ...values },
          ScanIndexForward: false,
          Limit: query.limit,
          ExclusiveStartKey: decodeCursor(query.cursor, { [pkName]: pk }, readRange),
        }),
      )
      .catch(rethrowCursorError(query.cursor));
    return { items: (result.Items ?? []).map(toAuditEvent), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }
}
