import type { Clock } from '../../ports/clock.js';
import type { Events } from '../../ports/events.js';
import type { Heartbeat, MonitorStateRecord } from '../../ports/monitor-store.js';
import type { Store } from '../../ports/store.js';
import { alertEvent } from './alert-event.js';
import type { CompiledMonitor } from './compiled-monitor.js';
import { inMaintenance } from './maintenance.js';
import { initialState, step, type Suppression } from './state-machine.js';

/** What MonitorStates needs. */
export interface MonitorStatesDeps {
  store: Store;
  clock: Clock;
  events: Events;
  log: { warn(o: object, msg: string): void; error(o: object, msg: string): void };
}

/**
 * The state of every monitor (up or down, its counters, its last push), held in memory and
 * written to the store on every change, so a restart or a new leader resumes where it was;
 * a heartbeat steps it through the state machine and raises the alerts a change calls for.
 */
export class MonitorStates {
  readonly #states = new Map<string, MonitorStateRecord>();

  constructor(private readonly deps: MonitorStatesDeps) {}

  /** Reads the stored states over the ones held here (at start, and when this instance takes the lead). */
  async load(): Promise<void> {
    for (const s of await this.deps.store.listMonitorStates()) this.#states.set(s.monitor, s);
  }

  get(name: string): MonitorStateRecord | undefined {
    return this.#states.get(name);
  }

  /** Forgets a deleted monitor (the store's copy is the caller's to delete). */
  delete(name: string): void {
    this.#states.delete(name);
  }

  /** A push arrived here at `now`: the next check of a push monitor sees it. */
  notePush(name: string, now: Date): void {
    const state = this.#states.get(name) ?? initialState(name, now);
    this.#states.set(name, { ...state, lastPushAt: now });
  }

  /** Steps `m`'s state with `beat`; stores a changed state and emits the alert the step raises. */
  async record(m: CompiledMonitor, beat: Heartbeat): Promise<void> {
    const now = this.deps.clock.now();
    const prev = this.#states.get(m.name) ?? initialState(m.name, now);
    const { next, alert, changed } = step({
      prev,
      beat,
      thresholds: { failure: m.failureThreshold, success: m.successThreshold, reminderMs: m.reminderIntervalMs },
      now,
      suppressed: this.#suppression(m, now),
    });
    this.#states.set(m.name, next);
    if (changed) {
      await this.deps.store.putMonitorState(next).catch((err: Error) => {
        this.deps.log.warn({ monitor: m.name, err: err.message }, 'monitor state not stored; kept in memory');
      });
    }
    if (alert) {
      await this.deps.events.emit(alertEvent(m.name, alert, now)).catch((err: Error) => {
        this.deps.log.error({ monitor: m.name, err: err.message }, `${alert.type} could not be recorded`);
      });
    }
  }

  /** Alerts are held back in a maintenance window, and while a monitor this one depends on is down. */
  #suppression(m: CompiledMonitor, now: Date): Suppression | undefined {
    if (inMaintenance(m.maintenance, now)) return 'maintenance';
    if (m.dependsOn.some((parent) => this.#states.get(parent)?.state === 'down')) return 'dependency';
    return undefined;
  }
}
