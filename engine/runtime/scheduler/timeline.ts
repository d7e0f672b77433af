import type { Slots } from '../../kinds/job/slots.js';
import type { Clock } from '../../ports/clock.js';

interface Entry {
  slots: Slots;
  /** The next slot, as ms since the epoch. */
  at: number;
  specHash: string;
}

/**
 * When each job is next due, and one timer for the earliest instant, not one per job: jobs due
 * at the same second fire in the same turn of the event loop, so their claims go to the store
 * as one statement, and a thousand jobs cost one timer.
 */
export class Timeline {
  readonly #entries = new Map<string, Entry>();
  readonly #byInstant = new Map<number, Set<string>>();
  #wake = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(
    private readonly clock: Clock,
    /** Called with every job due at `at`, `aheadMs` before it; must not block (it hands slots on). */
    private readonly onDue: (jobs: string[], at: Date) => void,
    /** How long before its time a slot is handed on (to be claimed, then run on time). */
    private readonly aheadMs = 0,
    /**
     * Called instead of `onDue` when the earliest slot is more than `lateMs` overdue: the wall
     * clock stepped forward (NTP after a suspend) or the process was frozen. Handing on every
     * slot jumped over would run them all in a burst; the timeline disarms everything instead,
     * and the owner records those slots as missed and arms again from now.
     */
    private readonly onLate: (since: Date) => void = () => {},
    private readonly lateMs = 10_000,
  ) {}

  /** The spec hash a job is armed with, or undefined when it is not armed. */
  armedWith(job: string): string | undefined {
    return this.#entries.get(job)?.specHash;
  }

  jobs(): string[] {
    return [...this.#entries.keys()];
  }

  /** Arms a job from its first slot after `after`. */
  add(job: string, slots: Slots, specHash: string, after: Date): void {
    this.remove(job);
    const next = slots.next(after);
    if (!next) return;
    this.#put(job, { slots, at: next.getTime(), specHash });
    this.#wake.abort();
  }

  remove(job: string): void {
    const e = this.#entries.get(job);
    if (!e) return;
    this.#entries.delete(job);
    const set = this.#byInstant.get(e.at);
    set?.delete(job);
    if (set?.size === 0) this.#byInstant.delete(e.at);
  }

  clear(): void {
    this.#entries.clear();
    this.#byInstant.clear();
    this.#wake.abort();
  }

  /** Runs the timer until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    this.#loop ??= this.#run(signal);
    return this.#loop;
  }

  #put(job: string, e: Entry): void {
    this.#entries.set(job, e);
    const set = this.#byInstant.get(e.at) ?? new Set<string>();
    set.add(job);
    this.#byInstant.set(e.at, set);
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.#wake = new AbortController();
      let next = Infinity;
      for (const at of this.#byInstant.keys()) if (at < next) next = at;
      // Nothing armed: wait until something is (a long sleep the next add cuts short).
      const wait = next === Infinity ? 3_600_000 : next - this.aheadMs - this.clock.now().getTime();
      if (wait > 0) {
        try {
          await this.clock.sleep(wait, AbortSignal.any([signal, this.#wake.signal]));
        } catch {
          // Woken: an earlier slot was added, or stopping. Look again.
        }
        continue;
      }
      if (-wait - this.aheadMs > this.lateMs) {
        this.#entries.clear();
        this.#byInstant.clear();
        this.onLate(new Date(next));
        continue;
      }
      const due = [...(this.#byInstant.get(next) ?? [])];
      this.#byInstant.delete(next);
      for (const job of due) {
        const e = this.#entries.get(job)!;
        this.#entries.delete(job);
        const following = e.slots.next(new Date(next));
        if (following) this.#put(job, { ...e, at: following.getTime() });
      }
      this.onDue(due, new Date(next));
    }
  }
}
