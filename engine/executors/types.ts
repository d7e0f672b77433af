import type { Cancellation } from './cancellation.js';
import type { OutputTail } from './output-tail.js';

/** One attempt of one run, as a runner sees it. */
export interface RunContext {
  job: string;
  /** `PLOY_SCHEDULED_AT`, `PLOY_JOB`, `PLOY_ATTEMPT`: given to every run. */
  ployEnv: Record<string, string>;
  /** Aborted on timeout, on `concurrency: replace`, and when the engine stops. */
  cancel: Cancellation;
  output: OutputTail;
}

/** How an attempt ended. A failure is a result, never a thrown error. */
export interface AttemptResult {
  ok: boolean;
  /** The process's or container's exit code, or the HTTP status; null when there is none. */
  exitCode: number | null;
  /** Why it failed, in a sentence (undefined on success). */
  message?: string;
}

/** A job runner: `shell`, `http`, `container` or `exec`. */
export type Runner<S> = (spec: S, ctx: RunContext) => Promise<AttemptResult>;

/** The abort reason, as a sentence. */
export function abortMessage(cancel: Pick<Cancellation, 'reason'>): string {
  return cancel.reason ?? 'aborted';
}
