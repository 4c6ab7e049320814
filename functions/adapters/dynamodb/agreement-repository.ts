import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../shared/errors';
import type { AuditDraft } from '../../../shared/audit-chain';
import type { AgreementRepository, AgreementStanding } from '../../../shared/ports';
import type { AgreementVersion, Signature } from '../../../shared/schemas/agreement';
import type { Page } from '../../../shared/schemas/common';
import { failedConditions, queryAll, rethrowStoreError, type Db } from './client';
import { decodeCursor, encodeCursor, rethrowCursorError } from './cursor';
import { DynamoAuditLog } from './audit-log';
import { keys } from './keys';

const toVersion = (item: Record<string, unknown>): AgreementVersion => ({
  version: item.version as number,
  text: item.text as string,
  sha256: item.sha256 as string,
  publishedAt: item.publishedAt as string,
  publishedBy: item.publishedBy as string,
  graceDays: item.graceDays as number,
  summary: (item.summary as string | undefined) ?? null,
});

const toSignature = (item: Record<string, unknown>): Signature => ({
  orgId: item.orgId as string,
  orgName: item.orgName as string,
  version: item.version as number,
  sha256: item.sha256 as string,
  signedAt: item.signedAt as string,
  signedBy: item.signedBy as string,
});

/**
 * Agreement versions are immutable items; a CURRENT pointer beside them lets a standing check
 * fetch the organisation and the current version in one BatchGet.
 */
export class DynamoAgreementRepository implements AgreementRepository {
  constructor(
    private readonly db: Db,
    private readonly audit: DynamoAuditLog = new DynamoAuditLog(db),
  ) {}

  async current(): Promise<AgreementVersion | null> {
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.agreementPartition, ':prefix': keys.agreementVersionPrefix },
          ScanIndexForward: false,
          Limit: 1,
        }),
      )
      .catch(rethrowStoreError);
    const item = result.Items?.[0];
    return item ? toVersion(item) : null;
  }

  async version(version: number): Promise<AgreementVersion | null> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.agreementVersion(version) }))
      .catch(rethrowStoreError);
    return Item ? toVersion(Item) : null;
  }

  async versions(): Promise<Omit<AgreementVersion, 'text' | 'publishedBy'>[]> {
    // Texts stay out of this read (up to 200 KB each): only what a list shows is projected.
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.agreementPartition, ':prefix': keys.agreementVersionPrefix },
      ProjectionExpression: 'version, sha256, publishedAt, graceDays, summary',
      ScanIndexForward: false,
    });
    return items.map((item) => {
      const { text: _text, publishedBy: _by, ...summary } = toVersion(item);
      return summary;
    });
  }

  async publish(version: AgreementVersion, audit: readonly AuditDraft[] = []): Promise<void> {
    const TableName = this.db.tableName;
    const pointer = { version: version.version, sha256: version.sha256, publishedAt: version.publishedAt, graceDays: version.graceDays };
    try {
      await this.audit.transact(
          [
            {
              Put: {
                TableName,
                Item: { ...keys.agreementVersion(version.version), type: 'agreement-version', ...version },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName,
                Item: { ...keys.agreementCurrent(), type: 'agreement-current', ...pointer },
                // Exactly one publish can move the pointer from n-1 to n.
                ConditionExpression:
                  version.version === 1 ? 'attribute_not_exists(PK)' : 'version = :previous',
                ...(version.version === 1 ? {} : { ExpressionAttributeValues: { ':previous': version.version - 1 } }),
              },
            },
          ],
        audit,
      );
    } catch (error) {
      if (failedConditions(error).length > 0) {
        throw new ConflictError('version_conflict', 'Another agreement version was published at the same time; reload and try again');
      }
      rethrowStoreError(error);
    }
  }

  async sign(signature: Signature, audit: readonly AuditDraft[] = []): Promise<void> {
    const TableName = this.db.tableName;
    try {
      await this.audit.transact(
          [
            {
              Put: {
                TableName,
                Item: {
                  ...keys.signature(signature.orgId, signature.version),
                  ...keys.signaturesIndex(signature.orgId, signature.version),
                  type: 'signature',
                  ...signature,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              ConditionCheck: {
                TableName,
                Key: keys.agreementCurrent(),
                ConditionExpression: 'version = :version AND sha256 = :sha',
                ExpressionAttributeValues: { ':version': signature.version, ':sha': signature.sha256 },
              },
            },
            {
              Update: {
                TableName,
                Key: keys.organization(signature.orgId),
                UpdateExpression: 'SET latestSignature = :signature',
                ConditionExpression: 'attribute_exists(PK)',
                ExpressionAttributeValues: {
                  ':signature': {
                    version: signature.version,
                    hash: signature.sha256,
                    signedAt: signature.signedAt,
                    signedBy: signature.signedBy,
                  },
                },
              },
            },
          ],
        audit,
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.includes(0)) throw new ConflictError('already_signed', `Your organisation already signed version ${signature.version}`);
      if (failed.includes(1)) throw new ConflictError('agreement_changed', 'That is no longer the current agreement version; reload it and sign again');
      rethrowStoreError(error);
    }
  }

  async listSignatures(page: { limit: number; cursor?: string }): Promise<Page<Signature>> {
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': 'SIGNATURES' },
          ScanIndexForward: false,
          Limit: page.limit,
          ExclusiveStartKey: decodeCursor(page.cursor, { GSI1PK: 'SIGNATURES' }),
        }),
      )
      .catch(rethrowCursorError(page.cursor));
    return { items: (result.Items ?? []).map(toSignature), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }

  async standing(orgId: string): Promise<AgreementStanding> {
    const TableName = this.db.tableName;
    const result = await this.db.doc
      .send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [keys.organization(orgId), keys.agreementCurrent()] } } }))
      .catch(rethrowStoreError);
    const items = result.Responses?.[TableName] ?? [];
    const org = items.find((i) => i.SK === 'ORG');
    const current = items.find((i) => i.SK === 'CURRENT');
    return {
      current: current
        ? {
            version: current.version as number,
            sha256: current.sha256 as string,
            publishedAt: current.publishedAt as string,
            graceDays: current.graceDays as number,
          }
        : null,
      signedVersion: (org?.latestSignature as { version: number } | undefined)?.version ?? null,
    };
  }
}
