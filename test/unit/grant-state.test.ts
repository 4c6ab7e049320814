import { describe, expect, it } from 'vitest';
import { type EndableGrant, downloadLifetimeSeconds, downloadName, dueReminder, effectiveGrantState, endGrant, grantEndsAt, obligationDueAt, requireDownloadable } from '../../shared/grant-state';

const at = (iso: string) => new Date(iso);
const grant = { state: 'active' as const, startDate: '2026-04-01', endDate: '2026-06-30' };

describe('a grant\'s effective state', () => {
  it('is active through the whole end date and expired from the next day, whatever is stored', () => {
    expect(grantEndsAt('2026-06-30').toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(effectiveGrantState(grant, at('2026-06-30T23:59:59.999Z'))).toBe('active');
    expect(effectiveGrantState(grant, at('2026-07-01T00:00:00.000Z'))).toBe('expired');
  });

  it('keeps revoked and closed as stored', () => {
    expect(effectiveGrantState({ ...grant, state: 'revoked' }, at('2026-05-01T00:00:00Z'))).toBe('revoked');
    expect(effectiveGrantState({ ...grant, state: 'closed' }, at('2026-08-01T00:00:00Z'))).toBe('closed');
  });
});

describe('downloads', () => {
  it('are refused with the reason: revoked, ended, not started', () => {
    const code = (g: Parameters<typeof requireDownloadable>[0], now: string) => {
      try {
        requireDownloadable(g, at(now));
        return 'ok';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    expect(code(grant, '2026-05-01T00:00:00Z')).toBe('ok');
    expect(code({ ...grant, state: 'revoked' }, '2026-05-01T00:00:00Z')).toBe('grant_revoked');
    expect(code(grant, '2026-07-01T00:00:00Z')).toBe('grant_expired');
    expect(code({ ...grant, state: 'closed' }, '2026-05-01T00:00:00Z')).toBe('grant_expired');
    expect(code(grant, '2026-03-31T23:59:59Z')).toBe('grant_not_started');
  });

  it('live five minutes, cut short by the grant\'s end', () => {
    expect(downloadLifetimeSeconds('2026-06-30', at('2026-05-01T00:00:00Z'))).toBe(300);
    expect(downloadLifetimeSeconds('2026-06-30', at('2026-06-30T23:58:00Z'))).toBe(120);
    expect(downloadLifetimeSeconds('2026-06-30', at('2026-06-30T23:59:59.500Z'))).toBe(1);
  });

  it('are saved under an ASCII name the server chooses', () => {
    expect(downloadName('Public transit: ridership by stop!', 2, 'ridership 2025.csv')).toBe('public-transit-ridership-by-stop-v2-ridership_2025.csv');
  });
});

describe('the lifecycle', () => {
  it('reminds 14 and 3 days before the end, each once', () => {
    expect(dueReminder('2026-06-30', [], at('2026-06-10T00:00:00Z'))).toBe(null);
    expect(dueReminder('2026-06-30', [], at('2026-06-17T00:00:00Z'))).toBe(14);
    expect(dueReminder('2026-06-30', [14], at('2026-06-20T00:00:00Z'))).toBe(null);
    expect(dueReminder('2026-06-30', [14], at('2026-06-28T00:00:00Z'))).toBe(3);
    // A job that missed the first reminder sends the nearer one.
    expect(dueReminder('2026-06-30', [], at('2026-06-29T00:00:00Z'))).toBe(3);
    expect(dueReminder('2026-06-30', [14, 3], at('2026-06-29T00:00:00Z'))).toBe(null);
    expect(dueReminder('2026-06-30', [], at('2026-07-02T00:00:00Z'))).toBe(null);
  });

  it('opens both closure obligations once, due after the governance deadline', () => {
    let n = 0;
    const start: EndableGrant = { state: 'active', endedAt: null, obligations: [] };
    const ended = endGrant(start, 'expired', at('2026-07-01T00:00:00Z'), 30, () => `o${++n}`);
    expect(ended).toMatchObject({ state: 'expired', endedAt: '2026-07-01T00:00:00.000Z' });
    expect(ended.obligations.map((o) => [o.kind, o.dueAt, o.state])).toEqual([
      ['deletion_attestation', '2026-07-31T00:00:00.000Z', 'open'],
      ['outcome_report', '2026-07-31T00:00:00.000Z', 'open'],
    ]);
    expect(endGrant(ended, 'revoked', at('2026-08-01T00:00:00Z'), 30, () => 'x').obligations).toEqual(ended.obligations);
    expect(obligationDueAt(at('2026-01-01T00:00:00Z'), 1)).toBe('2026-01-02T00:00:00.000Z');
  });
});
