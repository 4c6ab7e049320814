import { describe, expect, it } from 'vitest';
import { agreementStatus } from '../../shared/agreement-status';

const v2 = { version: 2, publishedAt: '2026-01-01T00:00:00.000Z', graceDays: 30 };
const at = (iso: string) => new Date(iso);

describe('agreementStatus', () => {
  it('lets everyone act while no agreement is published', () => {
    expect(agreementStatus(null, null, at('2026-01-01T00:00:00Z'))).toMatchObject({ state: 'no_agreement', mayAct: true });
  });

  it('is signed when the organisation signed the current version', () => {
    expect(agreementStatus(v2, 2, at('2027-01-01T00:00:00Z'))).toMatchObject({ state: 'signed', mayAct: true, signedVersion: 2 });
  });

  it('gives no grace to an organisation that never signed', () => {
    expect(agreementStatus(v2, null, at('2026-01-02T00:00:00Z'))).toMatchObject({ state: 'unsigned', mayAct: false });
  });

  it('gives signers of an earlier version the grace period, to the millisecond', () => {
    const graceEnd = '2026-01-31T00:00:00.000Z';
    expect(agreementStatus(v2, 1, at('2026-01-30T23:59:59.999Z'))).toMatchObject({ state: 'grace', mayAct: true, graceEndsAt: graceEnd });
    expect(agreementStatus(v2, 1, at(graceEnd))).toMatchObject({ state: 'outdated', mayAct: false });
  });

  it('gives no grace when the grace period is zero days', () => {
    expect(agreementStatus({ ...v2, graceDays: 0 }, 1, at('2026-01-01T00:00:00Z'))).toMatchObject({ state: 'outdated' });
  });
});
