import { describe, expect, it } from 'vitest';
import { EventBridgeNotifier } from '../../functions/adapters/events/eventbridge-notifier';
import type { DomainNotice } from '../../shared/ports';

const notice = (n: number): DomainNotice => ({
  kind: 'grant_revoked',
  at: '2026-05-10T09:00:00.000Z',
  title: `Notice ${n}`,
  text: 'Access was revoked.',
  subject: { type: 'grant', id: `grant-${n}` },
  audience: { orgIds: ['org-1'], consortiumAdmins: true },
  details: { grantId: `grant-${n}` },
});

/** A stand-in for the SDK module: records what would be sent, offline. */
function fakeModule(failed = 0) {
  const sent: { Entries: Record<string, unknown>[] }[] = [];
  let loads = 0;
  class PutEventsCommand {
    constructor(readonly input: { Entries: Record<string, unknown>[] }) {}
  }
  class EventBridgeClient {
    async send(command: PutEventsCommand) {
      sent.push(command.input);
      return { FailedEntryCount: failed };
    }
  }
  const load = async () => {
    loads++;
    return { EventBridgeClient, PutEventsCommand } as unknown as typeof import('@aws-sdk/client-eventbridge');
  };
  return { sent, load, loads: () => loads };
}

describe('the EventBridge notifier', () => {
  it('puts each notice on the bus as source accord, detail-type its kind, ten per call, loading the SDK once', async () => {
    const fake = fakeModule();
    const notifier = new EventBridgeNotifier('accord-domain-events', 'eu-west-1', fake.load);
    await notifier.notify(Array.from({ length: 12 }, (_, i) => notice(i)));
    await notifier.notify([notice(99)]);
    expect(fake.loads()).toBe(1);
    expect(fake.sent.map((c) => c.Entries.length)).toEqual([10, 2, 1]);
    const entry = fake.sent[0]!.Entries[0]!;
    expect(entry).toMatchObject({ EventBusName: 'accord-domain-events', Source: 'accord', DetailType: 'grant_revoked' });
    expect(JSON.parse(entry.Detail as string)).toMatchObject({ title: 'Notice 0', subject: { type: 'grant', id: 'grant-0' }, grantId: 'grant-0' });
  });

  it('fails when the bus refuses an entry, and does not load the SDK for nothing', async () => {
    const fake = fakeModule(1);
    const notifier = new EventBridgeNotifier('bus', 'eu-west-1', fake.load);
    await notifier.notify([]);
    expect(fake.loads()).toBe(0);
    await expect(notifier.notify([notice(1)])).rejects.toThrow(/refused 1/);
  });
});
