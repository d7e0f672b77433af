import type { Clock } from '../../ports/clock.js';
import { HostSlots } from './host-slots.js';
import type { TargetHost } from './target-host.js';

/**
 * Where monitor checks get their time slots. A seam so the shared job scheduler (croner,
 * leader-elected) can take over later; `timerScheduler` is the default. Implementations must
 * never start a task while its previous run is still going (a slow check skips a slot instead).
 */
export interface MonitorScheduler {
  /**
   * Runs `run` every `intervalMs`; returns a function that cancels it. With `host`, a run first
   * waits for one of that host's slots (see `TimerSchedulerOptions.perHostLimit`).
   */
  every(name: string, intervalMs: number, run: (scheduledAt: Date) => Promise<void>, opts?: { host?: TargetHost }): () => void;
  /** Lag between scheduled and actual starts, and slots skipped because a run overran. */
  stats(): ScheduleStats;
}

export interface ScheduleStats {
  started: number;
  /** Every slot that did not get a run of its own: `overrun` + `hostBusy`. */
  skipped: number;
  /** Slots skipped because the monitor's previous check was still running. */
  skippedOverrun?: number;
  /** Slots skipped because the previous one was still waiting for a slot of its host. */
  skippedHostBusy?: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Checks allowed in flight per target host. */
  perHostLimit?: number;
  /** Hosts whose checks have had to wait for a slot: the saturated ones. */
  hosts?: HostScheduleStats[];
}

export interface HostScheduleStats {
  host: string;
  limit: number;
  inFlight: number;
  waiting: number;
  started: number;
  skipped: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

export interface TimerSchedulerOptions {
  /** Checks in flight per target host (default 256); the rest of that host's checks wait. */
  perHostLimit?: number;
}

/**
 * Default per-host limit. Measured (monitor bench, one host, 1,000 checks/s, load ~8): 32 gave
 * 368 checks/s and 64 gave 852/s, 256 the full 1,000/s; a dead host then holds 256 checks
 * (each within its timeout), not thousands.
 */
export const DEFAULT_PER_HOST_LIMIT = 256;
/** Lags kept for percentiles: the most recent ones, in a ring. */
const LAG_WINDOW = 16_384;
/** Lags kept per host, for the hosts that had to wait. */
const HOST_LAG_WINDOW = 256;
/** A first run waits at most this long, however long the interval. */
const MAX_FIRST_DELAY_MS = 15_000;

/** FNV-1a: a stable phase per monitor, so a restart keeps the spread of checks. */
function phaseOf(name: string, spread: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) % Math.max(1, spread);
}

/** The most recent lags in a ring, with their percentiles. */
class LagRing {
  readonly #lags: Float64Array;
  #count = 0;
  constructor(size: number) {
    this.#lags = new Float64Array(size);
  }
  add(ms: number) {
    this.#lags[this.#count++ % this.#lags.length] = ms;
  }
  percentiles(): { p50: number; p99: number; max: number } {
    const n = Math.min(this.#count, this.#lags.length);
    const sorted = Array.from(this.#lags.subarray(0, n)).sort((a, b) => a - b);
    const pct = (p: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(p * n))]);
    return { p50: pct(0.5), p99: pct(0.99), max: n ? sorted[n - 1] : 0 };
  }
}

interface HostRecord {
  label: string;
  started: number;
  skipped: number;
  lags: LagRing;
}

/**
 * The default scheduler: one timer per monitor, slots at fixed multiples of the interval (no
 * drift), first slots spread over the interval so that thousands of monitors do not all fire at
 * once. A run still going at its next slot makes that slot skipped, never doubled.
 *
 * Checks of one host share `perHostLimit` slots. A check waiting for one when its next slot
 * comes keeps its place in line but now stands for the newer slot: the older one is counted as
 * skipped (host busy), and lag is measured from the slot the check actually serves.
 */
export function timerScheduler(clock: Clock, opts: TimerSchedulerOptions = {}): MonitorScheduler {
  const slots = new HostSlots(opts.perHostLimit ?? DEFAULT_PER_HOST_LIMIT);
  const lags = new LagRing(LAG_WINDOW);
  let started = 0;
  let skippedOverrun = 0;
  let skippedHostBusy = 0;
  /** Hosts seen waiting, kept while any monitor targets them: what /metrics shows per host. */
  const busyHosts = new Map<string, HostRecord>();
  const hostUsers = new Map<string, number>();

  return {
    every(name, intervalMs, run, { host } = {}) {
      let cancelled = false;
      let running = false;
      let leaveLine: (() => void) | undefined;
      let serving = 0;
      let timer: NodeJS.Timeout | undefined;
      let slot = clock.now().getTime() + phaseOf(name, Math.min(intervalMs, MAX_FIRST_DELAY_MS));
      if (host) hostUsers.set(host.key, (hostUsers.get(host.key) ?? 0) + 1);
      const arm = () => {
        if (cancelled) return;
        timer = setTimeout(fire, Math.max(0, slot - clock.now().getTime()));
      };
      const begin = () => {
        leaveLine = undefined;
        const lag = clock.now().getTime() - serving;
        started++;
        lags.add(lag);
        const rec = host && busyHosts.get(host.key);
        if (rec) {
          rec.started++;
          rec.lags.add(lag);
        }
        run(new Date(serving))
          .catch(() => undefined)
          .finally(() => {
            running = false;
            if (host) slots.release(host.key);
          });
      };
      const fire = () => {
        const scheduledAt = slot;
        const now = clock.now().getTime();
        // Next slot on the fixed grid; slots already in the past (a stalled event loop) are skipped.
        slot += intervalMs;
        if (slot <= now) {
          const missed = Math.floor((now - slot) / intervalMs) + 1;
          skippedOverrun += missed;
          slot += missed * intervalMs;
        }
        arm();
        if (leaveLine) {
          // Still in line for the host: keep the place, serve the newer slot, say the older was skipped.
          skippedHostBusy++;
          serving = scheduledAt;
          if (host) hostRecord(host).skipped++;
          return;
        }
        if (running) {
          skippedOverrun++;
          return;
        }
        running = true;
        serving = scheduledAt;
        if (!host) return begin();
        let startedAtOnce = false;
        const leave = slots.request(host.key, () => {
          startedAtOnce = true;
          begin();
        });
        if (!startedAtOnce) {
          leaveLine = leave;
          hostRecord(host);
        }
      };
      arm();
      return () => {
        cancelled = true;
        clearTimeout(timer);
        if (leaveLine) {
          leaveLine();
          leaveLine = undefined;
          running = false;
        }
        if (!host) return;
        const users = (hostUsers.get(host.key) ?? 1) - 1;
        if (users > 0) return void hostUsers.set(host.key, users);
        hostUsers.delete(host.key);
        busyHosts.delete(host.key);
      };
    },
    stats() {
      const all = lags.percentiles();
      return {
        started,
        skipped: skippedOverrun + skippedHostBusy,
        skippedOverrun,
        skippedHostBusy,
        lagP50Ms: all.p50,
        lagP99Ms: all.p99,
        lagMaxMs: all.max,
        perHostLimit: slots.limit,
        hosts: [...busyHosts.entries()].map(([key, r]) => {
          const p = r.lags.percentiles();
          return {
            host: r.label,
            limit: slots.limit,
            inFlight: slots.inFlight(key),
            waiting: slots.waiting(key),
            started: r.started,
            skipped: r.skipped,
            lagP99Ms: p.p99,
            lagMaxMs: p.max,
          };
        }),
      };
    },
  };

  function hostRecord(host: TargetHost): HostRecord {
    let r = busyHosts.get(host.key);
    if (!r) busyHosts.set(host.key, (r = { label: host.label, started: 0, skipped: 0, lags: new LagRing(HOST_LAG_WINDOW) }));
    return r;
  }
}
