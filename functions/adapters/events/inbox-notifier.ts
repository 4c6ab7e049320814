import type { DomainNotice, IdGenerator, NotificationInbox, Notifier, OrganizationRepository } from '../../../shared/ports';

/**
 * Delivers each notice to the inbox of every user in its audience: the members of the named
 * organisations, and the consortium admins (users of the secretariat with that role).
 */
export class InboxNotifier implements Notifier {
  private secretariatId: string | null = null;

  constructor(
    private readonly organizations: Pick<OrganizationRepository, 'listMembers' | 'list'>,
    private readonly inbox: NotificationInbox,
    private readonly ids: IdGenerator,
  ) {}

  /** The secretariat never changes: found once per container. */
  private async secretariat(): Promise<string | null> {
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

  async notify(notices: readonly DomainNotice[]): Promise<void> {
    for (const notice of notices) {
      const orgIds = new Set(notice.audience.orgIds);
      const secretariat = notice.audience.consortiumAdmins ? await this.secretariat() : null;
      if (secretariat) orgIds.add(secretariat);
      const members = (await Promise.all([...orgIds].map((orgId) => this.organizations.listMembers(orgId)))).flat();
      const recipients = members.filter(
        (user) =>
          notice.audience.orgIds.includes(user.orgId) ||
          (user.orgId === secretariat && user.roles.includes('consortium-admin')),
      );
      await this.inbox.deliver(
        recipients.map((u) => u.id),
        { id: `${notice.at}_${this.ids.newId()}`, kind: notice.kind, at: notice.at, title: notice.title, text: notice.text, subject: notice.subject },
      );
    }
  }
}

/** Sends every notice to each notifier; one failing does not stop the others. */
export class CompositeNotifier implements Notifier {
  constructor(private readonly notifiers: readonly Notifier[]) {}

  async notify(notices: readonly DomainNotice[]): Promise<void> {
    const results = await Promise.allSettled(this.notifiers.map((n) => n.notify(notices)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
