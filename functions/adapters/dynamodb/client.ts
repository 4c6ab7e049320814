import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { STORE_TIMEOUTS, storeFault } from '../store-faults';

/** The table and the document client every repository works with. */
export interface Db {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Builds the client once per container. `endpoint` is set only locally (DynamoDB Local).
 *
 * Every call is bounded (`STORE_TIMEOUTS`: connect 1 s, answer 2 s, two attempts) and its failure
 * leaves the client as a domain error: throttling as `ThrottledError` (429), a store that does not
 * answer as `StoreUnavailableError` (503), whichever repository sent it and however it catches.
 */
export function createDb(options: { tableName: string; region: string; endpoint?: string }): Db {
  const client = new DynamoDBClient({
    region: options.region,
    // The SDK's own Node handler; without `throwOnRequestTimeout` its requestTimeout only logs a warning.
    requestHandler: {
      connectionTimeout: STORE_TIMEOUTS.connectionMs,
      requestTimeout: STORE_TIMEOUTS.requestMs,
      throwOnRequestTimeout: true,
    },
    maxAttempts: STORE_TIMEOUTS.maxAttempts,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  // Outermost (initialize, high priority): sees each call's final error, after the SDK's retries.
  client.middlewareStack.add(
    (next) => (args) =>
      next(args).catch((error: unknown) => {
        throw storeFault(error) ?? error;
      }),
    { step: 'initialize', priority: 'high', name: 'accordStoreFaults' },
  );
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, tableName: options.tableName };
}

/** True when the error is a failed condition on a single-item write. */
export const isConditionFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * For a cancelled transaction, the index of each item whose condition failed. Empty when the
 * error is not a cancelled transaction.
 */
export function failedConditions(error: unknown): number[] {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return [];
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
}

/** True when a transaction lost to a concurrent one touching the same items. */
export const isTransactionConflict = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'TransactionConflictException' ||
    (error.name === 'TransactionCanceledException' &&
      ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some(
        (r) => r.Code === 'TransactionConflict',
      )));

/**
 * Rethrows throttling as the domain's 429 and a store that did not answer as its 503 (the client's
 * middleware has already done so for calls through `createDb`); anything else unchanged.
 */
export function rethrowStoreError(error: unknown): never {
  throw storeFault(error) ?? error;
}

/**
 * Items by key in one BatchGetItem (at most 100 keys), plus one more, after a growing pause, for
 * any keys DynamoDB left unprocessed under load; unknown keys are left out.
 */
export async function batchGetItems(db: Db, keysToRead: Record<string, string>[], ConsistentRead = false): Promise<Record<string, unknown>[]> {
  const TableName = db.tableName;
  const items: Record<string, unknown>[] = [];
  for (let Keys: Record<string, unknown>[] | undefined = keysToRead, round = 0; Keys?.length; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** Math.min(round, 6)));
    const result: BatchGetCommandOutput = await db.doc
      .send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys, ConsistentRead } } }))
      .catch(rethrowStoreError);
    items.push(...(result.Responses?.[TableName] ?? []));
    Keys = result.UnprocessedKeys?.[TableName]?.Keys;
  }
  return items;
}

/**
 * Every page of a Query on the table, in order, for reads that need the whole range; a caller may
 * stop early. A filter's dropped items still count against a page, so pages are followed, not trusted.
 */
export async function* queryPages(db: Db, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.doc.send(new QueryCommand({ ...input, TableName: db.tableName, ExclusiveStartKey: start })).catch(rethrowStoreError);
    yield result.Items ?? [];
    start = result.LastEvaluatedKey;
  } while (start);
}

/** Every item of a Query's range (all its pages). */
export async function queryAll(db: Db, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(db, input)) items.push(...page);
  return items;
}
