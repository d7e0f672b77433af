import type { ConditionContext, PlaceholderName } from '../conditions/index.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';

/** What a probe may use for one attempt. */
export interface ProbeContext {
  monitor: string;
  /** Aborts when the attempt's timeout passes or the runtime stops. */
  signal: AbortSignal;
  timeoutMs: number;
  /** The placeholders the monitor's conditions read: a probe fetches nothing else (no body nobody checks). */
  needs: ReadonlySet<PlaceholderName>;
  now(): Date;
  /** Docker, for `docker` probes and for `http` probes that target an app; absent without a runtime. */
  runtime?: ContainerRuntime;
  /** Push probes: the last push received, and since when the monitor has been watched. */
  lastPushAt?: Date;
  watchedSince: Date;
}

/** What one attempt saw. */
export interface ProbeOutcome {
  /** Values for the conditions (absent ones resolve to Gatus's zero values). */
  values: ConditionContext;
  /** The probe's own verdict, used when the monitor has no conditions (FORMAT.md's defaults). */
  passed: boolean;
  /**
   * A failure no condition can overrule: an unreachable ping host, an invalid TLS chain on a
   * tls probe, secrets that are not loaded. Everything else is judged by the conditions, Gatus-style.
   */
  fatal?: boolean;
  /** What the probe saw in a few words (`200`, `NOERROR`, `running (healthy)`), for history. */
  status?: string;
  /** Why it failed, in words a person understands; never contains a secret. */
  error?: string;
}

/** One kind of probe; `spec` is the monitor's probe block with secret values revealed. */
export type Probe<S = Record<string, unknown>> = (spec: S, ctx: ProbeContext) => Promise<ProbeOutcome>;

/** A short reason for a network error: the code Node gives (ECONNREFUSED) with its message. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'AbortError' || err.name === 'TimeoutError') return 'timed out';
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

export const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
