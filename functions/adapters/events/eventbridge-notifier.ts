import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DomainNotice, Notifier } from '../../../shared/ports';

/** The one call the notifier makes. */
export type EventBridge = { send(command: PutEventsCommand): Promise<{ FailedEntryCount?: number }> };

/**
 * Domain notices as EventBridge events (source `accord`, detail-type the notice kind) on the
 * consortium's bus. The client is imported statically: importing the package on first use kept
 * all of it in the bundle (44 KB more) and made cold init no faster (BENCHMARKS.md).
 */
export class EventBridgeNotifier implements Notifier {
  constructor(
    private readonly busName: string,
    region: string,
    private readonly client: EventBridge = new EventBridgeClient({ region }),
  ) {}

  async notify(notices: readonly DomainNotice[]): Promise<void> {
    // PutEvents takes at most 10 entries.
    for (let i = 0; i < notices.length; i += 10) {
      const entries = notices.slice(i, i + 10).map((n) => ({
        EventBusName: this.busName,
        Source: 'accord',
        DetailType: n.kind,
        Time: new Date(n.at),
        Detail: JSON.stringify({ at: n.at, title: n.title, text: n.text, subject: n.subject, audience: n.audience, ...(n.details ?? {}) }),
      }));
      const result = await this.client.send(new PutEventsCommand({ Entries: entries }));
      if (result.FailedEntryCount) throw new Error(`EventBridge refused ${result.FailedEntryCount} event(s)`);
    }
  }
}
