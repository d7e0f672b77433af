import type { Heartbeat, MonitorStore } from '../../ports/monitor-store.js';

export interface HeartbeatWriterOptions {
  /** Rows per insert. */
  batchSize?: number;
  /** How often buffered heartbeats are written. */
  flushMs?: number;
  /** Most heartbeats held while the database is unavailable; past it the oldest are dropped. */
  maxBuffered?: number;
  log?: { warn(o: object, msg: string): void; info(o: object, msg: string): void };
}

/**
 * Batches heartbeats into multi-row inserts. While the database is unavailable they wait in a
 * bounded buffer and are written in order when it returns; only one write is in flight at a
 * time, so order holds. Past the bound the oldest are dropped (and counted): memory stays bounded.
 */
export class HeartbeatWriter {
  #buffer: Heartbeat[] = [];
  #flushing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;
  readonly #batch: number;
  readonly #max: number;
  written = 0;
  dropped = 0;

  constructor(
    private readonly store: Pick<MonitorStore, 'recordHeartbeats'>,
    private readonly opts: HeartbeatWriterOptions = {},
  ) {
    this.#batch = opts.batchSize ?? 500;
    this.#max = opts.maxBuffered ?? 100_000;
    const every = opts.flushMs ?? 1000;
    this.#timer = setInterval(() => void this.flush(), every);
    this.#timer.unref();
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  add(beat: Heartbeat): void {
    this.#buffer.push(beat);
    if (this.#buffer.length > this.#max) {
      const excess = this.#buffer.length - this.#max;
      this.#buffer.splice(0, excess);
      this.dropped += excess;
    }
    if (this.#buffer.length >= this.#batch && !this.#failing) void this.flush();
  }

  /**
   * Writes what is buffered; resolves when done or when the database refused (the rest waits).
   * A write in progress is waited for first, then what arrived meanwhile is written too.
   */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#buffer.length === 0) return;
    this.#flushing = this.#drain().finally(() => (this.#flushing = undefined));
    await this.#flushing;
  }

  async #drain(): Promise<void> {
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.slice(0, this.#batch);
      try {
        await this.store.recordHeartbeats(batch);
      } catch (err) {
        if (!this.#failing)
          this.opts.log?.warn(
            { buffered: this.#buffer.length, err: (err as Error).message },
            'heartbeats cannot be stored now; buffering them until the database answers',
          );
        this.#failing = true;
        return;
      }
      // Only what was written leaves the buffer (add() may have dropped from its head meanwhile).
      const stillThere = this.#buffer.indexOf(batch[batch.length - 1]);
      this.#buffer.splice(0, stillThere + 1);
      this.written += batch.length;
      if (this.#failing) {
        this.#failing = false;
        this.opts.log?.info({ dropped: this.dropped }, 'heartbeats are stored again');
      }
    }
  }

  /** Stops the timer and makes one last attempt to write everything. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
