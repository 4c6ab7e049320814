import { loadConfig } from '../config';
import { mailNotices } from './mailer';
import { deployedMailer } from './mailer-deps';
import { noticeFromEvent, type DomainEvent } from './notice-event';

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
