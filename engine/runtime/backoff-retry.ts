/** The first wait before a retry, and the longest: 5 s, 10 s, 20 s, 40 s, then every 60 s. */
const FIRST_MS = 5_000;
const MAX_MS = 60_000;

/** A retry that backs off while it is needed and resets once it is not. */
export interface BackoffRetry {
  /** Told after each attempt whether another is needed: arms the next one, or resets. */
  after(needed: boolean): void;
  stop(): void;
}

/**
 * Calls `retry` again after each attempt that still needs one, waiting twice as long each time
 * (up to a minute), and starts over from the first wait once an attempt needs none. At most one
 * retry is armed at a time; the timer never keeps the process alive on its own.
 */
export function backoffRetry(retry: () => void, firstMs = FIRST_MS, maxMs = MAX_MS): BackoffRetry {
  let waitMs = firstMs;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    after(needed) {
      if (!needed) {
        waitMs = firstMs;
        return;
      }
      if (timer || stopped) return;
      timer = setTimeout(() => {
        timer = undefined;
        retry();
      }, waitMs);
      timer.unref();
      waitMs = Math.min(waitMs * 2, maxMs);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
