import { Cron } from 'croner';
import type { Schedule } from '../../kinds/schedule.js';

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
    this.#cron = schedule.type === 'cron' ? new Cron(schedule.pattern, { timezone, paused: true }) : undefined;
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
   * Slots in (from, to], newest last, at most `limit` of them (the newest, since those are the
   * ones history keeps), and how many there were in all (counting stops at `countLimit`).
   */
  between(from: Date, to: Date, limit: number, countLimit = 100_000): { slots: Date[]; total: number } {
    if (this.schedule.type === 'every') {
      const ms = this.schedule.ms;
      const first = Math.floor(from.getTime() / ms) + 1;
      const last = Math.floor(to.getTime() / ms);
      const total = Math.max(0, last - first + 1);
      const slots: Date[] = [];
      for (let i = Math.max(first, last - limit + 1); i <= last; i++) slots.push(new Date(i * ms));
      return { slots, total };
    }
    const slots: Date[] = [];
    let total = 0;
    let t: Date | undefined = from;
    while ((t = this.next(t)) && t.getTime() <= to.getTime() && total < countLimit) {
      total++;
      slots.push(t);
      if (slots.length > limit) slots.shift();
    }
    return { slots, total };
  }
}
