/** Roles a user holds in their own organisation. `consortium-admin` exists only in the secretariat. */
export const ROLES = ['org-admin', 'member', 'consortium-admin'] as const;
export type Role = (typeof ROLES)[number];

/** What an organisation does in the consortium. */
export const ORGANIZATION_KINDS = ['secretariat', 'provider', 'member'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/**
 * The verified caller. Built on the server from the token's subject and the server's own
 * membership records; never from anything the client sends.
 */
export interface Caller {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly orgId: string;
  readonly orgName: string;
  readonly orgKinds: readonly OrganizationKind[];
  readonly roles: readonly Role[];
}

export const isConsortiumAdmin = (caller: Caller): boolean => caller.roles.includes('consortium-admin');
export const isOrgAdmin = (caller: Caller): boolean => caller.roles.includes('org-admin');
export const isProvider = (caller: Caller): boolean => caller.orgKinds.includes('provider');
