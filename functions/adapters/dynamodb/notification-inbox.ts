import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationInbox } from '../../../shared/ports';
import type { Notification } from '../../../shared/schemas/notification';
import { isConditionFailed, rethrowStoreError, type Db } from './client';
import { decodeCursor, encodeCursor, rethrowCursorError } from './cursor';
import { keys } from './keys';

const toNotification = (item: Record<string, unknown>): Notification => ({
  id: item.id as string,
  kind: item.kind as Notification['kind'],
  at: item.at as string,
  title: item.title as string,
  text: item.text as string,
  subject: item.subject as Notification['subject'],
  read: item.read === true,
});

/**
 * Each user's notifications in their own partition, beside a counter of the unread ones:
 * `NOTIFICATION#<id>` sorts just before `NOTIFICATIONS`, so one descending Query from the
 * counter reads it and the newest notifications together. Delivering and marking read change
 * the notification and the counter in one transaction, so the count never drifts.
 */
export class DynamoNotificationInbox implements NotificationInbox {
  constructor(private readonly db: Db) {}

  async list(userId: string, query: { limit: number; cursor?: string }) {
    const pk = keys.userPartition(userId);
    const start = decodeCursor(query.cursor, { PK: pk }, { from: 'NOTIFICATION#', to: 'NOTIFICATIONS' });
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': 'NOTIFICATION#', ':to': 'NOTIFICATIONS' },
          ScanIndexForward: false,
          // The first page also holds the counter.
          Limit: query.limit + (start ? 0 : 1),
          ExclusiveStartKey: start,
        }),
      )
      .catch(rethrowCursorError(query.cursor));
    const items = result.Items ?? [];
    const counter = items.find((i) => i.SK === 'NOTIFICATIONS');
    return {
      items: items.filter((i) => i.SK !== 'NOTIFICATIONS').map(toNotification),
      unread: Math.max(0, (counter?.unread as number | undefined) ?? 0),
      nextCursor: encodeCursor(result.LastEvaluatedKey),
    };
  }

  async markRead(userId: string, notificationId: string): Promise<boolean> {
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.db.tableName,
                Key: keys.notification(userId, notificationId),
                UpdateExpression: 'SET #read = :true',
                ConditionExpression: 'attribute_exists(PK) AND #read = :false',
                ExpressionAttributeNames: { '#read': 'read' },
                ExpressionAttributeValues: { ':true': true, ':false': false },
              },
            },
            {
              Update: {
                TableName: this.db.tableName,
                Key: keys.unreadCounter(userId),
                UpdateExpression: 'ADD unread :minus',
                ExpressionAttributeValues: { ':minus': -1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') {
        // Already read, or no such notification: tell them apart with one more read only then.
        const { Items } = await this.db.doc.send(
          new QueryCommand({
            TableName: this.db.tableName,
            KeyConditionExpression: 'PK = :pk AND SK = :sk',
            ExpressionAttributeValues: { ':pk': keys.userPartition(userId), ':sk': keys.notification(userId, notificationId).SK },
          }),
        );
        return (Items ?? []).length > 0;
      }
      if (isConditionFailed(error)) return false;
      rethrowStoreError(error);
    }
  }

  async deliver(userIds: readonly string[], notification: Omit<Notification, 'read'>): Promise<void> {
    await Promise.all(
      [...new Set(userIds)].map((userId) =>
        this.db.doc
          .send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: this.db.tableName,
                    Item: { ...keys.notification(userId, notification.id), type: 'notification', ...notification, read: false },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                {
                  Update: {
                    TableName: this.db.tableName,
                    Key: keys.unreadCounter(userId),
                    UpdateExpression: 'ADD unread :one',
                    ExpressionAttributeValues: { ':one': 1 },
                  },
                },
              ],
            }),
          )
          .catch(rethrowStoreError),
      ),
    );
  }
}
