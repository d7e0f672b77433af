import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';

/**
 * The push times in the store, read at most once a second for all monitors together: a push
 * may reach any instance, and the leader's checks must see it without a query per check.
 */
export class StoredPushTimes {
  #read: { at: number; pushes: Promise<Map<string, Date>> } | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The latest push to `monitor` stored by any instance, as of the last read (at most a second ago). */
  async get(monitor: string): Promise<Date | undefined> {
    const now = this.clock.now().getTime();
    if (!this.#read || now - this.#read.at >= 1000) {
      const pushes = this.store
        .listMonitorStates()
        .then((states) => new Map(states.flatMap((s) => (s.lastPushAt ? [[s.monitor, s.lastPushAt] as const] : []))))
        .catch(() => new Map<string, Date>());
      this.#read = { at: now, pushes };
    }
    return (await this.#read.pushes).get(monitor);
  }
}
