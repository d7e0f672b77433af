import type { EngineConfig } from '../../config/types.js';
import type { CliDeps } from '../deps.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `ploy doctor`: what was checked, what it found, and for a problem how to fix it. */
export interface CheckLine {
  status: CheckStatus;
  /** Short name of the area: docker, store, proxy, source, secrets, clock. */
  check: string;
  message: string;
  /** What to do; given for every warn and fail. */
  fix?: string;
}

/** A reading of another clock, taken by a check, for the clock check to compare. */
export interface ClockReading {
  /** Whose clock: `the store`, `Docker`. */
  whose: string;
  /** Their time when they answered. */
  theirs: Date;
  /** This machine's time just after the answer arrived. */
  ours: Date;
}

/** What a check returns: its lines, and any clock it read on the way. */
export interface CheckOutcome {
  lines: CheckLine[];
  clocks?: ClockReading[];
}

/** What every check gets. `signal` aborts when the check's time is up. */
export interface CheckContext {
  deps: CliDeps;
  config: EngineConfig;
  signal: AbortSignal;
}

export type Check = (ctx: CheckContext) => Promise<CheckOutcome>;

export const ok = (check: string, message: string): CheckLine => ({ status: 'ok', check, message });
export const warn = (check: string, message: string, fix: string): CheckLine => ({ status: 'warn', check, message, fix });
export const fail = (check: string, message: string, fix: string): CheckLine => ({ status: 'fail', check, message, fix });

/**
 * Runs a check with a deadline: a check that has not answered by then is a failure that says
 * so (its signal aborts what it was waiting on). A check that throws is a failure with the
 * error's message: doctor itself never ends in a stack trace.
 */
export async function bounded(
  name: string,
  check: Check,
  ctx: Omit<CheckContext, 'signal'>,
  timeoutMs: number,
  fix: string,
): Promise<CheckOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ lines: [fail(name, `no answer within ${timeoutMs / 1000} s`, fix)] });
    }, timeoutMs);
  });
  const run = check({ ...ctx, signal: controller.signal }).catch((err: unknown): CheckOutcome => ({
    lines: [fail(name, err instanceof Error ? err.message : String(err), fix)],
  }));
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `0755`: a mode as chmod takes it. */
export const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;
