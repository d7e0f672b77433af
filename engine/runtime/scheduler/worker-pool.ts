/**
 * A bounded pool: at most `size` tasks run at once, the rest wait in order. Runs of jobs go
 * through it, so a burst of due jobs cannot start thousands of processes at once.
 */
export class WorkerPool {
  #active = 0;
  readonly #queue: Array<() => void> = [];

  constructor(readonly size: number) {}

  /** Runs `task` when a worker is free; resolves or rejects with it. */
  submit<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.#active--;
            this.#queue.shift()?.();
          });
      };
      if (this.#active < this.size) start();
      else this.#queue.push(start);
    });
  }

  /** Tasks running and waiting, for metrics. */
  get load(): { active: number; waiting: number } {
    return { active: this.#active, waiting: this.#queue.length };
  }
}
