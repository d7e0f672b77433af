import type { Clock } from '../../ports/clock.js';

/**
 * Where monitor checks get their time slots. A seam so the shared job scheduler (croner,
 * leader-elected) can take over later; `timerScheduler` is the default. Implementations must
 * never start a task while its previous run is still going (a slow check skips a slot instead).
 */
export interface MonitorScheduler {
  /** Runs `run` every `intervalMs`; returns a function that cancels it. */
  every(name: string, intervalMs: number, run: (scheduledAt: Date) => Promise<void>): () => void;
  /** Lag between scheduled and actual starts, and slots skipped because a run overran. */
  stats(): ScheduleStats;
}

export interface ScheduleStats {
  started: number;
  skipped: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

/** Lags kept for percentiles: the most recent ones, in a ring. */
const LAG_WINDOW = 16_384;
/** A first run waits at most this long, however long the interval. */
const MAX_FIRST_DELAY_MS = 15_000;

/** FNV-1a: a stable phase per monitor, so a restart keeps the spread of checks. */
function phaseOf(name: string, spread: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) % Math.max(1, spread);
}

/**
 * The default scheduler: one timer per monitor, slots at fixed multiples of the interval (no
 * drift), first slots spread over the interval so that thousands of monitors do not all fire at
 * once. A run still going at its next slot makes that slot skipped, never doubled.
 */
export function timerScheduler(clock: Clock): MonitorScheduler {
  const lags = new Float64Array(LAG_WINDOW);
  let lagCount = 0;
  let started = 0;
  let skipped = 0;

  return {
    every(name, intervalMs, run) {
      let cancelled = false;
      let running = false;
      let timer: NodeJS.Timeout | undefined;
      let slot = clock.now().getTime() + phaseOf(name, Math.min(intervalMs, MAX_FIRST_DELAY_MS));
      const arm = () => {
        if (cancelled) return;
        timer = setTimeout(fire, Math.max(0, slot - clock.now().getTime()));
      };
      const fire = () => {
        const scheduledAt = new Date(slot);
        const now = clock.now().getTime();
        // Next slot on the fixed grid; slots already in the past (a stalled event loop) are skipped.
        slot += intervalMs;
        if (slot <= now) {
          const missed = Math.floor((now - slot) / intervalMs) + 1;
          skipped += missed;
          slot += missed * intervalMs;
        }
        arm();
        if (running) {
          skipped++;
          return;
        }
        running = true;
        started++;
        lags[lagCount++ % LAG_WINDOW] = now - scheduledAt.getTime();
        run(scheduledAt)
          .catch(() => undefined)
          .finally(() => (running = false));
      };
      arm();
      return () => {
        cancelled = true;
        clearTimeout(timer);
      };
    },
    stats() {
      const n = Math.min(lagCount, LAG_WINDOW);
      const sorted = Array.from(lags.subarray(0, n)).sort((a, b) => a - b);
      const pct = (p: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(p * n))]);
      return { started, skipped, lagP50Ms: pct(0.5), lagP99Ms: pct(0.99), lagMaxMs: n ? sorted[n - 1] : 0 };
    },
  };
}
