import type { RunnerPorts } from '../../executors/index.js';
import { hmacDigest } from '../../kinds/digest.js';
import type { Resource } from '../../model/resource.js';
import type { Sensitive } from '../../model/sensitive.js';
import type { Clock } from '../../ports/clock.js';
import type { Events } from '../../ports/events.js';
import type { JobStore, OccurrenceClaim } from '../../ports/job-store.js';
import type { Leadership } from '../../ports/leadership.js';
import type { Store } from '../../ports/store.js';
import { catchUp, missedEvent } from './catch-up.js';
import { JobRuns } from './job-runs.js';
import type { Dispatched, RunnableJob } from './run-request.js';
import { Slots } from '../../kinds/job/slots.js';
import { runnableJob } from './runnable-job.js';
import { Timeline } from './timeline.js';
import { WorkerPool } from './worker-pool.js';

type Log = {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
};

/** What the scheduler reads and writes: the applied jobs, the secret key, and occurrences. */
export type SchedulerStore = Pick<Store, 'listApplied' | 'secretKey'> & JobStore;

export interface SchedulerDeps {
  store: SchedulerStore;
  events: Events;
  clock: Clock;
  log: Log;
  leadership: Leadership;
  runners: RunnerPorts;
  /** Runs of processes and containers at once, at most (default 64). */
  poolSize?: number;
  /** `http` runs in flight at once, at most (default 1,000; connections per host are bounded by the runner's agent). */
  requestPoolSize?: number;
  /** How often the applied jobs are re-read, to notice a `ploy apply` from elsewhere (default 2 s). */
  refreshEveryMs?: number;
  /** How often history is trimmed to each job's `history.keep` (default 60 s). */
  pruneEveryMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  /**
   * How long before its time a slot is claimed (default 700 ms): the run then starts on time
   * whatever the store's latency. Not a whole second: slots are (cron and `@every`, counted from
   * the epoch), so claiming the next slots never lands on the instant this one's runs are sent —
   * with 1 s, a thousand claims for the next second were built at the same instant as a
   * thousand requests for this one, and p99 lateness went from 92 ms to 128 ms (bench:jobs).
   * A leader that dies holding claims ahead leaves them `running`; the next leader records
   * them as interrupted, so they are never silent.
   */
  claimAheadMs?: number;
  /** How long finished runs are gathered before they are written (default 50 ms). */
  finishLingerMs?: number;
}

/**
 * The job scheduler of `ploy serve`. Every instance knows the applied jobs (for manual runs and
 * `ploy jobs`); only the leader runs their schedules. On election it first records what was
 * missed since the last scheduled slot (catch-up), then arms the timeline (one timer for the
 * earliest due instant). The timer does no I/O of its own: it hands each due slot to JobRuns,
 * which claims the occurrence (fenced by the epoch, batched with the slots due at the same
 * instant) and runs it on a bounded pool at its time.
 */
export class Scheduler {
  readonly runs: JobRuns;
  readonly #jobs = new Map<string, RunnableJob>();
  readonly #timeline: Timeline;
  readonly #stopping = new AbortController();
  readonly #desired = new Map<string, Record<string, unknown>>();
  #epoch: number | null = null;
  /**
   * Whether the timeline runs the schedules. Not the same as leading: between election and the
   * end of catch-up a refresh must not arm from its own later `now`, or the slots between the
   * catch-up's `now` and that one would belong to neither and go unrecorded.
   */
  #armed = false;
  #digest: ((s: Sensitive) => string) | undefined;
  #intervals: NodeJS.Timeout[] = [];
  #refreshing: Promise<void> | undefined;
  #stopped = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.runs = new JobRuns({
      store: deps.store,
      events: deps.events,
      clock: deps.clock,
      pool: new WorkerPool(deps.poolSize ?? 64),
      requestPool: new WorkerPool(deps.requestPoolSize ?? 1_000),
      runners: deps.runners,
      epoch: () => this.#epoch,
      job: (name) => this.#jobs.get(name),
      backoff: deps.backoff,
      finishLingerMs: deps.finishLingerMs,
      log: deps.log,
    });
    this.#timeline = new Timeline(
      deps.clock,
      (names, at) => {
        for (const name of names) {
          const job = this.#jobs.get(name);
          if (job) this.#dispatch(this.runs.dispatch({ job, scheduledAt: at, trigger: 'schedule' }), name);
        }
      },
      deps.claimAheadMs ?? 700,
      (since) => void this.#late(since),
    );
  }

  /** The epoch this instance leads under, or null when it does not lead. */
  get epoch(): number | null {
    return this.#epoch;
  }

  /** The applied jobs as this instance knows them. */
  get jobs(): ReadonlyMap<string, RunnableJob> {
    return this.#jobs;
  }

  async start(): Promise<void> {
    this.#digest = hmacDigest(await this.deps.store.secretKey());
    await this.refresh();
    void this.#timeline.start(this.#stopping.signal);
    this.deps.leadership.start({
      onElected: (epoch) => void this.#elected(epoch),
      onDeposed: (reason) => this.#deposed(reason),
    });
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((e: unknown) => this.#logError('scheduler housekeeping failed', e)), ms);
      t.unref();
      this.#intervals.push(t);
    };
    every(this.deps.refreshEveryMs ?? 2_000, () => this.refresh());
    every(this.deps.pruneEveryMs ?? 60_000, () => this.prune());
  }

  /**
   * The desired resources the reconciler just read: the only place secret values come from,
   * since the applied state keeps digests. Call refresh() after the apply.
   */
  offerDesired(resources: readonly Resource[]): void {
    this.#desired.clear();
    for (const r of resources) if (r.kind === 'Job') this.#desired.set(r.name, r.spec);
  }

  /** Re-reads the applied jobs; a leader re-arms the timers of jobs that changed. Never overlaps itself. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** A manual run (`ploy run job NAME`) through the same policies as scheduled ones. */
  async runNow(name: string): Promise<Dispatched | { unknown: string }> {
    const job = this.#jobs.get(name);
    if (!job) return { unknown: name };
    return this.runs.dispatch({ job, scheduledAt: this.deps.clock.now(), trigger: 'manual' });
  }

  /** The next `count` scheduled times of a job, in UTC (render them in the job's timezone). */
  upcoming(name: string, count = 3): Date[] {
    const job = this.#jobs.get(name);
    return job ? new Slots(job.schedule, job.timezone).upcoming(this.deps.clock.now(), count) : [];
  }

  /** Trims every job's history to its `history.keep`. */
  async prune(): Promise<void> {
    if (this.#epoch === null) return;
    for (const job of this.#jobs.values()) await this.deps.store.pruneOccurrences(job.name, job.keep);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#intervals) clearInterval(t);
    this.#armed = false;
    this.#timeline.clear();
    this.#stopping.abort();
    await this.deps.leadership.stop();
    this.#epoch = null;
    await this.runs.stop();
    await this.#refreshing;
  }

  async #refresh(): Promise<void> {
    const applied = (await this.deps.store.listApplied()).filter((a) => a.kind === 'Job');
    const seen = new Set<string>();
    for (const a of applied) {
      seen.add(a.name);
      const job = runnableJob(a, this.#desired.get(a.name), this.#digest!);
      if ('error' in job) {
        this.deps.log.error({ job: a.name, err: job.error }, 'an applied job cannot be scheduled');
        continue;
      }
      this.#jobs.set(a.name, job);
    }
    for (const name of [...this.#jobs.keys()]) if (!seen.has(name)) this.#jobs.delete(name);
    if (this.#armed) this.#arm(this.deps.clock.now());
  }

  async #elected(epoch: number): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.refresh();
      await this.#catchUpAndArm(epoch);
    } catch (err) {
      // Stopping while catching up closes the store under it: not worth a log line.
      if (!this.#stopped) this.#logError('could not start scheduling after election', err);
    }
  }

  /** The clock stepped forward (or the process froze): the slots jumped over are missed, not run in a burst. */
  async #late(since: Date): Promise<void> {
    const epoch = this.#epoch;
    if (epoch === null || this.#stopped) return;
    this.#armed = false;
    this.deps.log.warn(
      { since: since.toISOString(), now: this.deps.clock.now().toISOString() },
      "the clock jumped forward or the engine was frozen: the slots in between are handled by each job's missed policy",
    );
    try {
      await this.#catchUpAndArm(epoch);
    } catch (err) {
      if (!this.#stopped) this.#logError('could not catch up after a clock jump', err);
    }
  }

  /** Records (or, by the missed policy, runs) every slot since each job's last, then arms from now. */
  async #catchUpAndArm(epoch: number): Promise<void> {
    const now = this.deps.clock.now();
    const last = await this.deps.store.lastScheduledTimes();
    this.#epoch = epoch;
    // Missed slots are recorded in one statement for all jobs; only runOnce runs go through dispatch.
    const skips: OccurrenceClaim[] = [];
    for (const job of this.#jobs.values()) {
      const plan = catchUp(job, last.get(job.name), now);
      for (const req of plan.requests) {
        if (req.skip)
          skips.push({
            job: job.name,
            scheduledAt: req.scheduledAt,
            trigger: req.trigger,
            epoch,
            skip: req.skip,
            startedAt: now,
          });
        else this.#dispatch(this.runs.dispatch(req), job.name);
      }
      if (plan.missed > 0 && !job.suspend) await this.deps.events.emit(missedEvent(job, plan, last.get(job.name)));
    }
    for (let i = 0; i < skips.length; i += 1000) {
      const results = await this.deps.store.claimOccurrences(skips.slice(i, i + 1000));
      if (results.some((r) => 'refused' in r && r.refused === 'stale-epoch'))
        return this.#deposed('the store refused a claim: a newer leader exists');
    }
    // Deposed (or stopped) while catching up: the next election starts over.
    if (this.#epoch !== epoch) return;
    this.#armed = true;
    this.#arm(now);
    this.deps.log.info({ epoch, jobs: this.#jobs.size }, 'scheduler armed');
  }

  #deposed(reason: string): void {
    if (this.#epoch === null) return;
    this.deps.log.warn({ epoch: this.#epoch, reason }, 'scheduling stopped: not the leader');
    this.#epoch = null;
    this.#armed = false;
    this.#timeline.clear();
  }

  /** Arms every applied job; a job whose spec changed is re-armed from `from` on, a removed one disarmed. */
  #arm(from: Date): void {
    for (const name of this.#timeline.jobs()) {
      if (this.#jobs.get(name)?.specHash !== this.#timeline.armedWith(name)) this.#timeline.remove(name);
    }
    for (const job of this.#jobs.values()) {
      if (this.#timeline.armedWith(job.name) !== undefined) continue;
      this.#timeline.add(job.name, new Slots(job.schedule, job.timezone), job.specHash, from);
    }
  }

  #dispatch(p: Promise<Dispatched>, job: string): void {
    p.then(
      (d) => {
        if ('refused' in d && d.refused === 'stale-epoch') this.#deposed('the store refused a claim: a newer leader exists');
      },
      (err: unknown) => this.#logError(`could not claim a slot of job ${job}`, err),
    );
  }

  #logError(msg: string, err: unknown): void {
    this.deps.log.error({ err: err instanceof Error ? err.message : String(err) }, msg);
  }
}
