import type { DomainNotice, Notifier } from '../../../shared/ports';

type EventBridge = { send(command: unknown): Promise<{ FailedEntryCount?: number }> };
type Module = typeof import('@aws-sdk/client-eventbridge');

/**
 * Domain notices as EventBridge events (source `accord`, detail-type the notice kind) on the
 * consortium's bus. The client is imported on first use, so functions that never notify do not
 * load it at cold start.
 */
export class EventBridgeNotifier implements Notifier {
  private client: Promise<{ client: EventBridge; PutEventsCommand: Module['PutEventsCommand'] }> | null = null;

  constructor(
    private readonly busName: string,
    private readonly region: string,
    private readonly load: () => Promise<Module> = () => import('@aws-sdk/client-eventbridge'),
  ) {}

  private connect() {
    this.client ??= this.load().then((m) => ({ client: new m.EventBridgeClient({ region: this.region }) as unknown as EventBridge, PutEventsCommand: m.PutEventsCommand }));
    return this.client;
  }

  async notify(notices: readonly DomainNotice[]): Promise<void> {
    if (notices.length === 0) return;
    const { client, PutEventsCommand } = await this.connect();
    // PutEvents takes at most 10 entries.
    for (let i = 0; i < notices.length; i += 10) {
      const entries = notices.slice(i, i + 10).map((n) => ({
        EventBusName: this.busName,
        Source: 'accord',
        DetailType: n.kind,
        Time: new Date(n.at),
        Detail: JSON.stringify({ title: n.title, text: n.text, subject: n.subject, audience: n.audience, ...(n.details ?? {}) }),
      }));
      const result = await client.send(new PutEventsCommand({ Entries: entries }));
      if (result.FailedEntryCount) throw new Error(`EventBridge refused ${result.FailedEntryCount} event(s)`);
    }
  }
}
