const NOTHING = () => {};

/**
 * What aborts a run's attempt (its timeout, `concurrency: replace`, the engine stopping),
 * making an AbortSignal only when a runner asks for one (`signal`: Docker and child processes
 * take one). At a thousand `http` runs a second, an AbortController per attempt with its
 * signal and listeners cost more than the request itself; the http runner needs `onAbort`.
 */
export class Cancellation {
  #reason: string | undefined;
  #controller: AbortController | undefined;
  #listeners: Array<() => void> | undefined;

  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  /** Why it was aborted, as a sentence; undefined while it is not. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** An AbortSignal that aborts with this (already aborted if this is). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts, once: later calls keep the first reason. */
  abort(reason: string): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const fn of listeners) fn();
  }

  /** Calls `fn` once when this aborts (at once if it has); returns what stops listening. */
  onAbort(fn: () => void): () => void {
    if (this.#reason !== undefined) {
      fn();
      return NOTHING;
    }
    (this.#listeners ??= []).push(fn);
    return () => {
      const at = this.#listeners?.indexOf(fn) ?? -1;
      if (at >= 0) this.#listeners!.splice(at, 1);
    };
  }

  /** Aborted after `ms` with "timed out after …": for callers outside the scheduler (tests). */
  static after(ms: number, reason = `timed out after ${ms} ms`): Cancellation {
    const c = new Cancellation();
    setTimeout(() => c.abort(reason), ms).unref();
    return c;
  }
}
