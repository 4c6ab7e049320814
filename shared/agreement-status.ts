import type { AgreementStatus } from './schemas/agreement';

const DAY_MS = 86_400_000;

/**
 * Where an organisation stands with the common agreement.
 *
 * - signed: it signed the current version.
 * - grace: it signed an earlier version and the current one is younger than its grace period.
 * - outdated: it signed an earlier version and the grace period has passed.
 * - unsigned: it never signed. The grace period is for re-signing, not for first signing.
 * - no_agreement: nothing has been published yet; nothing can be required.
 */
export function agreementStatus(
  current: { readonly version: number; readonly publishedAt: string; readonly graceDays: number } | null,
  signedVersion: number | null,
  now: Date,
): AgreementStatus {
  if (!current) {
    return { state: 'no_agreement', currentVersion: null, signedVersion, graceEndsAt: null, mayAct: true };
  }
  const base = { currentVersion: current.version, signedVersion, graceEndsAt: null };
  if (signedVersion === current.version) return { ...base, state: 'signed', mayAct: true };
  if (signedVersion === null) return { ...base, state: 'unsigned', mayAct: false };
  const graceEnds = new Date(Date.parse(current.publishedAt) + current.graceDays * DAY_MS);
  if (now < graceEnds) return { ...base, state: 'grace', graceEndsAt: graceEnds.toISOString(), mayAct: true };
  return { ...base, state: 'outdated', mayAct: false };
}
