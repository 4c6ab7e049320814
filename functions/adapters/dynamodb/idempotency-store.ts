import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../../../shared/ports';
import { isConditionFailed, rethrowStoreError, type Db } from './client';
import { keys } from './keys';

/** Idempotency records live a day; DynamoDB TTL removes them, and an expired one can be claimed again. */
const RECORD_SECONDS = 86_400;
/**
 * A claim still pending after this long belongs to no live request (an API function gives up
 * after 10 s): its request failed without releasing it, for instance because the store it would
 * release it in was not answering, or its claim landed after the caller had timed out. A retry
 * may then claim the key again rather than meet `idempotency_in_progress` for a day.
 */
export const PENDING_LEASE_SECONDS = 30;

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Db) {}

  async claim(scope: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyRecord | null> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    // Tells this claim from another: when the SDK's first attempt landed after it timed out, the
    // retry fails the condition on the record that attempt wrote, which is still this request's.
    const claimId = randomUUID();
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: {
            ...keys.idempotency(scope, key),
            type: 'idempotency',
            state: 'pending',
            fingerprint,
            claimId,
            leaseUntil: nowSeconds + PENDING_LEASE_SECONDS,
            expiresAt: nowSeconds + RECORD_SECONDS,
          },
          // TTL deletion lags; an expired record must not block a new claim, nor an abandoned pending one.
          ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now OR leaseUntil < :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return null;
    } catch (error) {
      if (!isConditionFailed(error)) rethrowStoreError(error);
    }
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.idempotency(scope, key), ConsistentRead: true }))
      .catch(rethrowStoreError);
    if (!Item) return this.claim(scope, key, fingerprint, now);
    if (Item.claimId === claimId) return null;
    return {
      fingerprint: Item.fingerprint as string,
      state: Item.state as IdempotencyRecord['state'],
      status: Item.status as number | undefined,
      body: Item.body as string | undefined,
    };
  }

  async complete(scope: string, key: string, response: { status: number; body: string }): Promise<void> {
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.idempotency(scope, key),
          UpdateExpression: 'SET #state = :completed, #status = :status, body = :body REMOVE leaseUntil',
          ExpressionAttributeNames: { '#state': 'state', '#status': 'status' },
          ExpressionAttributeValues: { ':completed': 'completed', ':status': response.status, ':body': response.body },
        }),
      )
      .catch(rethrowStoreError);
  }

  async release(scope: string, key: string): Promise<void> {
    await this.db.doc
      .send(new DeleteCommand({ TableName: this.db.tableName, Key: keys.idempotency(scope, key) }))
      .catch(rethrowStoreError);
  }
}
