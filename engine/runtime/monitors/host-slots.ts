/**
 * At most `limit` checks in flight per target host; the others wait in line (first come, first
 * served). A limit per host rather than one global semaphore: a slow or black-holed host fills
 * only its own slots, and every other host keeps its schedule.
 *
 * Hand-written rather than p-limit (which the job pools and apply use): a check starts in the
 * same tick when a slot is free, which the scheduler relies on to tell a check that started from
 * one that waits; a waiter can leave the line (a monitor removed); and per check it costs a
 * quarter of p-limit's time (test/bench/limiter-bench.ts), on a path taken 1,000 times a second.
 */
export class HostSlots {
  readonly #hosts = new Map<string, { inFlight: number; queue: Array<() => void> }>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a per-host limit must be a positive integer, not ${limit}`);
  }

  /**
   * Calls `start` (synchronously when a slot is free) once a slot of `host` is held; the
   * holder must `release(host)` exactly once. Returns a function that leaves the line, for a
   * waiter that gives up; it does nothing once `start` has been called.
   */
  request(host: string, start: () => void): () => void {
    let h = this.#hosts.get(host);
    if (!h) this.#hosts.set(host, (h = { inFlight: 0, queue: [] }));
    if (h.inFlight < this.limit) {
      h.inFlight++;
      start();
      return () => undefined;
    }
    const entry = () => start();
    h.queue.push(entry);
    const line = h;
    return () => {
      const i = line.queue.indexOf(entry);
      if (i >= 0) line.queue.splice(i, 1);
    };
  }

  /** Hands the slot to the next in line, or frees it. */
  release(host: string): void {
    const h = this.#hosts.get(host);
    if (!h) return;
    const next = h.queue.shift();
    if (next) return next();
    h.inFlight--;
    // Hosts come and go with monitors: an idle one is forgotten rather than kept forever.
    if (h.inFlight <= 0 && h.queue.length === 0) this.#hosts.delete(host);
  }

  inFlight(host: string): number {
    return this.#hosts.get(host)?.inFlight ?? 0;
  }

  waiting(host: string): number {
    return this.#hosts.get(host)?.queue.length ?? 0;
  }
}
