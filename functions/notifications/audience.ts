import type { DomainNotice, OrganizationRepository } from '../../shared/ports';
import type { User } from '../../shared/schemas/organization';

/**
 * Who a notice concerns: every user of the organisations it names (or only their org-admins, when
 * it says so), and, when it says so, the
 * consortium admins (users of the secretariat with that role). The in-app inbox and the mailer
 * both ask this, so a notice reaches the same people in both.
 */
export class NoticeAudience {
  private secretariatId: string | null = null;

  constructor(private readonly organizations: Pick<OrganizationRepository, 'listMembers' | 'list'>) {}

  /** The secretariat never changes: found once per container. */
  async secretariat(): Promise<string | null> {
    if (this.secretariatId) return this.secretariatId;
    let cursor: string | undefined;
    do {
      const page = await this.organizations.list({ limit: 100, cursor });
      const found = page.items.find((o) => o.kinds.includes('secretariat'));
      if (found) return (this.secretariatId = found.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return null;
  }

  async recipients(notice: Pick<DomainNotice, 'audience'>): Promise<User[]> {
    const orgIds = new Set(notice.audience.orgIds);
    const secretariat = notice.audience.consortiumAdmins ? await this.secretariat() : null;
    if (secretariat) orgIds.add(secretariat);
    const members = (await Promise.all([...orgIds].map((orgId) => this.organizations.listMembers(orgId)))).flat();
    const named = (user: User) => notice.audience.orgIds.includes(user.orgId) && (!notice.audience.orgAdminsOnly || user.roles.includes('org-admin'));
    return members.filter((user) => named(user) || (user.orgId === secretariat && user.roles.includes('consortium-admin')));
  }
}
