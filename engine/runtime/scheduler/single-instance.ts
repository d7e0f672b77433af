import type { Clock } from '../../ports/clock.js';
import type { JobStore } from '../../ports/job-store.js';
import type { Leadership } from '../../ports/leadership.js';

/**
 * Leadership for the embedded store: PGlite belongs to one process (its data dir is locked),
 * so that process is the leader, from its start. It still takes a new epoch, which marks the
 * runs a previous process left `running` as interrupted.
 */
export function singleInstanceLeadership(store: JobStore, clock: Clock, holder: string): Leadership {
  let stopped = false;
  return {
    start(handlers) {
      void store.takeLeadership(holder, clock.now()).then(
        ({ epoch }) => {
          if (!stopped) handlers.onElected(epoch);
        },
        (err: unknown) => handlers.onDeposed(`could not take leadership: ${err instanceof Error ? err.message : String(err)}`),
      );
    },
    async stop() {
      stopped = true;
    },
  };
}
