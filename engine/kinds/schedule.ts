import { Cron } from 'croner';
import { parseDuration } from './units.js';

/** A parsed schedule: either a cron pattern (croner) or a fixed `@every` interval, which croner does not parse. */
export type Schedule = { type: 'cron'; pattern: string } | { type: 'every'; ms: number };

/** `Intl` is the authority on IANA names; croner accepts an unknown zone until it computes a run. */
export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses a FORMAT.md schedule: cron with 5, 6 (seconds) or 7 (year) fields, `@hourly`-style
 * nicknames, or `@every 90s`. Returns a message a person understands when it is not valid.
 */
export function parseSchedule(text: string, timezone = 'UTC'): { schedule: Schedule } | { error: string } {
  const every = /^@every\s+(\S+)$/.exec(text.trim());
  if (every) {
    const ms = parseDuration(every[1]);
    if (ms === undefined || ms < 1000) {
      return { error: `"${text}" is not a valid interval: write @every followed by a duration of at least 1s, like @every 90s.` };
    }
    return { schedule: { type: 'every', ms } };
  }
  try {
    const cron = new Cron(text, { timezone, paused: true });
    if (!cron.nextRun()) return { error: `Schedule "${text}" never runs (no future time matches it).` };
    cron.stop();
    return { schedule: { type: 'cron', pattern: text } };
  } catch (e) {
    const detail = (e as Error).message.replace(/^CronPattern:\s*/, '');
    return { error: `Schedule "${text}" is not valid cron: ${detail}. Use 5 fields (min hour day month weekday), 6 (seconds first) or 7 (year last), @daily, or @every 90s.` };
  }
}
