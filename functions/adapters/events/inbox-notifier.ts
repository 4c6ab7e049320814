import type { DomainNotice, IdGenerator, NotificationInbox, Notifier, OrganizationRepository } from '../../../shared/ports';
import { NoticeAudience } from '../../notifications/audience';

/**
 * Delivers each notice to the inbox of every user in its audience: the members of the named
 * organisations, and the consortium admins (users of the secretariat with that role).
 */
export class InboxNotifier implements Notifier {
  private readonly audience: NoticeAudience;

  constructor(
    organizations: Pick<OrganizationRepository, 'listMembers' | 'list'>,
    private readonly inbox: NotificationInbox,
    private readonly ids: IdGenerator,
  ) {
    this.audience = new NoticeAudience(organizations);
  }

  async notify(notices: readonly DomainNotice[]): Promise<void> {
    for (const notice of notices) {
      const recipients = await this.audience.recipients(notice);
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
