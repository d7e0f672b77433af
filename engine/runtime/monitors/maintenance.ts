import { Cron } from 'croner';
import { parseDuration } from '../../model/units.js';

/** A recurring window in which checks run and are recorded, but nothing alerts. */
export interface MaintenanceWindow {
  cron: Cron;
  durationMs: number;
}

/** Reads a Monitor's `maintenance` list; entries validation would reject are skipped. */
export function maintenanceWindows(value: unknown): MaintenanceWindow[] {
  if (!Array.isArray(value)) return [];
  const out: MaintenanceWindow[] = [];
  for (const w of value as Array<Record<string, unknown>>) {
    const durationMs = typeof w.duration === 'string' ? parseDuration(w.duration) : undefined;
    if (typeof w.schedule !== 'string' || !durationMs) continue;
    try {
      out.push({ cron: new Cron(w.schedule, { timezone: (w.timezone as string) ?? 'UTC', paused: true }), durationMs });
    } catch {
      /* validation reports it; a window that does not parse never applies */
    }
  }
  return out;
}

/**
 * Whether `now` falls in a window: a window is open when one of its starts lies in
 * (now - duration, now], i.e. when the first start after `now - duration` is not after `now`.
 */
export function inMaintenance(windows: readonly MaintenanceWindow[], now: Date): boolean {
  return windows.some((w) => {
    const next = w.cron.nextRun(new Date(now.getTime() - w.durationMs));
    return next !== null && next.getTime() <= now.getTime();
  });
}
