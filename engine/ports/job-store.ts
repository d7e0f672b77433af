/**
 * What the scheduler remembers: one occurrence row per (job, scheduled time) and the leader
 * epoch. Part of the Store port (Store extends JobStore), kept in its own file.
 *
 * Exactly-once rests on two facts the SQL enforces, not the caller: the pair (job, scheduledAt)
 * is unique, so a slot is claimed once however many engines race for it; and a claim that
 * carries an epoch is refused unless that epoch is still the leader's, so a deposed leader
 * cannot claim anything after a takeover.
 */
export interface JobStore {
  /**
   * Records a new leader: increments the epoch (the fencing token) and, in the same
   * transaction, marks occurrences left `running` by earlier leaders as `interrupted`
   * (their process is gone or deposed). Returns the new epoch.
   */
  takeLeadership(holder: string, at: Date): Promise<{ epoch: number; interrupted: number }>;
  /** The current epoch and holder, for status pages and tests. */
  currentLeader(): Promise<{ epoch: number; holder: string | null; since: Date | null }>;

  /**
   * Claims a slot. Returns the row as written (status `running`, or `skipped` with its reason
   * when `skip` is given or `forbidWhenRunning` finds a run of the job still `running` that
   * the claimer does not know of: a leader (claim with an epoch) looks at runs started outside
   * the scheduler; a claim without an epoch looks at every run), or a
   * refusal: `taken` when the slot already has a row, `stale-epoch` when `epoch` is given and
   * is no longer the leader's.
   */
  claimOccurrence(c: OccurrenceClaim): Promise<ClaimResult>;
  /**
   * Many claims in one statement (what is due at one instant across jobs), with the same
   * rules; results in the order given. Two claims of one job in one batch do not see each
   * other for `forbidWhenRunning`: callers send a job's claims one after the other.
   */
  claimOccurrences(claims: OccurrenceClaim[]): Promise<ClaimResult[]>;
  /** Records the outcome of an attempt, or the final outcome (`finishedAt` set). */
  updateOccurrence(id: number, patch: OccurrencePatch): Promise<void>;
  /** Records the final outcome of many runs in one statement. */
  finishOccurrences(results: FinishedOccurrence[]): Promise<void>;
  getOccurrence(id: number): Promise<OccurrenceRecord | undefined>;
  /** Newest scheduled time first; with `job`, that job's only. */
  listOccurrences(opts?: { job?: string; limit?: number; status?: string }): Promise<OccurrenceRecord[]>;
  /** The latest scheduled time claimed by the schedule (not manual or chained runs) per job. */
  lastScheduledTimes(): Promise<Map<string, Date>>;
  /** The newest finished run (succeeded or failed) of a job before `beforeId`, for job.recovered. */
  lastFinishedRun(job: string, beforeId: number): Promise<OccurrenceRecord | undefined>;
  /** Keeps the newest `keep` occurrences of a job (by scheduled time) and deletes the rest; returns how many went. */
  pruneOccurrences(job: string, keep: number): Promise<number>;
}

/** What happens to a slot; statuses are plain text in the store, so adding one needs no migration. */
export type OccurrenceStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted' | 'cancelled';
/** What made an occurrence: its schedule, a person (`ploy run job`), or a parent's `then`. */
export type OccurrenceTrigger = 'schedule' | 'manual' | 'chain' | 'missed';

export interface OccurrenceClaim {
  job: string;
  scheduledAt: Date;
  trigger: OccurrenceTrigger;
  /** The leader epoch this claim is made under; null for runs outside the scheduler (a CLI's manual run). */
  epoch: number | null;
  /** Record the slot as skipped for this reason instead of running it. */
  skip?: string;
  /**
   * concurrency: forbid — record `skipped` / `overlap` when another claimer's run of this job is
   * `running`. The leader's own runs are not looked up here: it knows them, and knows when one
   * has ended before its row says so.
   */
  forbidWhenRunning?: boolean;
  startedAt: Date;
  /** `job@scheduledAt` of the parent run for chained runs. */
  triggeredBy?: string;
}

export type ClaimResult = { claimed: OccurrenceRecord } | { refused: 'taken' | 'stale-epoch' };

export interface OccurrencePatch {
  status: OccurrenceStatus;
  reason?: string | null;
  attempt?: number;
  startedAt?: Date;
  finishedAt?: Date;
  exitCode?: number | null;
  output?: string;
}

/** The final outcome of one run. */
export interface FinishedOccurrence {
  id: number;
  status: OccurrenceStatus;
  /** When it really started (a slot is claimed a little ahead of its time). */
  startedAt: Date;
  reason: string | null;
  attempt: number;
  finishedAt: Date;
  exitCode: number | null;
  output: string;
}

/** One slot of one job, run or not. */
export interface OccurrenceRecord {
  id: number;
  job: string;
  scheduledAt: Date;
  status: OccurrenceStatus;
  /** Why it was skipped, failed or interrupted. */
  reason: string | null;
  trigger: OccurrenceTrigger;
  attempt: number;
  epoch: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number | null;
  /** stdout and stderr interleaved, the last 64 KB. */
  output: string | null;
  triggeredBy: string | null;
}
