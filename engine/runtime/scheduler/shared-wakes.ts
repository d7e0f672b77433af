import type { Clock } from '../../ports/clock.js';

/**
 * Waits for instants with one timer per instant, shared by everything waiting for it: the
 * thousand runs due at one second wait on one timer, not a thousand, so at their instant the
 * event loop goes straight to sending them. Only `stop` ends a wait early.
 */
export class SharedWakes {
  readonly #wakes = new Map<number, Promise<void>>();

  constructor(
    private readonly clock: Clock,
    private readonly stop: AbortSignal,
  ) {}

  /** Resolves at `at` (epoch milliseconds), or when `stop` aborts. */
  until(at: number): Promise<void> {
    const wait = at - this.clock.now().getTime();
    if (wait <= 0 || this.stop.aborted) return Promise.resolve();
    let wake = this.#wakes.get(at);
    if (!wake) {
      wake = this.clock
        .sleep(wait, this.stop)
        .catch(() => {})
        .finally(() => this.#wakes.delete(at));
      this.#wakes.set(at, wake);
    }
    return wake;
  }
}
