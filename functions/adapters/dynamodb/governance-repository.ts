import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { GovernanceRepository } from '../../../shared/ports';
import { DEFAULT_GOVERNANCE, type GovernanceResponse, type GovernanceSettings } from '../../../shared/schemas/governance';
import { rethrowStoreError, type Db } from './client';
import { keys } from './keys';

/**
 * One item of consortium-wide settings; defaults apply until an admin saves them. Settings change
 * rarely and many requests consult them, so a container keeps them for `cacheSeconds`.
 */
export class DynamoGovernanceRepository implements GovernanceRepository {
  private cached: { value: GovernanceResponse; until: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly cacheSeconds = 0,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<GovernanceResponse> {
    if (this.cached && this.cached.until > this.now()) return this.cached.value;
    const value = await this.read();
    if (this.cacheSeconds > 0) this.cached = { value, until: this.now() + this.cacheSeconds * 1000 };
    return value;
  }

  private async read(): Promise<GovernanceResponse> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.governance() }))
      .catch(rethrowStoreError);
    if (!Item) return { ...DEFAULT_GOVERNANCE, updatedAt: null, updatedBy: null };
    const { PK: _pk, SK: _sk, type: _type, ...settings } = Item;
    return { ...DEFAULT_GOVERNANCE, ...(settings as Partial<GovernanceResponse>), updatedAt: Item.updatedAt ?? null, updatedBy: Item.updatedBy ?? null } as GovernanceResponse;
  }

  async put(settings: GovernanceSettings, updatedBy: string, updatedAt: string): Promise<GovernanceResponse> {
    const item = { ...settings, updatedBy, updatedAt };
    await this.db.doc
      .send(new PutCommand({ TableName: this.db.tableName, Item: { ...keys.governance(), type: 'governance', ...item } }))
      .catch(rethrowStoreError);
    this.cached = null;
    return item;
  }
}
