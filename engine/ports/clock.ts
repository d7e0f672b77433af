/** Time, behind a port so tests control it. Production code never calls Date.now() directly. */
export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` after `ms` unless the returned cancel is called first. Optional: for timers that
   * are nearly always cancelled (a job's timeout), where cancelling a `sleep` costs an
   * AbortError with a stack trace each time. Without it, clockTimer()
   * (engine/runtime/scheduler/clock-timer.ts) falls back to `sleep`.
   */
  timer?(ms: number, fn: () => void): () => void;
}
