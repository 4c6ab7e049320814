import type { DomainNotice } from '../../shared/ports';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../shared/schemas/notification';
import { loadConfig } from '../config';
import { mailNotices } from './mailer';
import { deployedMailer } from './mailer-deps';

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

const config = loadConfig();
const deps = deployedMailer(config);

/**
 * The domain bus's rule target: emails one notice to the people it concerns. A store failure
 * throws, so EventBridge and Lambda retry the event (then the dead-letter queue); a send that
 * fails is recorded and retried by the mail-jobs schedule instead, and a retried event sends
 * nothing already sent (the delivery keys).
 */
export const handler = async (event: DomainEvent) => {
  const notice = noticeFromEvent(event);
  if (!notice) {
    console.log(JSON.stringify({ level: 'info', message: 'not a notice kind; ignored', detailType: event['detail-type'], eventId: event.id }));
    return null;
  }
  const report = await mailNotices(deps, [notice]);
  console.log(JSON.stringify({ level: 'info', message: 'notice mailed', kind: notice.kind, eventId: event.id, ...report }));
  return report;
};
