import { Slots } from '../kinds/job/slots.js';
import { parseSchedule } from '../kinds/schedule.js';
import type { Plan } from './types.js';

/**
 * Adds the next `count` run times to every Job the plan creates or changes, so a reviewer sees
 * what "0 2 * * 1-5" in Europe/Berlin means before it is applied. Display only: apply never
 * reads it. Kept out of computePlan, which is pure and has no clock.
 */
export function withNextRuns(plan: Plan, now: Date, count = 3): Plan {
  const changes = plan.changes.map((c) => {
    if (c.kind !== 'Job' || (c.action !== 'create' && c.action !== 'update' && c.action !== 'replace')) return c;
    const timezone = typeof c.after.timezone === 'string' ? c.after.timezone : 'UTC';
    const parsed = parseSchedule(String(c.after.schedule ?? ''), timezone);
    if ('error' in parsed) return c;
    const runs = new Slots(parsed.schedule, timezone).upcoming(now, count).map((d) => d.toISOString());
    return { ...c, nextRuns: runs };
  });
  return { ...plan, changes };
}

/** `2026-05-02T01:00:00Z` in Europe/Berlin → `2026-05-02 03:00:00 CEST`. */
export function localTime(iso: string, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${get('timeZoneName')}`;
}
