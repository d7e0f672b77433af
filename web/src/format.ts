// Dates in the viewer's timezone with relative times; durations and percentages for people.

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const abs = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** "3 minutes ago", "in 2 hours". */
export function relative(iso: string | Date, now = Date.now()): string {
  const s = (new Date(iso).getTime() - now) / 1000;
  const a = Math.abs(s);
  if (a < 45) return rtf.format(Math.round(s), 'second');
  if (a < 2700) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 64800) return rtf.format(Math.round(s / 3600), 'hour');
  if (a < 86400 * 26) return rtf.format(Math.round(s / 86400), 'day');
  if (a < 86400 * 320) return rtf.format(Math.round(s / (86400 * 30)), 'month');
  return rtf.format(Math.round(s / (86400 * 365)), 'year');
}

/** The full date and time in the viewer's timezone. */
export const absolute = (iso: string | Date): string => abs.format(new Date(iso));

/** A date and time in a named timezone (a job's), with the zone shown. */
export function inZone(iso: string, timeZone: string): string {
  try {
    // dateStyle/timeStyle cannot be combined with timeZoneName: spell the parts out.
    return new Intl.DateTimeFormat(undefined, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return absolute(iso);
  }
}

export function duration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function percent(ratio: number | null | undefined): string {
  if (ratio == null) return '—';
  const p = ratio * 100;
  return `${p >= 99.995 ? '100' : p.toFixed(p >= 99 ? 2 : 1)}%`;
}

export const ms = (v: number | null | undefined) => (v == null ? '—' : `${Math.round(v)} ms`);
