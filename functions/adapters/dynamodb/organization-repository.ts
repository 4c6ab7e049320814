import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditDraft } from '../../../shared/audit-chain';
import { ConflictError } from '../../../shared/errors';
import type { Membership, OrganizationRepository } from '../../../shared/ports';
import type { Page } from '../../../shared/schemas/common';
import type { Organization, User } from '../../../shared/schemas/organization';
import { failedConditions, queryAll, rethrowStoreError, type Db } from './client';
import { decodeCursor, encodeCursor, rethrowCursorError } from './cursor';
import { DynamoAuditLog } from './audit-log';
import { keys } from './keys';

const NOT_EXISTS = 'attribute_not_exists(PK)';

type OrgSummary = Pick<Organization, 'id' | 'name' | 'kinds'>;

const toOrganization = (item: Record<string, unknown>): Organization => ({
  id: item.id as string,
  name: item.name as string,
  kinds: item.kinds as Organization['kinds'],
  createdAt: item.createdAt as string,
  latestSignature: (item.latestSignature as Organization['latestSignature']) ?? null,
});

const toUser = (item: Record<string, unknown>): User => ({
  id: item.id as string,
  email: item.email as string,
  name: item.name as string,
  orgId: item.orgId as string,
  roles: item.roles as User['roles'],
  createdAt: item.createdAt as string,
});

/** Organisations, their users, and the membership lookup that authorises every request. */
export class DynamoOrganizationRepository implements OrganizationRepository {
  constructor(
    private readonly db: Db,
    private readonly audit: DynamoAuditLog = new DynamoAuditLog(db),
  ) {}

  /** The user item carries its organisation's name and kinds (which never change) so a caller is one GetItem. */
  private userPuts(user: User, org: OrgSummary) {
    const { TableName } = { TableName: this.db.tableName };
    return [
      {
        Put: {
          TableName,
          Item: {
            ...keys.user(user.id),
            type: 'user',
            ...user,
            orgName: org.name,
            orgKinds: org.kinds,
          },
          ConditionExpression: NOT_EXISTS,
        },
      },
      {
        Put: {
          TableName,
          Item: { ...keys.userEmail(user.email), type: 'user-email', userId: user.id },
          ConditionExpression: NOT_EXISTS,
        },
      },
      // A copy in the organisation's partition, so an organisation and its members are one Query.
      { Put: { TableName, Item: { ...keys.organizationMember(user.orgId, user.email), type: 'member', ...user } } },
    ];
  }

  async create(organization: Organization, firstUser: User, audit: readonly AuditDraft[] = []): Promise<void> {
    const TableName = this.db.tableName;
    try {
      await this.audit.transact(
          [
            {
              Put: {
                TableName,
                Item: { ...keys.organizationName(organization.name), type: 'org-name', orgId: organization.id },
                ConditionExpression: NOT_EXISTS,
              },
            },
            {
              Put: {
                TableName,
                Item: {
                  ...keys.organization(organization.id),
                  ...keys.organizationsIndex(organization.name, organization.id),
                  type: 'organization',
                  ...organization,
                },
                ConditionExpression: NOT_EXISTS,
              },
            },
            ...this.userPuts(firstUser, organization),
          ],
        audit,
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.includes(0)) throw new ConflictError('name_taken', `An organisation named "${organization.name}" exists`);
      if (failed.includes(3)) throw new ConflictError('email_taken', `${firstUser.email} already belongs to an organisation`);
      rethrowStoreError(error);
    }
  }

  async get(orgId: string): Promise<Organization | null> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.organization(orgId) }))
      .catch(rethrowStoreError);
    return Item ? toOrganization(Item) : null;
  }

  async list(page: { limit: number; cursor?: string }): Promise<Page<Organization>> {
    const result = await this.db.doc
      .send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': 'ORGS' },
          Limit: page.limit,
          ExclusiveStartKey: decodeCursor(page.cursor, { GSI1PK: 'ORGS' }),
        }),
      )
      .catch(rethrowCursorError(page.cursor));
    return { items: (result.Items ?? []).map(toOrganization), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }

  async addUser(user: User, organization: OrgSummary): Promise<void> {
    try {
      await this.db.doc.send(new TransactWriteCommand({ TransactItems: this.userPuts(user, organization) }));
    } catch (error) {
      if (failedConditions(error).length > 0) {
        throw new ConflictError('email_taken', `${user.email} already belongs to an organisation`);
      }
      rethrowStoreError(error);
    }
  }

  async listMembers(orgId: string): Promise<User[]> {
    return (await this.withMembers(orgId)).members;
  }

  async withMembers(orgId: string): Promise<{ organization: Organization | null; members: User[] }> {
    // 'MEMBER#…' < 'OBLIGATION#…' < 'ORG': the organisation item and its members, obligations filtered out.
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      FilterExpression: '#type IN (:member, :organization)',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':pk': `ORG#${orgId}`, ':from': 'MEMBER#', ':to': 'ORG', ':member': 'member', ':organization': 'organization' },
    });
    const org = items.find((i) => i.type === 'organization');
    return { organization: org ? toOrganization(org) : null, members: items.filter((i) => i.type === 'member').map(toUser) };
  }

  async membership(userId: string): Promise<Membership | null> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.user(userId) }))
      .catch(rethrowStoreError);
    if (!Item) return null;
    return {
      user: toUser(Item),
      organization: { id: Item.orgId as string, name: Item.orgName as string, kinds: Item.orgKinds as Organization['kinds'] },
    };
  }

  async userIdByEmail(email: string): Promise<string | null> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.userEmail(email) }))
      .catch(rethrowStoreError);
    return (Item?.userId as string | undefined) ?? null;
  }
}
