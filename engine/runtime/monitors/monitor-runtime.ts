import { setMaxListeners } from 'node:events';
import type { Resource } from '../../model/resource.js';
import type { Clock } from '../../ports/clock.js';
import type { ContainerRuntime } from '../../ports/container-runtime.js';
import type { Events } from '../../ports/events.js';
import type { Heartbeat, MonitorStateRecord, Uptime } from '../../ports/monitor-store.js';
import type { Store } from '../../ports/store.js';
import { liveSpecs } from '../live-specs.js';
import { runCheck } from './check.js';
import type { DomainExpiryLookup } from './domain-expiry.js';
import { type CompiledMonitor, compileMonitor } from './compiled-monitor.js';
import { HeartbeatHousekeeping } from './housekeeping.js';
import { HeartbeatWriter, type HeartbeatWriterOptions } from './heartbeat-writer.js';
import { MonitorStates } from './monitor-states.js';
import { validPushToken } from './push-token.js';
import { type MonitorScheduler, type ScheduleStats, timerScheduler } from './scheduler.js';
import { StoredPushTimes } from './stored-push-times.js';

type Log = {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
};

export interface MonitorRuntimeDeps {
  store: Store;
  clock: Clock;
  events: Events;
  log: Log;
  /** Docker, for docker probes and app targets; absent when none is configured. */
  runtime?: ContainerRuntime;
  /** Default: one timer per monitor (timerScheduler). */
  scheduler?: MonitorScheduler;
  heartbeats?: HeartbeatWriterOptions;
  /** How long raw heartbeats are kept (default 30 days). */
  retentionMs?: number;
  /** How long hourly/daily rollups are kept (default 365 days). */
  rollupRetentionMs?: number;
  /** RDAP lookups for [DOMAIN_EXPIRATION] (cached per domain); without it the placeholder reads 0. */
  domainExpiry?: DomainExpiryLookup;
  /** How often rollups and retention run (default 10 minutes); 0 turns the timer off (tests). */
  housekeepingMs?: number;
}

interface Running {
  monitor: CompiledMonitor;
  cancel: () => void;
  watchedSince: Date;
}

export type PushOutcome = 'accepted' | 'unknown-monitor' | 'forbidden';

/** The runtime's own counters, for /metrics. */
export type MonitorRuntimeStats = ScheduleStats & {
  checks: number;
  monitors: number;
  heartbeatsBuffered: number;
  heartbeatsDropped: number;
};

/**
 * Runs the applied monitors: each on its own schedule (never overlapping itself), results
 * through the state machine into heartbeats, state changes into events. State is loaded from
 * the store at start and written back on every change, so a restart resumes where it was.
 */
export class MonitorRuntime {
  readonly #running = new Map<string, Running>();
  readonly #states: MonitorStates;
  /** A check in progress per monitor: a push or a manual check joins it instead of overlapping. */
  readonly #inFlight = new Map<string, Promise<Heartbeat | undefined>>();
  readonly #stopping = new AbortController();
  readonly scheduler: MonitorScheduler;
  readonly heartbeats: HeartbeatWriter;
  readonly housekeeping: HeartbeatHousekeeping;
  #key: Uint8Array | undefined;
  #started = false;
  /** Whether this instance checks (it leads); a follower knows the monitors only to take pushes. */
  #leading = true;
  readonly #storedPushes: StoredPushTimes;
  checks = 0;

  constructor(private readonly deps: MonitorRuntimeDeps) {
    // Every check in flight listens for the stop: thousands at once is normal, not a leak.
    setMaxListeners(0, this.#stopping.signal);
    this.scheduler = deps.scheduler ?? timerScheduler(deps.clock);
    this.#states = new MonitorStates(deps);
    this.#storedPushes = new StoredPushTimes(deps.store, deps.clock);
    this.heartbeats = new HeartbeatWriter(deps.store, { log: deps.log, ...deps.heartbeats });
    this.housekeeping = new HeartbeatHousekeeping(deps.store, deps.clock, this.heartbeats, {
      retentionMs: deps.retentionMs,
      rollupRetentionMs: deps.rollupRetentionMs,
      everyMs: deps.housekeepingMs,
      log: deps.log,
    });
  }

  /** Loads persisted states, starts the applied monitors and the rollup/retention timer. */
  async start(desired?: readonly Resource[]): Promise<void> {
    await this.#states.load();
    this.#key = await this.deps.store.secretKey();
    this.#started = true;
    await this.refresh(desired);
    if (this.#leading) this.housekeeping.start();
  }

  /**
   * This instance leads (again): reload the states the previous leader left, then check every
   * monitor on its schedule and run the rollups. Before start(), only sets what start() does.
   */
  async lead(desired?: readonly Resource[]): Promise<void> {
    if (this.#leading && this.#started) return;
    this.#leading = true;
    if (!this.#started || this.#stopping.signal.aborted) return;
    await this.#states.load();
    // Known but unscheduled while following: schedule them all.
    for (const r of this.#running.values()) r.cancel();
    this.#running.clear();
    await this.refresh(desired);
    this.housekeeping.start();
  }

  /**
   * Another instance leads: stop checking and rolling up (it does both), keep knowing the
   * monitors so pushes are still taken here. A check in flight finishes, but its result is
   * dropped (see #check): the leader's own check counts.
   */
  follow(): void {
    if (!this.#leading) return;
    this.#leading = false;
    this.housekeeping.stop();
    for (const r of this.#running.values()) {
      r.cancel();
      r.cancel = () => {};
    }
  }

  /** Re-reads the applied monitors: starts new ones, restarts changed ones, forgets deleted ones. */
  async refresh(desired?: readonly Resource[]): Promise<void> {
    // Before start() the persisted states are not loaded yet: start() does the first refresh.
    if (!this.#started || this.#stopping.signal.aborted) return;
    const live = await liveSpecs(this.deps.store, desired, ['Monitor']);
    const seen = new Set<string>();
    for (const spec of live) {
      seen.add(spec.name);
      const current = this.#running.get(spec.name);
      const monitor = compileMonitor(spec.name, spec.spec, spec.specHash);
      // Same spec, and secrets no better known than before: keep the schedule as it is.
      if (current && current.monitor.specHash === spec.specHash && !(current.monitor.unusable && !monitor?.unusable)) continue;
      current?.cancel();
      if (!monitor) continue;
      const watchedSince = current?.watchedSince ?? this.deps.clock.now();
      const cancel = this.#leading
        ? this.scheduler.every(spec.name, monitor.intervalMs, async () => void (await this.checkNow(spec.name)), {
            host: monitor.host,
          })
        : () => {};
      this.#running.set(spec.name, { monitor, cancel, watchedSince });
    }
    for (const [name, r] of this.#running) {
      if (seen.has(name)) continue;
      r.cancel();
      this.#running.delete(name);
      this.#states.delete(name);
      // The leader owns the stored states.
      if (this.#leading) await this.deps.store.deleteMonitorState(name).catch(() => undefined);
    }
    this.deps.log.info({ monitors: this.#running.size }, 'monitors refreshed');
  }

  /** The monitors running now, by name. */
  names(): string[] {
    return [...this.#running.keys()];
  }

  state(name: string): MonitorStateRecord | undefined {
    return this.#states.get(name);
  }

  /** Runs one check now; joins the one in progress instead of starting a second. */
  checkNow(name: string): Promise<Heartbeat | undefined> {
    const inFlight = this.#inFlight.get(name);
    if (inFlight) return inFlight;
    const run = this.#check(name).finally(() => this.#inFlight.delete(name));
    this.#inFlight.set(name, run);
    return run;
  }

  /**
   * A call of `/push/<monitor>?token=`: records the push (a dead-man's switch is up again at
   * once) or, with `ok: false`, a failed check with the caller's message.
   */
  async push(name: string, token: string | null, opts: { ok?: boolean; message?: string } = {}): Promise<PushOutcome> {
    const running = this.#running.get(name);
    if (!running || running.monitor.probe !== 'push') return 'unknown-monitor';
    if (!this.#key || !validPushToken(this.#key, name, token)) return 'forbidden';
    const now = this.deps.clock.now();
    if (!this.#leading) {
      // The leader checks; it reads push times from the store. A reported failure is kept as a
      // heartbeat for history; the leader's state machine does not see it (docs/high-availability.md).
      if (opts.ok === false) {
        this.heartbeats.add({
          monitor: name,
          at: now,
          ok: false,
          status: 'pushed down',
          error: opts.message ?? 'the push reported a failure',
        });
      } else await this.deps.store.recordPush(name, now);
      return 'accepted';
    }
    if (opts.ok === false) {
      await this.#record(running.monitor, {
        monitor: name,
        at: now,
        ok: false,
        status: 'pushed down',
        error: opts.message ?? 'the push reported a failure',
      });
      return 'accepted';
    }
    this.#states.notePush(name, now);
    await this.deps.store.recordPush(name, now);
    // Joining a check in progress could miss this push; wait for it, then check again.
    await this.#inFlight.get(name);
    await this.checkNow(name);
    return 'accepted';
  }

  async uptime(name: string): Promise<Uptime> {
    return this.deps.store.uptime(name, this.deps.clock.now(), this.housekeeping.rolledUntil);
  }

  stats(): MonitorRuntimeStats {
    return {
      ...this.scheduler.stats(),
      checks: this.checks,
      monitors: this.#running.size,
      heartbeatsBuffered: this.heartbeats.buffered,
      heartbeatsDropped: this.heartbeats.dropped,
    };
  }

  /** Stops scheduling, aborts checks in progress, writes the buffered heartbeats. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    for (const r of this.#running.values()) r.cancel();
    this.housekeeping.stop();
    await Promise.allSettled([...this.#inFlight.values()]);
    await this.heartbeats.stop();
  }

  async #check(name: string): Promise<Heartbeat | undefined> {
    const running = this.#running.get(name);
    if (!running || this.#stopping.signal.aborted || !this.#leading) return undefined;
    const beat = await runCheck(running.monitor, {
      now: () => this.deps.clock.now(),
      runtime: this.deps.runtime,
      signal: this.#stopping.signal,
      lastPushAt: await this.#lastPushAt(name, running.monitor),
      watchedSince: running.watchedSince,
      domainExpiry: this.deps.domainExpiry,
    });
    // A monitor deleted or changed while its check ran, or leadership lost: the result belongs to nothing now.
    if (this.#running.get(name) !== running || !this.#leading) return beat;
    await this.#record(running.monitor, beat);
    return beat;
  }

  async #record(m: CompiledMonitor, beat: Heartbeat): Promise<void> {
    this.checks++;
    this.heartbeats.add(beat);
    await this.#states.record(m, beat);
  }

  /** The latest push, here or (through the store) at another instance. */
  async #lastPushAt(name: string, m: CompiledMonitor): Promise<Date | undefined> {
    const mine = this.#states.get(name)?.lastPushAt;
    if (m.probe !== 'push') return mine;
    const stored = await this.#storedPushes.get(name);
    return stored && (!mine || stored > mine) ? stored : mine;
  }
}
