import type { IdGenerator, IdentityDirectory, OrganizationRepository } from '../../shared/ports';

/**
 * The local stand-in for Cognito: a user's subject is a fresh UUID, and the local issuer signs
 * tokens for whoever the membership records know by email.
 */
export class LocalDirectory implements IdentityDirectory {
  constructor(
    private readonly organizations: Pick<OrganizationRepository, 'userIdByEmail'>,
    private readonly ids: IdGenerator,
  ) {}

  async ensureUser(email: string): Promise<string> {
    return (await this.organizations.userIdByEmail(email)) ?? this.ids.newId();
  }

  /** Nothing to do: the local issuer signs only for current members, and every request checks standing. */
  async revokeAccess(): Promise<void> {}

  /** Nothing to do: sign-in is refused from the suspension record itself (POST /local/token). */
  async restoreAccess(): Promise<void> {}
}
