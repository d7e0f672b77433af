import { Cancellation } from '../../executors/cancellation.js';
import type { OutputTail } from '../../executors/output-tail.js';
import { runAttempt, type RunnerPorts } from '../../executors/index.js';
import type { AttemptResult, RunContext } from '../../executors/types.js';
import type { Clock } from '../../ports/clock.js';
import type { JobStore } from '../../ports/job-store.js';
import type { ActiveRun } from './active-run.js';
import { clockTimer } from './clock-timer.js';
import type { JobDefinition } from './job-definition.js';
import type { RunnableJob } from './run-request.js';
import type { WorkerPool } from './worker-pool.js';

/** What running a job's attempts needs. */
export interface AttemptDeps {
  store: JobStore;
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
  /** Runs one attempt; tests pass a scripted one (default: the job's runner). */
  attempt?: (spec: JobDefinition['runner'], ctx: RunContext, ports: RunnerPorts) => Promise<AttemptResult>;
  /** First retry after this delay, doubling each time up to `maxMs`. */
  backoff?: { baseMs: number; maxMs: number };
}

/** How a run's attempts ended: the last attempt's result and its number (1-based). */
export interface AttemptsOutcome {
  result: AttemptResult;
  attempt: number;
}

/**
 * Runs a job's attempts until one succeeds, the run is aborted or the retries are spent,
 * waiting an exponential backoff between them. A job whose secrets are not available here
 * makes no attempt: the outcome is a failure that says why.
 */
export async function runAttempts(
  job: RunnableJob,
  active: ActiveRun,
  output: OutputTail,
  scheduledAt: string,
  deps: AttemptDeps,
): Promise<AttemptsOutcome> {
  const stop = active.cancel;
  let result: AttemptResult = { ok: false, exitCode: null, message: job.unavailable };
  let attempt = 1;
  if (!job.revealed) return { result, attempt };
  for (; ; attempt++) {
    if (attempt > 1) {
      output.write(`--- attempt ${attempt} of ${job.retries + 1} ---\n`);
      await deps.store.updateOccurrence(active.occurrence.id, { status: 'running', attempt });
    }
    // Only the attempt holds a worker: backoff waits and writes to the store do not.
    const pool = (job.revealed.type === 'http' && deps.requestPool) || deps.pool;
    result = await pool.submit(() => oneAttempt(job, active, attempt, output, scheduledAt, deps));
    if (result.ok || stop.aborted || attempt > job.retries) break;
    const base = deps.backoff?.baseMs ?? 1_000;
    const delay = Math.min(base * 2 ** (attempt - 1), deps.backoff?.maxMs ?? 300_000);
    try {
      await deps.clock.sleep(delay, stop.signal);
    } catch {
      break;
    }
  }
  return { result, attempt };
}

/** One attempt, aborted with the run or when the job's timeout passes. */
async function oneAttempt(
  job: RunnableJob,
  active: ActiveRun,
  attempt: number,
  output: OutputTail,
  scheduledAt: string,
  deps: AttemptDeps,
): Promise<AttemptResult> {
  // One Cancellation for the attempt (the first one's made ahead, in JobRuns), aborted with
  // the run by abortRun() and timed out by a cancellable timer: AbortSignal.any, a cancelled
  // sleep, and even AbortControllers with listeners cost more per run than the HTTP request
  // itself at a thousand runs a second (measured with --cpu-prof).
  const cancel = active.attempt ?? new Cancellation();
  const stop = active.cancel;
  if (stop.reason !== undefined) cancel.abort(stop.reason);
  active.attempt = cancel;
  const cancelTimeout = clockTimer(deps.clock, job.timeoutMs, () => cancel.abort(`timed out after ${formatMs(job.timeoutMs)}`));
  try {
    return await (deps.attempt ?? runAttempt)(
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
      deps.runners,
    );
  } finally {
    cancelTimeout();
    active.attempt = undefined;
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
