import type { DomainNotice } from '../../shared/ports';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../shared/schemas/notification';

/** A domain event as the EventBridge notifier publishes it (functions/adapters/events/eventbridge-notifier.ts). */
export interface DomainEvent {
  readonly id: string;
  readonly 'detail-type': string;
  readonly time: string;
  readonly detail: {
    readonly at?: string;
    readonly title: string;
    readonly text: string;
    readonly subject: DomainNotice['subject'];
    readonly audience: DomainNotice['audience'];
  };
}

/** The notice an event carries; null for a detail-type the mailer does not know. */
export function noticeFromEvent(event: DomainEvent): DomainNotice | null {
  const kind = event['detail-type'] as NotificationKind;
  if (!NOTIFICATION_KINDS.includes(kind)) return null;
  const { detail } = event;
  // `at` keeps the notice's milliseconds (the event's time has seconds only): the delivery key
  // is the same as the one any other consumer of the notice would compute.
  return { kind, at: detail.at ?? event.time, title: detail.title, text: detail.text, subject: detail.subject, audience: detail.audience };
}
