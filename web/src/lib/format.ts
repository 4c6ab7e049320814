/**
 * Dates and sizes as the user reads them: Intl in the browser's locale, with the time zone
 * always stated, so that "submitted 3 Mar, 14:05 CET" means the same to everyone.
 */

export interface FormatOptions {
  readonly locale?: string;
  readonly timeZone?: string;
}

/** The user's time zone, e.g. "Europe/Madrid". */
export const userTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An instant: "3 Mar 2026, 14:05 CET". */
export function formatDateTime(iso: string | null | undefined, options: FormatOptions = {}): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(options.locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: options.timeZone,
  }).format(date);
}

/**
 * A calendar date (`2025-01-31`, no time of day): formatted in UTC so that it never shifts to
 * the day before west of Greenwich.
 */
export function formatDate(isoDate: string | null | undefined, options: Pick<FormatOptions, 'locale'> = {}): string {
  if (!isoDate) return '—';
  const date = new Date(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(options.locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}

const DAY_MS = 86_400_000;

/** Whole days from one calendar date to another, as the server counts a proposal's period. */
export function daysBetween(startDate: string, endDate: string): number | null {
  const start = Date.parse(startDate);
  const end = Date.parse(endDate);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return (end - start) / DAY_MS;
}

/** How long ago, in whole days (for queue ages). */
export function ageInDays(iso: string, now: number = Date.now()): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / DAY_MS));
}

/** 1536 → "1.5 KB"; decimal units, as storage is sold. */
export function formatBytes(bytes: number, locale?: string): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export const shortHash = (sha256: string | null | undefined): string => (sha256 ? `${sha256.slice(0, 12)}…` : '—');

/** "changes_requested" → "changes requested". */
export const humanize = (value: string): string => value.replace(/[_-]/g, ' ');
