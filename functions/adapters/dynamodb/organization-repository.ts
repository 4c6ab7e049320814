import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditDraft } from '../../../shared/audit-chain';
import { ConflictError } from '../../../shared/errors';
import type { MemberChange, Membership, OrganizationRepository } from '../../../shared/ports';
import type { Page } from '../../../shared/schemas/common';
import type { Organization, Suspension, User } from '../../../shared/schemas/organization';
import { failedConditions, queryAll, rethrowStoreError, type Db } from './client';
import { decodeCursor, encodeCursor, rethrowCursorError } from './cursor';
import { DynamoAuditLog, type TransactItem } from './audit-log';
import { keys } from './keys';

const NOT_EXISTS = 'attribute_not_exists(PK)';

type OrgSummary = Pick<Organization, 'id' | 'name' | 'kinds'>;

const toOrganization = (item: Record<string, unknown>): Organization => ({
  id: item.id as string,
  name: item.name as string,
  kinds: item.kinds as Organization['kinds'],
  createdAt: item.createdAt as string,
  latestSignature: (item.latestSignature as Organization['latestSignature']) ?? null,
  suspension: (item.suspension as Suspension | undefined) ?? null,
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

  async standing(userId: string, orgId?: string): Promise<Membership | null> {
    const TableName = this.db.tableName;
    let user: Record<string, unknown> | undefined;
    let org: Record<string, unknown> | undefined;
    if (orgId) {
      const { Responses } = await this.db.doc
        .send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [keys.user(userId), keys.organization(orgId)], ConsistentRead: true } } }))
        .catch(rethrowStoreError);
      const items = Responses?.[TableName] ?? [];
      user = items.find((i) => i.type === 'user');
      org = items.find((i) => i.type === 'organization');
    } else {
      ({ Item: user } = await this.db.doc.send(new GetCommand({ TableName, Key: keys.user(userId), ConsistentRead: true })).catch(rethrowStoreError));
    }
    if (!user) return null;
    // Unknown or stale organisation (a user removed and added to another): read the right one.
    if (org?.id !== user.orgId) {
      ({ Item: org } = await this.db.doc
        .send(new GetCommand({ TableName, Key: keys.organization(user.orgId as string), ConsistentRead: true }))
        .catch(rethrowStoreError));
    }
    return {
      user: toUser(user),
      organization: {
        id: user.orgId as string,
        name: user.orgName as string,
        kinds: user.orgKinds as Organization['kinds'],
        suspension: (org?.suspension as Suspension | undefined) ?? null,
      },
    };
  }

  /** The condition that another member keeps an admin role: a check on that member's copy. */
  private keptRoleCheck(orgId: string, email: string, role: string): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.db.tableName,
        Key: keys.organizationMember(orgId, email),
        ConditionExpression: 'contains(#roles, :role)',
        ExpressionAttributeNames: { '#roles': 'roles' },
        ExpressionAttributeValues: { ':role': role },
      },
    };
  }

  private async memberTransaction(change: MemberChange, items: TransactItem[]): Promise<void> {
    const kept = change.kept ?? [];
    const all = [...items, ...kept.map((k) => this.keptRoleCheck(change.user.orgId, k.email, k.role))];
    try {
      await this.audit.transact(all, change.audit);
    } catch (error) {
      const failed = failedConditions(error);
      const lost = kept.find((_, i) => failed.includes(items.length + i));
      if (lost) {
        throw new ConflictError(`last_${lost.role.replace('-', '_')}`, `The organisation would be left without a ${lost.role}; give another member that role first`);
      }
      if (failed.length > 0) throw new ConflictError('not_a_member', `${change.user.email} is no longer a member of this organisation`);
      rethrowStoreError(error);
    }
  }

  async removeUser(change: MemberChange): Promise<void> {
    const TableName = this.db.tableName;
    const { user } = change;
    await this.memberTransaction(change, [
      {
        Delete: {
          TableName, Key: keys.user(user.id),
          ConditionExpression: 'orgId = :org', ExpressionAttributeValues: { ':org': user.orgId },
        },
      },
      { Delete: { TableName, Key: keys.userEmail(user.email), ConditionExpression: 'userId = :id', ExpressionAttributeValues: { ':id': user.id } } },
      { Delete: { TableName, Key: keys.organizationMember(user.orgId, user.email), ConditionExpression: 'attribute_exists(PK)' } },
    ]);
  }

  async setRoles(change: MemberChange & { readonly roles: User['roles'] }): Promise<void> {
    const TableName = this.db.tableName;
    const { user } = change;
    const update = {
      UpdateExpression: 'SET #roles = :roles',
      ConditionExpression: 'attribute_exists(PK) AND orgId = :org',
      ExpressionAttributeNames: { '#roles': 'roles' },
      ExpressionAttributeValues: { ':roles': [...change.roles], ':org': user.orgId },
    };
    await this.memberTransaction(change, [
      { Update: { TableName, Key: keys.user(user.id), ...update } },
      { Update: { TableName, Key: keys.organizationMember(user.orgId, user.email), ...update } },
    ]);
  }

  async setSuspension(orgId: string, suspension: Suspension | null, audit: readonly AuditDraft[]): Promise<void> {
    const item = suspension
      ? { UpdateExpression: 'SET suspension = :s', ExpressionAttributeValues: { ':s': suspension } }
      : { UpdateExpression: 'REMOVE suspension' };
    try {
      await this.audit.transact(
        [{ Update: { TableName: this.db.tableName, Key: keys.organization(orgId), ConditionExpression: 'attribute_exists(PK)', ...item } }],
        audit,
      );
    } catch (error) {
      if (failedConditions(error).length > 0) throw new ConflictError('not_found', 'No such organisation');
      rethrowStoreError(error);
    }
  }

  async userIdByEmail(email: string): Promise<string | null> {
    const { Item } = await this.db.doc
      .send(new GetCommand({ TableName: this.db.tableName, Key: keys.userEmail(email) }))
      .catch(rethrowStoreError);
    return (Item?.userId as string | undefined) ?? null;
  }
}
