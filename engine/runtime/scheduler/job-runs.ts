import { Cancellation } from '../../executors/cancellation.js';
import { lastLines, OutputTail } from '../../executors/output-tail.js';
import { runAttempt, type RunnerPorts } from '../../executors/index.js';
import type { AttemptResult, RunContext } from '../../executors/types.js';
import type { Clock } from '../../ports/clock.js';
import type { Events } from '../../ports/events.js';
import type {
  ClaimResult,
  FinishedOccurrence,
  JobStore,
  OccurrenceClaim,
  OccurrenceRecord,
  OccurrenceStatus,
  OccurrenceTrigger,
} from '../../ports/job-store.js';
import { Batcher } from './batcher.js';
import { clockTimer } from './clock-timer.js';
import type { JobDefinition } from './job-definition.js';
import type { WorkerPool } from './worker-pool.js';

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

export interface JobRunsDeps {
  store: JobStore;
  events: Events;
  clock: Clock;
  /** Bounds runs that start processes or containers (shell, container, exec). */
  pool: WorkerPool;
  /**
   * Bounds `http` runs instead, when given: a request costs a socket and a few kilobytes, not a
   * process, so a thousand of them due at one second need not queue behind 64 workers (the
   * HTTP agent bounds connections per host).
   */
  requestPool?: WorkerPool;
  runners: RunnerPorts;
  /** The leader epoch claims are fenced with; null for a process outside the scheduler. */
  epoch(): number | null;
  /** Looks up a job for `then` chains. */
  job(name: string): RunnableJob | undefined;
  /** Runs one attempt; tests pass a scripted one (default: the job's runner). */
  attempt?: (spec: JobDefinition['runner'], ctx: RunContext, ports: RunnerPorts) => Promise<AttemptResult>;
  /** How long finished runs are gathered before they are written (default 50 ms). */
  finishLingerMs?: number;
  /** First retry after this delay, doubling each time up to `maxMs`. */
  backoff?: { baseMs: number; maxMs: number };
  log?: { warn(o: object, msg: string): void; error(o: object, msg: string): void };
}

interface Active {
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
function abortRun(a: Active, reason: string): void {
  a.cancel.abort(reason);
  a.attempt?.abort(reason);
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
  readonly #active = new Map<string, Set<Active>>();
  /** Runs whose attempts are in progress, by job: what concurrency is decided against. */
  readonly #executing = new Map<string, Set<Active>>();
  /** Claims of one job are made one after the other, in slot order. */
  readonly #claims = new Map<string, Promise<unknown>>();
  #stopping = false;
  /** Aborted by stop(): ends the waits of runs claimed ahead of their time. */
  readonly #stopAll = new AbortController();
  /** One wait per instant, shared by every run claimed ahead for it (see #until). */
  readonly #wakes = new Map<number, Promise<void>>();
  readonly #claimBatch: Batcher<OccurrenceClaim, ClaimResult>;
  readonly #finishBatch: Batcher<FinishedOccurrence, undefined>;
  /**
   * The last finished status per job, so job.recovered needs no query per run (runs finished
   * by another process, such as a CLI manual run, are not seen here).
   */
  readonly #lastStatus = new Map<string, OccurrenceStatus>();

  constructor(private readonly deps: JobRunsDeps) {
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
    const active: Active = {
      occurrence,
      cancel,
      done: undefined as never,
      ended: new Promise<void>((r) => (ended = r)),
    };
    const set = this.#active.get(job.name) ?? new Set<Active>();
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

  async #execute(job: RunnableJob, active: Active, ended: () => void): Promise<OccurrenceRecord> {
    const { clock, store } = this.deps;
    const occ = active.occurrence;
    const stop = active.cancel;
    // Made while waiting, not at the instant a thousand runs may be due together.
    const output = new OutputTail();
    const scheduledAt = occ.scheduledAt.toISOString();
    active.attempt = new Cancellation();
    await this.#until(occ.scheduledAt.getTime());
    const startedAt = clock.now();
    let result: AttemptResult = { ok: false, exitCode: null, message: job.unavailable };
    let attempt = 1;
    let skipped = false;
    const executing = this.#executing.get(job.name) ?? new Set<Active>();
    if (stop.aborted) {
      result = { ok: false, exitCode: null, message: String(stop.reason) };
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
        if (job.revealed) {
          for (; ; attempt++) {
            if (attempt > 1) {
              output.write(`--- attempt ${attempt} of ${job.retries + 1} ---\n`);
              await store.updateOccurrence(occ.id, { status: 'running', attempt });
            }
            // Only the attempt holds a worker: backoff waits and writes to the store do not.
            const pool = (job.revealed.type === 'http' && this.deps.requestPool) || this.deps.pool;
            result = await pool.submit(() => this.#attempt(job, active, attempt, output, scheduledAt));
            if (result.ok || stop.aborted || attempt > job.retries) break;
            const base = this.deps.backoff?.baseMs ?? 1_000;
            const delay = Math.min(base * 2 ** (attempt - 1), this.deps.backoff?.maxMs ?? 300_000);
            try {
              await clock.sleep(delay, stop.signal);
            } catch {
              break;
            }
          }
        }
      } finally {
        executing.delete(active);
        if (executing.size === 0 && this.#executing.get(job.name) === executing) this.#executing.delete(job.name);
        ended();
      }
    }
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
    await this.#announce(job, finished);
    if (status === 'succeeded') this.#chain(job, finished);
    return finished;
  }

  /**
   * Resolves at `at`, or when the engine stops. The thousand runs due at one second wait on one
   * timer, not a thousand: at their instant the event loop goes straight to sending them.
   * Only stop() ends a wait early (replace stops runs that execute, not runs that wait).
   */
  #until(at: number): Promise<void> {
    const wait = at - this.deps.clock.now().getTime();
    if (wait <= 0 || this.#stopAll.signal.aborted) return Promise.resolve();
    let wake = this.#wakes.get(at);
    if (!wake) {
      wake = this.deps.clock
        .sleep(wait, this.#stopAll.signal)
        .catch(() => {})
        .finally(() => this.#wakes.delete(at));
      this.#wakes.set(at, wake);
    }
    return wake;
  }

  async #attempt(job: RunnableJob, active: Active, attempt: number, output: OutputTail, scheduledAt: string) {
    // One Cancellation for the attempt (the first one's made ahead, in #execute), aborted with
    // the run by abortRun() and timed out by a cancellable timer: AbortSignal.any, a cancelled
    // sleep, and even AbortControllers with listeners cost more per run than the HTTP request
    // itself at a thousand runs a second (measured with --cpu-prof).
    const cancel = active.attempt ?? new Cancellation();
    const stop = active.cancel;
    if (stop.reason !== undefined) cancel.abort(stop.reason);
    active.attempt = cancel;
    const cancelTimeout = clockTimer(this.deps.clock, job.timeoutMs, () =>
      cancel.abort(`timed out after ${formatMs(job.timeoutMs)}`),
    );
    try {
      return await (this.deps.attempt ?? runAttempt)(
        job.revealed!,
        {
          job: job.name,
          ployEnv: {
            PLOY_SCHEDULED_AT: scheduledAt,
            PLOY_JOB: job.name,
            PLOY_ATTEMPT: String(attempt),
          },
          cancel,
          output,
        },
        this.deps.runners,
      );
    } finally {
      cancelTimeout();
      active.attempt = undefined;
    }
  }

  async #announce(job: RunnableJob, occ: OccurrenceRecord): Promise<void> {
    const resource = `Job/${job.name}`;
    const known = this.#lastStatus.get(job.name);
    if (occ.status === 'succeeded' || occ.status === 'failed') this.#lastStatus.set(job.name, occ.status);
    const data = { occurrence: occ.id, scheduledAt: occ.scheduledAt.toISOString(), attempt: occ.attempt, exitCode: occ.exitCode };
    if (occ.status === 'failed') {
      await this.deps.events.emit({
        type: 'job.failed',
        resource,
        message: `job ${job.name} failed: ${occ.reason ?? 'unknown reason'}`,
        // The output's tail tells a channel why (notifiers show its last lines).
        data: { ...data, outputTail: lastLines(occ.output ?? '', 4096) },
      });
    } else if (occ.status === 'succeeded') {
      const before = known ?? (await this.deps.store.lastFinishedRun(job.name, occ.id))?.status;
      if (before === 'failed') {
        await this.deps.events.emit({ type: 'job.recovered', resource, message: `job ${job.name} succeeded again`, data });
      }
    }
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

/** 90000 → `90s`; 5400000 → `90m`. */
export function formatMs(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
