import type { Clock } from '../../engine/ports/clock.js';

/**
 * A clock tests move by hand. `sleep` resolves when the time is advanced past its end (or at
 * once with `instantSleep`), so retries and backoffs run without waiting.
 */
export class FakeClock implements Clock {
  #now: number;
  readonly slept: number[] = [];
  #sleepers: Array<{ until: number; resolve: () => void }> = [];

  constructor(
    start = new Date('2026-03-01T12:00:00Z'),
    private readonly instantSleep = false,
  ) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  set(to: Date): void {
    this.#now = to.getTime();
    this.#wake();
  }

  advance(ms: number): void {
    this.set(new Date(this.#now + ms));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.slept.push(ms);
    if (this.instantSleep) {
      this.#now += ms;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const sleeper = { until: this.#now + ms, resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  #wake(): void {
    const due = this.#sleepers.filter((s) => s.until <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now);
    for (const s of due) s.resolve();
  }
}
