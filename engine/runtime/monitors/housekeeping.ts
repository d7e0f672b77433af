import type { Clock } from '../../ports/clock.js';
import type { MonitorStore } from '../../ports/monitor-store.js';
import type { HeartbeatWriter } from './heartbeat-writer.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const DEFAULT_RETENTION_MS = 30 * DAY;
const ROLLUP_RETENTION_MS = 365 * DAY;

/**
 * Rolls heartbeats up (hourly and daily) and applies retention: raw rows for `retentionMs`,
 * rollups for `rollupRetentionMs` (a year by default). Rolling up is idempotent, so recent buckets are simply redone each run,
 * which also covers a run missed while the engine was down.
 */
export class HeartbeatHousekeeping {
  /** Hours before this are in hourly rollups; uptime reads raw rows after it. */
  rolledUntil = new Date(0);
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly store: MonitorStore,
    private readonly clock: Clock,
    private readonly writer: Pick<HeartbeatWriter, 'flush'>,
    private readonly opts: {
      retentionMs?: number;
      /** How long hourly and daily rollups are kept (default a year). */
      rollupRetentionMs?: number;
      everyMs?: number;
      log?: { warn(o: object, msg: string): void };
    } = {},
  ) {}

  start(): void {
    void this.run();
    const every = this.opts.everyMs ?? 10 * 60_000;
    if (every > 0) {
      this.#timer = setInterval(() => void this.run(), every);
      this.#timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** One pass; concurrent calls share it. Failures are logged and retried on the next pass. */
  run(): Promise<void> {
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(): Promise<void> {
    const now = this.clock.now();
    const hourStart = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
    try {
      await this.writer.flush();
      // After a start, catch up on every bucket whose raw rows are all still kept (a bucket half
      // pruned would overwrite its complete rollup with a partial one).
      const retention = this.opts.retentionMs ?? DEFAULT_RETENTION_MS;
      const from = this.rolledUntil.getTime() === 0 ? now.getTime() - retention + DAY : this.rolledUntil.getTime() - 2 * HOUR;
      await this.store.rollUpHeartbeats('hour', new Date(from), hourStart);
      await this.store.rollUpHeartbeats('day', new Date(Math.min(from, now.getTime() - 2 * DAY)), now);
      this.rolledUntil = hourStart;
      await this.store.pruneHeartbeats({
        rawBefore: new Date(now.getTime() - retention),
        rollupsBefore: new Date(now.getTime() - (this.opts.rollupRetentionMs ?? ROLLUP_RETENTION_MS)),
      });
    } catch (err) {
      this.opts.log?.warn({ err: (err as Error).message }, 'heartbeat rollup or retention failed; retried on the next pass');
    }
  }
}
