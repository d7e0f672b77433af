import type { Cancellation } from '../../executors/cancellation.js';
import type { OccurrenceRecord } from '../../ports/job-store.js';

/** A run of this process from its claim until it is recorded. */
export interface ActiveRun {
  occurrence: OccurrenceRecord;
  /** Aborts the run: its attempts, and waits between them. */
  cancel: Cancellation;
  /** The attempt in progress: aborted with the run (abortRun), and on its own by its timeout. */
  attempt?: Cancellation;
  /** Resolves when the run is recorded. */
  done: Promise<OccurrenceRecord>;
  /** Resolves when its attempts have ended (the process is gone), before it is recorded. */
  ended: Promise<void>;
}

/** Aborts a run and the attempt it is in. */
export function abortRun(a: ActiveRun, reason: string): void {
  a.cancel.abort(reason);
  a.attempt?.abort(reason);
}
