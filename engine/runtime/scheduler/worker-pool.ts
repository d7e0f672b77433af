import pLimit, { type LimitFunction } from 'p-limit';

/**
 * A bounded pool: at most `size` tasks run at once, the rest wait in order. Runs of jobs go
 * through it, so a burst of due jobs cannot start thousands of processes at once.
 */
export class WorkerPool {
  readonly #limit: LimitFunction;

  constructor(readonly size: number) {
    this.#limit = pLimit(size);
  }

  /** Runs `task` when a worker is free; resolves or rejects with it. */
  submit<T>(task: () => Promise<T>): Promise<T> {
    return this.#limit(task);
  }

  /** Tasks running and waiting, for metrics. */
  get load(): { active: number; waiting: number } {
    return { active: this.#limit.activeCount, waiting: this.#limit.pendingCount };
  }
}
