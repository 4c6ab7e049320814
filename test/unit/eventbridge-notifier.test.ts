import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
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

/** A stand-in for the client: records what would be sent, offline (the commands are the SDK's own). */
function fakeClient(failed = 0) {
  const sent: PutEventsCommand[] = [];
  return { sent, send: async (command: PutEventsCommand) => (sent.push(command), { FailedEntryCount: failed }) };
}

describe('the EventBridge notifier', () => {
  it('puts each notice on the bus as source accord, detail-type its kind, ten per call', async () => {
    const fake = fakeClient();
    const notifier = new EventBridgeNotifier('accord-domain-events', 'eu-west-1', fake);
    await notifier.notify(Array.from({ length: 12 }, (_, i) => notice(i)));
    await notifier.notify([notice(99)]);
    expect(fake.sent.map((c) => c.input.Entries!.length)).toEqual([10, 2, 1]);
    const entry = fake.sent[0]!.input.Entries![0]!;
    expect(entry).toMatchObject({ EventBusName: 'accord-domain-events', Source: 'accord', DetailType: 'grant_revoked' });
    expect(JSON.parse(entry.Detail as string)).toMatchObject({ title: 'Notice 0', subject: { type: 'grant', id: 'grant-0' }, grantId: 'grant-0' });
  });

  it('fails when the bus refuses an entry, and makes no call for no notice', async () => {
    const fake = fakeClient(1);
    const notifier = new EventBridgeNotifier('bus', 'eu-west-1', fake);
    await notifier.notify([]);
    expect(fake.sent).toEqual([]);
    await expect(notifier.notify([notice(1)])).rejects.toThrow(/refused 1/);
  });
});
