import type { OccurrenceRecord, OccurrenceTrigger } from '../../ports/job-store.js';
import type { JobDefinition } from './job-definition.js';

/** A run that is due: a slot of the schedule, a manual run, or a `then` of a parent. */
export interface RunRequest {
  job: RunnableJob;
  scheduledAt: Date;
  trigger: OccurrenceTrigger;
  /** `parent@scheduledAt` for chained runs. */
  triggeredBy?: string;
  /** Record the slot as skipped with this reason instead of running it (missed slots). */
  skip?: string;
}

/** A job with what a run needs beyond its definition: its secret values, or why they are missing. */
export interface RunnableJob extends JobDefinition {
  /** The runner spec with secret values filled in; absent when they are not available here. */
  revealed?: JobDefinition['runner'];
  /** Why `revealed` is absent. */
  unavailable?: string;
}

/** What dispatching a request did. */
export type Dispatched = { occurrence: OccurrenceRecord; done: Promise<OccurrenceRecord> } | { refused: 'taken' | 'stale-epoch' };
