import type { Clock } from '../../ports/clock.js';

/**
 * Calls `fn` after `ms` on `clock` unless the returned cancel is called first: `clock.timer`
 * where the clock has one (the system clock), else the same behaviour through `sleep` (test
 * clocks), so policies behave alike on both.
 */
export function clockTimer(clock: Clock, ms: number, fn: () => void): () => void {
  if (clock.timer) return clock.timer(ms, fn);
  const cancel = new AbortController();
  clock.sleep(ms, cancel.signal).then(fn, () => {});
  return () => cancel.abort('cancelled');
}
