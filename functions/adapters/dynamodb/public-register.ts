import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PreparedWrite, PublicRegister, RegisterEntry } from '../../../shared/ports';
import type { Page } from '../../../shared/schemas/common';
import { prepare } from './audit-log';
import { rethrowStoreError, type Db } from './client';
import { decodeCursor, encodeCursor, rethrowCursorError } from './cursor';
import { keys } from './keys';

const toEntry = (item: Record<string, unknown>): RegisterEntry => ({
  proposalId: item.proposalId as string,
  title: item.title as string,
  organisation: item.organisation as string,
  purpose: item.purpose as RegisterEntry['purpose'],
  datasets: item.datasets as RegisterEntry['datasets'],
  startDate: item.startDate as string,
  endDate: item.endDate as string,
  approvedAt: item.approvedAt as string,
  grantCount: item.grantCount as number,
  outcomes: (item.outcomes as RegisterEntry['outcomes'] | undefined) ?? {},
  revokedGrantIds: [...((item.revokedGrantIds as Set<string> | undefined) ?? [])],
});

/**
 * One item per listed project beside its proposal (`PROPOSAL#<id>`/`REGISTER`), written in the
 * approving transaction and updated in the closing, renewing and revoking ones; the register is one Query
 * of GSI1 `REGISTER`. It holds only what the public may read.
 */
export class DynamoPublicRegister implements PublicRegister {
  constructor(private readonly db: Db) {}

  entryWrites(entry: RegisterEntry): PreparedWrite[] {
    return [
      prepare({
        Put: {
          TableName: this.db.tableName,
          Item: { ...keys.registerEntry(entry.proposalId), type: 'register-entry', ...entry, GSI1PK: keys.register, GSI1SK: `${entry.approvedAt}#${entry.proposalId}` },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
    ];
  }

  outcomeWrites(proposalId: string, grantId: string, outcome: RegisterEntry['outcomes'][string]): PreparedWrite[] {
    return this.entryUpdate(proposalId, 'SET outcomes.#grant = :outcome', { ':outcome': outcome }, { '#grant': grantId });
  }

  renewalWrites(proposalId: string, endDate: string): PreparedWrite[] {
    return this.entryUpdate(proposalId, 'SET endDate = :end', { ':end': endDate });
  }

  revocationWrites(proposalId: string, grantId: string): PreparedWrite[] {
    // A string set: ADD creates it on the first revocation.
    return this.entryUpdate(proposalId, 'ADD revokedGrantIds :grant', { ':grant': new Set([grantId]) });
  }

  /** An update of an existing entry, to join another entity's transaction. */
  private entryUpdate(proposalId: string, UpdateExpression: string, ExpressionAttributeValues: Record<string, unknown>, ExpressionAttributeNames?: Record<string, string>): PreparedWrite[] {
    return [
      prepare({
        Update: {
          TableName: this.db.tableName,
          Key: keys.registerEntry(proposalId),
          UpdateExpression,
          ConditionExpression: 'attribute_exists(PK)',
          ...(ExpressionAttributeNames ? { ExpressionAttributeNames } : {}),
          ExpressionAttributeValues,
        },
      }),
    ];
  }

  async list(query: { limit: number; cursor?: string }): Promise<Page<RegisterEntry>> {
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.register },
          ScanIndexForward: false,
          Limit: query.limit,
          ExclusiveStartKey: decodeCursor(query.cursor, { GSI1PK: keys.register }),
        }),
      )
      .catch(rethrowCursorError(query.cursor));
    return { items: (result.Items ?? []).map(toEntry), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }
}
