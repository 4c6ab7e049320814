import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../../../shared/ports';
import { isConditionFailed, rethrowStoreError, type Db } from './client';
import { keys } from './keys';

/** Idempotency records live a day; DynamoDB TTL removes them, and an expired one can be claimed again. */
const RECORD_SECONDS = 86_400;

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Db) {}

  async claim(orgId: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyRecord | null> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: { ...keys.idempotency(orgId, key), type: 'idempotency', state: 'pending', fingerprint, expiresAt: nowSeconds + RECORD_SECONDS },
          // TTL deletion lags; an expired record must not block a new claim.
          ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return null;
    } catch (error) {
      if (!isConditionFailed(error)) rethrowStoreError(error);
    }
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.idempotency(orgId, key), ConsistentRead: true }))
      .catch(rethrowStoreError);
    if (!Item) return this.claim(orgId, key, fingerprint, now);
    return {
      fingerprint: Item.fingerprint as string,
      state: Item.state as IdempotencyRecord['state'],
      status: Item.status as number | undefined,
      body: Item.body as string | undefined,
    };
  }

  async complete(orgId: string, key: string, response: { status: number; body: string }): Promise<void> {
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.idempotency(orgId, key),
          UpdateExpression: 'SET #state = :completed, #status = :status, body = :body',
          ExpressionAttributeNames: { '#state': 'state', '#status': 'status' },
          ExpressionAttributeValues: { ':completed': 'completed', ':status': response.status, ':body': response.body },
        }),
      )
      .catch(rethrowStoreError);
  }

  async release(orgId: string, key: string): Promise<void> {
    await this.db.doc
      .send(new DeleteCommand({ TableName: this.db.tableName, Key: keys.idempotency(orgId, key) }))
      .catch(rethrowStoreError);
  }
}
