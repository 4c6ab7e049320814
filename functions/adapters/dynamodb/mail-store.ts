import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DigestEntry, MailDelivery, MailStore } from '../../../shared/ports';
import type { EmailPreferences } from '../../../shared/schemas/email-preferences';
import { isConditionFailed, rethrowStoreError, type Db } from './client';
import { keys } from './keys';

/** Delivery records and digest entries are kept 90 days for the record, then TTL removes them. */
const KEEP_SECONDS = 90 * 86_400;

const expiresAt = (at: string): number => Math.floor(Date.parse(at) / 1000) + KEEP_SECONDS;

const toDelivery = (item: Record<string, unknown>): MailDelivery => ({
  deliveryKey: item.deliveryKey as string,
  userId: item.userId as string,
  to: item.to as string,
  subject: item.subject as string,
  text: item.text as string,
  html: item.html as string,
  state: item.state as MailDelivery['state'],
  attempts: item.attempts as number,
  nextAttemptAt: (item.nextAttemptAt as string | undefined) ?? null,
  lastError: (item.lastError as string | undefined) ?? null,
});

/**
 * Email state in the one table. A delivery record `MAIL#<key>` is put only when absent, so two
 * workers (or a retried event) never both send one email. While it is being sent or waits for a
 * retry it sits in the sparse GSI3 `MAIL#RETRY` under its next attempt time; sent, it leaves it.
 */
export class DynamoMailStore implements MailStore {
  constructor(private readonly db: Db) {}

  async preferences(userId: string): Promise<EmailPreferences | null> {
    const { Item } = await this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: keys.emailPreferences(userId) })).catch(rethrowStoreError);
    return Item ? (Item.preferences as EmailPreferences) : null;
  }

  async savePreferences(userId: string, preferences: EmailPreferences, at: string): Promise<void> {
    await this.db.doc
      .send(new PutCommand({ TableName: this.db.tableName, Item: { ...keys.emailPreferences(userId), type: 'emailPreferences', preferences, updatedAt: at } }))
      .catch(rethrowStoreError);
  }

  async claim(delivery: Omit<MailDelivery, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError'>, leaseUntil: string): Promise<boolean> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: {
            ...keys.mailDelivery(delivery.deliveryKey),
            ...keys.mailRetryIndex(leaseUntil, delivery.deliveryKey),
            type: 'mailDelivery',
            ...delivery,
            state: 'sending',
            attempts: 1,
            nextAttemptAt: leaseUntil,
            expiresAt: expiresAt(leaseUntil),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      return rethrowStoreError(error);
    }
  }

  async reclaim(delivery: MailDelivery, leaseUntil: string): Promise<boolean> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.mailDelivery(delivery.deliveryKey),
          UpdateExpression: 'SET #state = :sending, attempts = :next, nextAttemptAt = :lease, GSI3SK = :sk',
          ConditionExpression: 'attempts = :seen AND #state IN (:sending, :failed)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':failed': 'failed',
            ':next': delivery.attempts + 1,
            ':seen': delivery.attempts,
            ':lease': leaseUntil,
            ':sk': keys.mailRetryIndex(leaseUntil, delivery.deliveryKey).GSI3SK,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      return rethrowStoreError(error);
    }
  }

  async markSent(deliveryKey: string, attempts: number, at: string): Promise<void> {
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.mailDelivery(deliveryKey),
          UpdateExpression: 'SET #state = :sent, sentAt = :at REMOVE GSI3PK, GSI3SK, nextAttemptAt',
          ConditionExpression: 'attempts = :attempts',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sent': 'sent', ':at': at, ':attempts': attempts },
        }),
      )
      .catch((error: unknown) => {
        // Another worker took the delivery over after our lease ran out; its outcome stands.
        if (!isConditionFailed(error)) rethrowStoreError(error);
      });
  }

  async markFailed(deliveryKey: string, attempts: number, error: string, nextAttemptAt: string | null): Promise<void> {
    const values: Record<string, unknown> = { ':attempts': attempts, ':error': error.slice(0, 1000) };
    let update: string;
    if (nextAttemptAt) {
      Object.assign(values, { ':state': 'failed', ':next': nextAttemptAt, ':sk': keys.mailRetryIndex(nextAttemptAt, deliveryKey).GSI3SK });
      update = 'SET #state = :state, lastError = :error, nextAttemptAt = :next, GSI3SK = :sk';
    } else {
      // Given up: out of the retry queue, kept (state `abandoned`, the last error) for the record.
      values[':state'] = 'abandoned';
      update = 'SET #state = :state, lastError = :error REMOVE GSI3PK, GSI3SK, nextAttemptAt';
    }
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.mailDelivery(deliveryKey),
          UpdateExpression: update,
          ConditionExpression: 'attempts = :attempts',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: values,
        }),
      )
      .catch((e: unknown) => {
        if (!isConditionFailed(e)) rethrowStoreError(e);
      });
  }

  async due(now: string, limit: number): Promise<MailDelivery[]> {
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: 'GSI3',
          KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :now',
          ExpressionAttributeValues: { ':pk': keys.mailRetryQueue, ':now': `${now}#~` },
          Limit: limit,
        }),
      )
      .catch(rethrowStoreError);
    return (result.Items ?? []).map(toDelivery);
  }

  async get(deliveryKey: string): Promise<MailDelivery | null> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.mailDelivery(deliveryKey), ConsistentRead: true }))
      .catch(rethrowStoreError);
    return Item ? toDelivery(Item) : null;
  }

  async addToDigest(day: string, entry: DigestEntry): Promise<void> {
    await this.db.doc
      .send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: { ...keys.digestEntry(day, entry.userId, entry.noticeKey), type: 'digestEntry', ...entry, expiresAt: expiresAt(entry.notice.at) },
        }),
      )
      .catch(rethrowStoreError);
  }

  async digest(day: string): Promise<DigestEntry[]> {
    const entries: DigestEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.doc
        .send(
          new QueryCommand({
            TableName: this.db.tableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': keys.digestPartition(day) },
            ExclusiveStartKey: start,
          }),
        )
        .catch(rethrowStoreError);
      for (const item of page.Items ?? []) entries.push({ userId: item.userId as string, noticeKey: item.noticeKey as string, notice: item.notice as DigestEntry['notice'] });
      start = page.LastEvaluatedKey;
    } while (start);
    return entries;
  }
}
