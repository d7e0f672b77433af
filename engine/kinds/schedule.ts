import { Cron } from 'croner';
import { LRUCache } from 'lru-cache';
import { parseDuration } from '../model/units.js';

/** A parsed schedule: either a cron pattern (croner) or a fixed `@every` interval, which croner does not parse. */
export type Schedule = { type: 'cron'; pattern: string } | { type: 'every'; ms: number };

// Validation runs on every reconcile; building an Intl formatter or a Cron costs about a
// millisecond, so answers are remembered (bounded: a source has few distinct schedules).
function memo<T extends NonNullable<unknown>>(cache: LRUCache<string, T>, key: string, compute: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = compute();
  cache.set(key, value);
  return value;
}
// maxSize at one per entry, not `max`: that allocates every slot up front, at start-up (see parse-cache.ts).
const zones = new LRUCache<string, boolean>({ maxSize: 10_000, sizeCalculation: () => 1 });
const schedules = new LRUCache<string, { schedule: Schedule } | { error: string }>({
  maxSize: 10_000,
  sizeCalculation: () => 1,
});

/** `Intl` is the authority on IANA names; croner accepts an unknown zone until it computes a run. */
export function isValidTimezone(tz: string): boolean {
  return memo(zones, tz, () => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  });
}

/** The nicknames croner understands (`@reboot` it refuses; it has no meaning for a server). */
const NICKNAMES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/**
 * Parses a FORMAT.md schedule: cron with 5, 6 (seconds) or 7 (year) fields, `@hourly`-style
 * nicknames, or `@every 90s`. Returns a message a person understands when it is not valid.
 */
export function parseSchedule(text: string, timezone = 'UTC'): { schedule: Schedule } | { error: string } {
  return memo(schedules, `${timezone}\0${text}`, () => parseScheduleUncached(text, timezone));
}

function parseScheduleUncached(text: string, timezone: string): { schedule: Schedule } | { error: string } {
  const trimmed = text.trim();
  // Anything starting with @every is an interval (croner would call `@every` "not five fields").
  const every = /^@every(?:\s+(.*))?$/i.exec(trimmed);
  if (every) {
    const ms = parseDuration(every[1] ?? '');
    if (ms === undefined || ms < 1000) {
      return { error: `"${text}" is not a valid interval: write @every followed by a duration of at least 1s, like @every 90s.` };
    }
    return { schedule: { type: 'every', ms } };
  }
  if (trimmed.startsWith('@') && !NICKNAMES.includes(trimmed.toLowerCase())) {
    return {
      error: `Schedule "${text}" is not a known nickname: use ${NICKNAMES.join(', ')}, or @every followed by a duration like @every 90s.`,
    };
  }
  // croner reads a string with ":" as a one-off date ("2030-01-01T00:00"): not a schedule.
  if (trimmed.includes(':')) {
    return {
      error: `Schedule "${text}" is not valid cron (a date or time of day is not a schedule): write 5 fields like "0 12 * * *" for 12:00 daily.`,
    };
  }
  try {
    const cron = new Cron(text, { timezone, paused: true });
    if (!cron.nextRun()) return { error: `Schedule "${text}" never runs (no future time matches it).` };
    cron.stop();
    return { schedule: { type: 'cron', pattern: text } };
  } catch (e) {
    const detail = (e as Error).message.replace(/^CronPattern:\s*/, '').replace(/\.+$/, '');
    return {
      error: `Schedule "${text}" is not valid cron: ${detail}. Use 5 fields (min hour day month weekday), 6 (seconds first) or 7 (year last), @daily, or @every 90s.`,
    };
  }
}
