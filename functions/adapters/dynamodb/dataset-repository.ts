import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditDraft, AuditHead } from '../../../shared/audit-chain';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../../shared/errors';
import type { DatasetRepository, FileOutcome, PreparedWrite, StoredDataset, StoredDatasetFile } from '../../../shared/ports';
import type { Page } from '../../../shared/schemas/common';
import type { CatalogQuery, DatasetMetadata } from '../../../shared/schemas/dataset';
import { batchGetItems, failedConditions, isConditionFailed, rethrowStoreError, type Db } from './client';
import { decodeCursor, encodeCursor, rethrowCursorError } from './cursor';
import { DynamoAuditLog, prepare, readWithAuditHead, stateCheck } from './audit-log';
import { keys } from './keys';

/** Lower-cased text the catalog's `q` filter searches. */
const searchText = (metadata: DatasetMetadata, providerName: string): string =>
  [metadata.title, metadata.description, metadata.keywords.join(' '), providerName].join(' ').toLowerCase();

const DATASET_FIELDS = [
  'id', 'providerOrgId', 'providerName', 'state', 'revision', 'metadataVersion', 'metadata', 'publishedVersion',
  'draftVersion', 'createdAt', 'updatedAt', 'publishedAt', 'retiredAt', 'retiredReason',
] as const;

/** Files live in a map on the dataset item, keyed by file id: one GetItem reads a dataset whole. */
const toDataset = (item: Record<string, unknown>): StoredDataset => {
  const dataset = Object.fromEntries(DATASET_FIELDS.map((f) => [f, item[f] ?? null])) as unknown as StoredDataset;
  const files = Object.values((item.files as Record<string, Record<string, unknown>> | undefined) ?? {}).map(toFile);
  return { ...dataset, files: files.sort((a, b) => a.version - b.version || a.name.localeCompare(b.name)) };
};

const toFile = (item: Record<string, unknown>): StoredDatasetFile => ({
  id: item.id as string,
  name: item.name as string,
  version: item.version as number,
  size: item.size as number,
  sha256: (item.sha256 as string | undefined) ?? null,
  sample: item.sample as boolean,
  // Files stored before verification existed say `uploaded`: they were hashed in place, and are ready.
  status: item.status === 'uploaded' ? 'ready' : (item.status as StoredDatasetFile['status']),
  rejectedReason: (item.rejectedReason as string | undefined) ?? null,
  uploadedAt: (item.uploadedAt as string | undefined) ?? null,
  objectKey: item.objectKey as string,
  contentType: item.contentType as string,
  uploadId: (item.uploadId as string | undefined) ?? null,
});

/**
 * Datasets with their files (a map on the dataset item) and their published versions (items
 * beside it). Reading a dataset is one GetItem; each file change is one conditional update.
 */
export class DynamoDatasetRepository implements DatasetRepository {
  constructor(
    private readonly db: Db,
    private readonly audit: DynamoAuditLog = new DynamoAuditLog(db),
  ) {}

  async create(dataset: StoredDataset): Promise<void> {
    const { files, ...fields } = dataset;
    await this.db.doc
      .send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: {
            ...keys.dataset(dataset.id),
            ...keys.providerIndex(dataset.providerOrgId, dataset.createdAt, dataset.id),
            type: 'dataset',
            ...fields,
            files: Object.fromEntries(files.map((f) => [f.id, f])),
            themes: dataset.metadata.themes,
            searchText: searchText(dataset.metadata, dataset.providerName),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      )
      .catch(rethrowStoreError);
  }

  async get(datasetId: string): Promise<StoredDataset | null> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.dataset(datasetId) }))
      .catch(rethrowStoreError);
    return Item ? toDataset(Item) : null;
  }

  async getMany(datasetIds: string[]): Promise<StoredDataset[]> {
    const unique = [...new Set(datasetIds)];
    if (unique.length === 0) return [];
    return (await batchGetItems(this.db, unique.map((id) => keys.dataset(id)))).map(toDataset);
  }

  async getManyWithAuditHead(datasetIds: string[]): Promise<{ datasets: StoredDataset[]; auditHead: AuditHead }> {
    const { items, auditHead } = await readWithAuditHead(this.db, [...new Set(datasetIds)].map((id) => keys.dataset(id)));
    return { datasets: items.map(toDataset), auditHead };
  }

  async updateMetadata(
    dataset: StoredDataset,
    metadata: DatasetMetadata,
    expectedRevision: number,
    updatedAt: string,
  ): Promise<StoredDataset> {
    const catalog = dataset.state === 'published' ? keys.catalogIndex(metadata.title, dataset.id) : null;
    try {
      const result = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.dataset(dataset.id),
          UpdateExpression:
            'SET metadata = :metadata, themes = :themes, searchText = :search, updatedAt = :at, ' +
            'revision = revision + :one, metadataVersion = metadataVersion + :one' +
            (catalog ? ', GSI1SK = :catalogSk' : ''),
          ConditionExpression: 'attribute_exists(PK) AND revision = :expected',
          ExpressionAttributeValues: {
            ':metadata': metadata,
            ':themes': metadata.themes,
            ':search': searchText(metadata, dataset.providerName),
            ':at': updatedAt,
            ':one': 1,
            ':expected': expectedRevision,
            ...(catalog ? { ':catalogSk': catalog.GSI1SK } : {}),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return toDataset(result.Attributes ?? {});
    } catch (error) {
      if (isConditionFailed(error)) {
        // The SDK leaves the failed item marshalled on the error.
        const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
        if (!old) throw new NotFoundError('Dataset');
        throw new PreconditionFailedError(unmarshall(old).revision as number);
      }
      rethrowStoreError(error);
    }
  }

  async addFile(datasetId: string, file: StoredDatasetFile): Promise<void> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.dataset(datasetId),
          UpdateExpression: 'SET files.#file = :file',
          // The file joins the unpublished draft version, or nothing happens.
          ConditionExpression: 'draftVersion = :version AND #state <> :retired AND attribute_not_exists(files.#file)',
          ExpressionAttributeNames: { '#file': file.id, '#state': 'state' },
          ExpressionAttributeValues: { ':file': file, ':version': file.version, ':retired': 'retired' },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) {
        throw new ConflictError('version_published', 'The draft version was published or the dataset retired meanwhile; reload and retry');
      }
      rethrowStoreError(error);
    }
  }

  async markVerifying(datasetId: string, file: StoredDatasetFile): Promise<void> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.dataset(datasetId),
          UpdateExpression: 'SET files.#file.#status = :verifying REMOVE files.#file.uploadId',
          ConditionExpression: 'draftVersion = :version AND files.#file.#status = :pending',
          ExpressionAttributeNames: { '#file': file.id, '#status': 'status' },
          ExpressionAttributeValues: { ':verifying': 'verifying', ':pending': 'pending', ':version': file.version },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) {
        const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
        const stored = old ? toDataset(unmarshall(old)) : null;
        if (stored && stored.draftVersion === file.version) throw new ConflictError('already_completed', 'This upload was already completed');
        throw new ConflictError('version_published', 'The file\'s version was published meanwhile; upload it again');
      }
      rethrowStoreError(error);
    }
  }

  async claimVerification(datasetId: string, file: StoredDatasetFile, claim: { token: string; now: string; until: string }): Promise<boolean> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.dataset(datasetId),
          UpdateExpression: 'SET files.#file.claimToken = :token, files.#file.claimUntil = :until',
          ConditionExpression:
            'draftVersion = :version AND files.#file.#status = :verifying AND (attribute_not_exists(files.#file.claimUntil) OR files.#file.claimUntil < :now)',
          ExpressionAttributeNames: { '#file': file.id, '#status': 'status' },
          ExpressionAttributeValues: { ':token': claim.token, ':until': claim.until, ':now': claim.now, ':verifying': 'verifying', ':version': file.version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      rethrowStoreError(error);
    }
  }

  async releaseVerification(datasetId: string, file: StoredDatasetFile, token: string): Promise<void> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.dataset(datasetId),
          UpdateExpression: 'REMOVE files.#file.claimToken, files.#file.claimUntil',
          ConditionExpression: 'files.#file.claimToken = :token',
          ExpressionAttributeNames: { '#file': file.id },
          ExpressionAttributeValues: { ':token': token },
        }),
      );
    } catch (error) {
      // Another run's claim now, or the file is gone: nothing of ours to give up.
      if (!isConditionFailed(error)) rethrowStoreError(error);
    }
  }

  async recordFileOutcome(
    datasetId: string,
    file: StoredDatasetFile,
    from: 'pending' | 'verifying',
    outcome: FileOutcome,
    claimToken?: string,
  ): Promise<boolean> {
    const values =
      outcome.status === 'ready'
        ? { ':size': outcome.size, ':sha': outcome.sha256, ':at': outcome.at }
        : { ':reason': outcome.reason };
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.dataset(datasetId),
          UpdateExpression:
            (outcome.status === 'ready'
              ? 'SET files.#file.#status = :to, files.#file.#size = :size, files.#file.sha256 = :sha, files.#file.uploadedAt = :at'
              : 'SET files.#file.#status = :to, files.#file.rejectedReason = :reason') +
            ' REMOVE files.#file.uploadId, files.#file.claimToken, files.#file.claimUntil',
          ConditionExpression:
            'draftVersion = :version AND files.#file.#status = :from' + (claimToken ? ' AND files.#file.claimToken = :token' : ''),
          ExpressionAttributeNames: { '#file': file.id, '#status': 'status', ...(outcome.status === 'ready' ? { '#size': 'size' } : {}) },
          ExpressionAttributeValues: {
            ':to': outcome.status,
            ':from': from,
            ':version': file.version,
            ...values,
            ...(claimToken ? { ':token': claimToken } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      rethrowStoreError(error);
    }
  }

  async removeFile(datasetId: string, file: StoredDatasetFile): Promise<void> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.dataset(datasetId),
          UpdateExpression: 'REMOVE files.#file',
          ConditionExpression: 'draftVersion = :version AND attribute_exists(files.#file)',
          ExpressionAttributeNames: { '#file': file.id },
          ExpressionAttributeValues: { ':version': file.version },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) {
        throw new ConflictError('version_published', 'The file\'s version was published, or the file removed, meanwhile; reload');
      }
      rethrowStoreError(error);
    }
  }

  async setSample(datasetId: string, file: StoredDatasetFile, sample: boolean): Promise<void> {
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.dataset(datasetId),
          UpdateExpression: 'SET files.#file.#sample = :sample',
          ConditionExpression: 'attribute_exists(files.#file)',
          ExpressionAttributeNames: { '#file': file.id, '#sample': 'sample' },
          ExpressionAttributeValues: { ':sample': sample },
        }),
      )
      .catch(rethrowStoreError);
  }

  async publishVersion(dataset: StoredDataset, files: StoredDatasetFile[], at: string, audit: readonly AuditDraft[] = []): Promise<void> {
    const version = dataset.draftVersion;
    try {
      await this.audit.transact(
          [
            {
              Update: {
                TableName: this.db.tableName,
                Key: keys.dataset(dataset.id),
                UpdateExpression:
                  'SET #state = :published, publishedVersion = :version, draftVersion = :next, publishedAt = :at, ' +
                  'updatedAt = :at, revision = revision + :one, GSI1PK = :catalogPk, GSI1SK = :catalogSk',
                // The files are those read: one added or removed since (whose readiness publish did not check) cancels it.
                ConditionExpression: 'draftVersion = :version AND #state <> :retired AND size(files) = :fileCount',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: {
                  ':published': 'published',
                  ':retired': 'retired',
                  ':fileCount': dataset.files.length,
                  ':version': version,
                  ':next': version + 1,
                  ':at': at,
                  ':one': 1,
                  ':catalogPk': keys.catalogIndex(dataset.metadata.title, dataset.id).GSI1PK,
                  ':catalogSk': keys.catalogIndex(dataset.metadata.title, dataset.id).GSI1SK,
                },
              },
            },
            {
              Put: {
                TableName: this.db.tableName,
                Item: {
                  ...keys.datasetVersion(dataset.id, version),
                  type: 'dataset-version',
                  version,
                  publishedAt: at,
                  metadataVersion: dataset.metadataVersion,
                  fileIds: files.map((f) => f.id),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        audit,
      );
    } catch (error) {
      if (failedConditions(error).length > 0) {
        throw new ConflictError('version_published', `Version ${version} was already published, the dataset retired, or its files changed meanwhile; reload`);
      }
      rethrowStoreError(error);
    }
  }

  async retire(dataset: StoredDataset, at: string, reason: string, audit: readonly AuditDraft[] = []): Promise<void> {
    try {
      await this.audit.transact(
        [
          {
            Update: {
              TableName: this.db.tableName,
              Key: keys.dataset(dataset.id),
              UpdateExpression: 'SET #state = :retired, retiredAt = :at, retiredReason = :reason, updatedAt = :at, revision = revision + :one REMOVE GSI1PK, GSI1SK',
              ConditionExpression: 'attribute_exists(PK) AND #state <> :retired',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':retired': 'retired', ':at': at, ':one': 1, ':reason': reason },
            },
          },
        ],
        audit,
      );
    } catch (error) {
      if (failedConditions(error).includes(0)) throw new ConflictError('invalid_transition', 'The dataset is already retired', { state: 'retired' });
      rethrowStoreError(error);
    }
  }

  offeredAt(datasetId: string, version: number): PreparedWrite {
    return prepare(stateCheck(this.db, keys.dataset(datasetId), '#state = :published AND publishedVersion = :version', { ':published': 'published', ':version': version }));
  }

  /** `q` and `theme` are filters on the page DynamoDB read, so a page can hold fewer than `limit` items. */
  private filters(query: CatalogQuery, extra: string[] = []) {
    const clauses = [...extra];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {};
    if (query.q) {
      clauses.push('contains(searchText, :q)');
      values[':q'] = query.q.toLowerCase();
    }
    if (query.theme) {
      clauses.push('contains(themes, :theme)');
      values[':theme'] = query.theme;
    }
    if (extra.length) {
      names['#state'] = 'state';
      values[':published'] = 'published';
    }
    return {
      ...(clauses.length ? { FilterExpression: clauses.join(' AND ') } : {}),
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      values,
    };
  }

  async listCatalog(query: CatalogQuery): Promise<Page<StoredDataset>> {
    if (query.provider) return this.queryProvider(query.provider, query, true);
    const { values, ...filter } = this.filters(query);
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': 'CATALOG', ...values },
          ...filter,
          Limit: query.limit,
          ExclusiveStartKey: decodeCursor(query.cursor, { GSI1PK: 'CATALOG' }),
        }),
      )
      .catch(rethrowCursorError(query.cursor));
    return { items: (result.Items ?? []).map(toDataset), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }

  listByProvider(orgId: string, query: CatalogQuery): Promise<Page<StoredDataset>> {
    return this.queryProvider(orgId, query, false);
  }

  private async queryProvider(orgId: string, query: CatalogQuery, publishedOnly: boolean): Promise<Page<StoredDataset>> {
    const pk = `PROVIDER#${orgId}`;
    const { values, ...filter } = this.filters(query, publishedOnly ? ['#state = :published'] : []);
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...values },
          ...filter,
          ScanIndexForward: false,
          Limit: query.limit,
          ExclusiveStartKey: decodeCursor(query.cursor, { GSI2PK: pk }),
        }),
      )
      .catch(rethrowCursorError(query.cursor));
    return { items: (result.Items ?? []).map(toDataset), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }
}
