import type { Clock } from '../ports/clock.js';

/**
 * What /healthz says: `ok`, `degraded` (the engine works with less than it promises: checks go
 * on, but something it depends on is gone, e.g. the store or Docker) or `failing` (it cannot do
 * its work: a problem has lasted longer than `failingAfterMs`, or heartbeats are being lost).
 */
export type HealthStatus = 'ok' | 'degraded' | 'failing';

/** The parts whose faults degrade the engine. */
export type HealthPart = 'store' | 'docker' | 'lease' | 'heartbeats';

export interface HealthReport {
  status: HealthStatus;
  /** One line per problem, `part: why`, oldest first. */
  reasons: string[];
  /** When the engine last left `ok`; absent while ok. */
  since?: Date;
}

export interface HealthChange {
  /** The new status, and the reasons behind it (or, on recovery, the ones that cleared). */
  report: HealthReport;
  previous: HealthStatus;
}

/**
 * The engine's health, told by its parts as they meet faults and recover: the store (a write
 * failed, a write succeeded), Docker (unreachable, reachable), the lease (lost without knowing
 * who leads), the heartbeat buffer (dropping). Listeners hear each change of status, which
 * becomes `engine.degraded` / `engine.recovered`.
 */
export class EngineHealth {
  readonly #problems = new Map<HealthPart, { why: string; since: Date; failing: boolean }>();
  readonly #listeners = new Set<(change: HealthChange) => void>();
  #status: HealthStatus = 'ok';
  #cleared: string[] = [];
  /** When the last problem cleared: ok is said only once nothing has failed for `settleMs`. */
  #clearedAt: number | undefined;
  #settleTimer: NodeJS.Timeout | undefined;

  /**
   * `failingAfterMs`: how long a problem lasts before the engine is failing. `settleMs`: how long
   * everything must work before the engine is ok again, so that a store coming back (whose
   * first connections may still be refused) is one episode, not a burst of degraded/recovered.
   */
  constructor(
    private readonly clock: Clock,
    private readonly failingAfterMs = 5 * 60_000,
    private readonly settleMs = 1_000,
  ) {}

  /** `part` has a problem (`failing`: one the engine cannot work around, at once). */
  set(part: HealthPart, why: string, opts: { failing?: boolean } = {}): void {
    const had = this.#problems.get(part);
    this.#problems.set(part, { why, since: had?.since ?? this.clock.now(), failing: opts.failing ?? false });
    this.#settle();
  }

  /** `part` works again. */
  clear(part: HealthPart): void {
    const had = this.#problems.get(part);
    if (!had) return;
    this.#problems.delete(part);
    this.#cleared.push(`${part}: ${had.why}`);
    if (this.#problems.size === 0) this.#clearedAt = this.clock.now().getTime();
    this.#settle();
  }

  report(): HealthReport {
    const problems = [...this.#problems.entries()].sort((a, b) => a[1].since.getTime() - b[1].since.getTime());
    if (problems.length === 0 && this.#status !== 'ok')
      return { status: this.#status, reasons: ['recovering: everything answers again'], since: this.#leftOkAt };
    if (problems.length === 0) return { status: 'ok', reasons: [] };
    return {
      status: this.#statusNow(),
      reasons: problems.map(([part, p]) => `${part}: ${p.why}`),
      since: problems[0][1].since,
    };
  }

  /** Calls `listener` on each change of status. */
  onChange(listener: (change: HealthChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-evaluates (a problem may have lasted long enough to be failing): call it periodically. */
  tick(): void {
    this.#settle();
  }

  #leftOkAt: Date | undefined;

  #statusNow(): HealthStatus {
    const now = this.clock.now().getTime();
    const failing = [...this.#problems.values()].some((p) => p.failing || now - p.since.getTime() >= this.failingAfterMs);
    if (failing) return 'failing';
    return this.#problems.size > 0 ? 'degraded' : 'ok';
  }

  #settle(): void {
    let next = this.#statusNow();
    if (next === 'ok' && this.#status !== 'ok') {
      const waited = this.clock.now().getTime() - (this.#clearedAt ?? 0);
      if (waited < this.settleMs) {
        clearTimeout(this.#settleTimer);
        this.#settleTimer = setTimeout(() => this.#settle(), this.settleMs - waited);
        this.#settleTimer.unref();
        next = this.#status;
      }
    }
    if (next === this.#status) return;
    const previous = this.#status;
    if (previous === 'ok') this.#leftOkAt = this.report().since;
    this.#status = next;
    const report = this.report();
    // On recovery, what was wrong since the engine left ok; a new episode starts empty.
    if (next === 'ok') report.reasons = [...new Set(this.#cleared)];
    if (next === 'ok' || previous === 'ok') this.#cleared = [];
    for (const l of this.#listeners) l({ report, previous });
  }
}
