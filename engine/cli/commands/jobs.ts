import { Slots } from '../../kinds/job/slots.js';
import { localTime } from '../../plan/next-runs.js';
import type { OccurrenceRecord } from '../../ports/job-store.js';
import { toJobDefinition } from '../../runtime/scheduler/job-definition.js';
import type { CliDeps } from '../deps.js';
import { printDiagnostics } from '../output.js';
import { type CommonFlags, configFrom } from '../prepare.js';

export interface JobsFlags extends CommonFlags {
  format: 'text' | 'json';
}

/** One row of `ploy jobs`. */
export interface JobSummary {
  name: string;
  schedule: string;
  timezone: string;
  suspended: boolean;
  /** RFC 3339, UTC. */
  nextRuns: string[];
  last?: { status: string; scheduledAt: string; trigger: string; exitCode: number | null; reason: string | null };
}

/** `ploy jobs`: each applied job with its next runs (in its timezone) and its last result. */
export async function jobsCommand(deps: CliDeps, flags: JobsFlags): Promise<number> {
  const { config, diagnostics } = configFrom(deps, flags);
  if (!config) {
    printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
    return 1;
  }
  const store = await deps.openStore(config);
  const rows: JobSummary[] = [];
  try {
    const now = deps.clock.now();
    for (const a of (await store.listApplied()).filter((r) => r.kind === 'Job')) {
      const def = toJobDefinition(a.name, a.spec as Record<string, unknown>, a.specHash, a.appliedAt);
      if ('error' in def) continue;
      // The newest row that is not a skip says how the job is doing; skips are listed by `history`.
      const recent = await store.listOccurrences({ job: a.name, limit: 20 });
      const last: OccurrenceRecord | undefined = recent.find((r) => r.status !== 'skipped') ?? recent[0];
      rows.push({
        name: a.name,
        schedule: def.scheduleText,
        timezone: def.timezone,
        suspended: def.suspend,
        nextRuns: def.suspend ? [] : new Slots(def.schedule, def.timezone).upcoming(now, 3).map((d) => d.toISOString()),
        last: last && {
          status: last.status,
          scheduledAt: last.scheduledAt.toISOString(),
          trigger: last.trigger,
          exitCode: last.exitCode,
          reason: last.reason,
        },
      });
    }
  } finally {
    await store.close();
  }
  if (flags.format === 'json') {
    deps.stdout.write(`${JSON.stringify({ jobs: rows }, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    deps.stdout.write('No jobs are applied.\n');
    return 0;
  }
  for (const r of rows) {
    deps.stdout.write(`${r.name}  ${r.schedule} (${r.timezone})${r.suspended ? '  suspended' : ''}\n`);
    if (r.nextRuns.length) deps.stdout.write(`  next: ${r.nextRuns.map((t) => localTime(t, r.timezone)).join(', ')}\n`);
    const l = r.last;
    if (l) {
      const code = l.exitCode === null ? '' : ` (exit ${l.exitCode})`;
      deps.stdout.write(
        `  last: ${l.status}${code} for ${localTime(l.scheduledAt, r.timezone)} [${l.trigger}]${l.reason ? `: ${l.reason}` : ''}\n`,
      );
    } else {
      deps.stdout.write('  last: never ran\n');
    }
  }
  return 0;
}
