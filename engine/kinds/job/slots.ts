import { Cron } from 'croner';
import type { Schedule } from '../schedule.js';

/**
 * Scheduled times of a job, from croner (pinned: its DST handling changed between majors).
 * In a DST gap a wall-clock time that does not exist runs once at the first instant after it;
 * in a repeat (autumn), a time that happens twice runs once, at its first instance.
 *
 * `@every` intervals are counted from the Unix epoch, not from when an engine started, so every
 * instance and every restart agrees on the slots: that is what lets (job, time) be unique.
 */
export class Slots {
  readonly #cron: Cron | undefined;

  constructor(
    private readonly schedule: Schedule,
    timezone: string,
  ) {
    // croner's named-timezone path costs ~0.5 ms per computed run (Intl); UTC as a fixed
    // offset costs ~10 µs. The same instants either way.
    const zone = timezone === 'UTC' || timezone === 'Etc/UTC' ? { utcOffset: 0 } : { timezone };
    this.#cron = schedule.type === 'cron' ? new Cron(schedule.pattern, { ...zone, paused: true }) : undefined;
  }

  /** The first slot strictly after `after`, or undefined when the schedule never runs again. */
  next(after: Date): Date | undefined {
    if (this.schedule.type === 'every') {
      const ms = this.schedule.ms;
      return new Date((Math.floor(after.getTime() / ms) + 1) * ms);
    }
    const next = this.#cron!.nextRun(after);
    // croner works in whole seconds: guard against handing back the same slot.
    if (next && next.getTime() <= after.getTime()) return this.#cron!.nextRun(new Date(after.getTime() + 1000)) ?? undefined;
    return next ?? undefined;
  }

  /** The next `count` slots after `after`. */
  upcoming(after: Date, count: number): Date[] {
    const out: Date[] = [];
    let t: Date | undefined = after;
    while (out.length < count && (t = this.next(t))) out.push(t);
    return out;
  }

  /**
   * Slots in (from, to], newest last: at most `limit` of them (the newest, since those are the
   * ones history keeps), and how many there were in all. When there are more than `limit`, the
   * total is estimated from their spacing (`estimated`), not counted: counting a month of a
   * per-second schedule in a named timezone would take minutes.
   */
  between(from: Date, to: Date, limit: number): { slots: Date[]; total: number; estimated: boolean } {
    if (this.schedule.type === 'every') {
      const ms = this.schedule.ms;
      const first = Math.floor(from.getTime() / ms) + 1;
      const last = Math.floor(to.getTime() / ms);
      const total = Math.max(0, last - first + 1);
      const slots: Date[] = [];
      for (let i = Math.max(first, last - limit + 1); i <= last; i++) slots.push(new Date(i * ms));
      return { slots, total, estimated: false };
    }
    const next = this.next(from);
    if (!next || next.getTime() > to.getTime()) return { slots: [], total: 0, estimated: false };
    // croner strips milliseconds and looks strictly before its reference: one second past `to`
    // makes `to` itself count. Newest first from croner, so reversed.
    const slots = this.#cron!.previousRuns(limit, new Date(to.getTime() + 1000))
      .filter((t, i, all) => t.getTime() > from.getTime() && t.getTime() <= to.getTime() && t.getTime() !== all[i - 1]?.getTime())
      .reverse();
    if (slots.length < limit || slots.length < 2) return { slots, total: slots.length, estimated: false };
    const spacing = (slots[slots.length - 1].getTime() - slots[0].getTime()) / (slots.length - 1);
    // Slots k·spacing before the oldest listed one that are still after `from`.
    const before = Math.ceil((slots[0].getTime() - from.getTime()) / spacing) - 1;
    return { slots, total: slots.length + Math.max(0, before), estimated: true };
  }
}
