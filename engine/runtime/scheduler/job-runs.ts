import { Cancellation } from '../../executors/cancellation.js';
import { OutputTail } from '../../executors/output-tail.js';
import type { Events } from '../../ports/events.js';
import type {
  ClaimResult,
  FinishedOccurrence,
  OccurrenceClaim,
  OccurrenceRecord,
  OccurrenceStatus,
} from '../../ports/job-store.js';
import { abortRun, type ActiveRun } from './active-run.js';
import { Batcher } from './batcher.js';
import { type AttemptDeps, type AttemptsOutcome, runAttempts } from './job-attempts.js';
import { JobRunEvents } from './job-run-events.js';
import type { Dispatched, RunnableJob, RunRequest } from './run-request.js';
import { SharedWakes } from './shared-wakes.js';

/** What JobRuns needs: the attempts' needs, and the events, fencing and chains around them. */
export interface JobRunsDeps extends AttemptDeps {
  events: Events;
  /** The leader epoch claims are fenced with; null for a process outside the scheduler. */
  epoch(): number | null;
  /** Looks up a job for `then` chains. */
  job(name: string): RunnableJob | undefined;
  /** How long finished runs are gathered before they are written (default 50 ms). */
  finishLingerMs?: number;
  log?: { warn(o: object, msg: string): void; error(o: object, msg: string): void };
}

const REPLACED = 'replaced by a newer run (concurrency: replace)';
const STOPPING = 'the engine stopped while it ran';
const OVERLAP = 'overlap: the previous run was still running';
/** Several manual runs in one millisecond each need their own (job, time): move along by 1 ms. */
const SLOT_RETRIES = 20;

/**
 * Claims and runs occurrences with the job's policies: concurrency (forbid, allow, replace),
 * timeout, retries with exponential backoff, `then` chains, and the job.failed / job.recovered
 * events. The same path serves scheduled, chained and manual runs, so a policy cannot be
 * bypassed by how a run was started.
 *
 * A slot may be claimed ahead of its time (the timeline does so, to keep the store's latency
 * out of the run's start); the run then waits for its time, and the concurrency policy is
 * applied at that moment, against the runs of this process that are still executing.
 */
export class JobRuns {
  /** Every run of this process not yet recorded, by job. */
  readonly #active = new Map<string, Set<ActiveRun>>();
  /** Runs whose attempts are in progress, by job: what concurrency is decided against. */
  readonly #executing = new Map<string, Set<ActiveRun>>();
  /** Claims of one job are made one after the other, in slot order. */
  readonly #claims = new Map<string, Promise<unknown>>();
  #stopping = false;
  /** Aborted by stop(): ends the waits of runs claimed ahead of their time. */
  readonly #stopAll = new AbortController();
  /** Runs claimed ahead of their time wait here, one timer per instant. */
  readonly #wakes: SharedWakes;
  readonly #claimBatch: Batcher<OccurrenceClaim, ClaimResult>;
  readonly #finishBatch: Batcher<FinishedOccurrence, undefined>;
  readonly #runEvents: JobRunEvents;

  constructor(private readonly deps: JobRunsDeps) {
    this.#wakes = new SharedWakes(deps.clock, this.#stopAll.signal);
    this.#runEvents = new JobRunEvents(deps.events, deps.store);
    this.#claimBatch = new Batcher((claims) => deps.store.claimOccurrences(claims));
    // Results trickle in as runs end; gathering them for 50 ms makes a few large writes out
    // of many small ones. Nothing waits on them: concurrency is decided from this process's
    // runs, not from their rows.
    this.#finishBatch = new Batcher(
      async (results) => {
        await deps.store.finishOccurrences(results);
        return results.map(() => undefined);
      },
      1000,
      deps.finishLingerMs ?? 50,
    );
  }

  /** Claims the slot (recording a skip when it must not run) and starts its run at its time. */
  dispatch(req: RunRequest): Promise<Dispatched> {
    const name = req.job.name;
    const previous = this.#claims.get(name) ?? Promise.resolve();
    const claim = previous.then(() => this.#claim(req));
    const tail = claim.catch(() => {});
    this.#claims.set(name, tail);
    void tail.then(() => {
      if (this.#claims.get(name) === tail) this.#claims.delete(name);
    });
    return claim;
  }

  /** Resolves when nothing is being claimed or run here any more (chained runs included). */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.#claims.values(), ...[...this.#active.values()].flatMap((s) => [...s].map((a) => a.done))];
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  /** Runs executing in this process, by job. */
  running(job: string): number {
    return this.#executing.get(job)?.size ?? 0;
  }

  /** Aborts every run (and any a claim in flight starts) and waits until each is recorded. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#stopAll.abort(STOPPING);
    for (const set of this.#active.values()) for (const a of set) abortRun(a, STOPPING);
    await this.idle();
  }

  async #claim(req: RunRequest): Promise<Dispatched> {
    const { job } = req;
    let skip = req.skip;
    if (!skip && this.#stopping) skip = STOPPING;
    if (!skip && job.suspend && req.trigger !== 'manual') skip = 'suspended';
    const epoch = this.deps.epoch();
    let scheduledAt = req.scheduledAt;
    for (let i = 0; ; i++) {
      const result = await this.#claimBatch.add({
        job: job.name,
        scheduledAt,
        trigger: req.trigger,
        epoch,
        skip,
        forbidWhenRunning: job.concurrency === 'forbid',
        startedAt: this.deps.clock.now(),
        triggeredBy: req.triggeredBy,
      });
      if ('claimed' in result) {
        const occurrence = result.claimed;
        if (occurrence.status !== 'running') return { occurrence, done: Promise.resolve(occurrence) };
        return { occurrence, done: this.#start(job, occurrence) };
      }
      // A scheduled slot taken is exactly-once at work; a manual or chained run just needs its own time.
      if (result.refused === 'stale-epoch' || req.trigger === 'schedule' || req.trigger === 'missed' || i >= SLOT_RETRIES) {
        return result;
      }
      scheduledAt = new Date(scheduledAt.getTime() + 1);
    }
  }

  #start(job: RunnableJob, occurrence: OccurrenceRecord): Promise<OccurrenceRecord> {
    const cancel = new Cancellation();
    // Claimed while stopping: recorded as interrupted at once rather than left `running`.
    if (this.#stopping) cancel.abort(STOPPING);
    let ended!: () => void;
    const active: ActiveRun = {
      occurrence,
      cancel,
      done: undefined as never,
      ended: new Promise<void>((r) => (ended = r)),
    };
    const set = this.#active.get(job.name) ?? new Set<ActiveRun>();
    this.#active.set(job.name, set);
    set.add(active);
    active.done = this.#execute(job, active, ended)
      .catch(async (err: unknown) => {
        // Only the store can fail here; say so and carry on.
        const message = err instanceof Error ? err.message : String(err);
        this.deps.log?.error({ job: job.name, err: message }, 'a job run could not be recorded');
        return { ...occurrence, status: 'failed' as const, reason: message };
      })
      .finally(() => {
        ended();
        set.delete(active);
        if (set.size === 0 && this.#active.get(job.name) === set) this.#active.delete(job.name);
      });
    return active.done;
  }

  async #execute(job: RunnableJob, active: ActiveRun, ended: () => void): Promise<OccurrenceRecord> {
    const { clock } = this.deps;
    const occ = active.occurrence;
    const stop = active.cancel;
    // Made while waiting, not at the instant a thousand runs may be due together.
    const output = new OutputTail();
    const scheduledAt = occ.scheduledAt.toISOString();
    active.attempt = new Cancellation();
    // Only stop() ends the wait early (replace stops runs that execute, not runs that wait).
    await this.#wakes.until(occ.scheduledAt.getTime());
    const startedAt = clock.now();
    let outcome: AttemptsOutcome = { result: { ok: false, exitCode: null, message: job.unavailable }, attempt: 1 };
    let skipped = false;
    const executing = this.#executing.get(job.name) ?? new Set<ActiveRun>();
    if (stop.aborted) {
      outcome = { result: { ok: false, exitCode: null, message: String(stop.reason) }, attempt: 1 };
    } else if (job.concurrency === 'forbid' && executing.size > 0) {
      skipped = true;
    } else {
      if (job.concurrency === 'replace') {
        const old = [...executing];
        for (const a of old) abortRun(a, REPLACED);
        await Promise.allSettled(old.map((a) => a.ended));
      }
      this.#executing.set(job.name, executing);
      executing.add(active);
      try {
        outcome = await runAttempts(job, active, output, scheduledAt, this.deps);
      } finally {
        executing.delete(active);
        if (executing.size === 0 && this.#executing.get(job.name) === executing) this.#executing.delete(job.name);
        ended();
      }
    }
    const { result, attempt } = outcome;
    const status: OccurrenceStatus = skipped
      ? 'skipped'
      : result.ok
        ? 'succeeded'
        : stop.aborted
          ? stop.reason === REPLACED
            ? 'cancelled'
            : 'interrupted'
          : 'failed';
    const finished: OccurrenceRecord = {
      ...occ,
      status,
      reason: skipped ? OVERLAP : result.ok ? null : (result.message ?? null),
      attempt,
      startedAt,
      finishedAt: clock.now(),
      exitCode: skipped ? null : result.exitCode,
      output: output.text(),
    };
    await this.#finishBatch.add({
      id: occ.id,
      status,
      reason: finished.reason,
      attempt,
      startedAt,
      finishedAt: finished.finishedAt!,
      exitCode: finished.exitCode,
      output: finished.output!,
    });
    await this.#runEvents.announce(job.name, finished);
    if (status === 'succeeded') this.#chain(job, finished);
    return finished;
  }

  #chain(parent: RunnableJob, occ: OccurrenceRecord): void {
    for (const name of parent.then) {
      const child = this.deps.job(name);
      if (!child) {
        this.deps.log?.warn({ job: parent.name, then: name }, 'a job named in then is not applied; not run');
        continue;
      }
      void this.dispatch({
        job: child,
        scheduledAt: this.deps.clock.now(),
        trigger: 'chain',
        triggeredBy: `${parent.name}@${occ.scheduledAt.toISOString()}`,
      }).catch((err: unknown) =>
        this.deps.log?.error(
          { job: name, err: err instanceof Error ? err.message : String(err) },
          'a chained run failed to start',
        ),
      );
    }
  }
}
