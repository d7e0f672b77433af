import type { RunnerSpec } from '../../executors/index.js';
import { parseSchedule, type Schedule } from '../../kinds/schedule.js';
import { parseDuration } from '../../model/units.js';

/** What the engine does when a run is due while the previous one still runs. */
export type ConcurrencyPolicy = 'forbid' | 'allow' | 'replace';

/** One Job as the scheduler uses it: the applied (defaulted) spec, parsed once. */
export interface JobDefinition {
  name: string;
  /** The applied spec's hash: a change of it re-registers the job. */
  specHash: string;
  appliedAt: Date;
  scheduleText: string;
  schedule: Schedule;
  timezone: string;
  runner: RunnerSpec;
  timeoutMs: number;
  retries: number;
  concurrency: ConcurrencyPolicy;
  then: string[];
  suspend: boolean;
  missed: { policy: 'skip' | 'runOnce'; deadlineMs?: number };
  /** history.keep: occurrences kept per job. */
  keep: number;
}

const HOUR_MS = 3_600_000;

/**
 * Reads an applied Job spec. The spec passed validation when it was applied, so a problem
 * here means the store holds something this version cannot read: a message, not a throw.
 */
export function toJobDefinition(
  name: string,
  spec: Record<string, unknown>,
  specHash: string,
  appliedAt: Date,
): JobDefinition | { error: string } {
  const timezone = typeof spec.timezone === 'string' ? spec.timezone : 'UTC';
  const scheduleText = String(spec.schedule ?? '');
  const parsed = parseSchedule(scheduleText, timezone);
  if ('error' in parsed) return { error: parsed.error };
  const runner = runnerOf(spec);
  if (!runner) return { error: 'the job has no runner (container, shell, http or exec)' };
  const missed = (spec.missed ?? {}) as { policy?: string; deadline?: string };
  const history = (spec.history ?? {}) as { keep?: number };
  return {
    name,
    specHash,
    appliedAt,
    scheduleText,
    schedule: parsed.schedule,
    timezone,
    runner,
    timeoutMs: parseDuration(String(spec.timeout ?? '1h')) ?? HOUR_MS,
    retries: Number(spec.retries ?? 0),
    concurrency: (['allow', 'replace'].includes(spec.concurrency as string) ? spec.concurrency : 'forbid') as ConcurrencyPolicy,
    then: Array.isArray(spec.then) ? spec.then.map(String) : [],
    suspend: spec.suspend === true,
    missed: {
      policy: missed.policy === 'runOnce' ? 'runOnce' : 'skip',
      deadlineMs: missed.deadline ? parseDuration(missed.deadline) : undefined,
    },
    keep: Math.max(1, Number(history.keep ?? 100)),
  };
}

function runnerOf(spec: Record<string, unknown>): RunnerSpec | undefined {
  if (spec.shell) return { type: 'shell', shell: spec.shell as never };
  if (spec.http) return { type: 'http', http: spec.http as never };
  if (spec.container) return { type: 'container', container: spec.container as never };
  if (spec.exec) return { type: 'exec', exec: spec.exec as never };
  return undefined;
}
