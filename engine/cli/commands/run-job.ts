import { hmacDigest } from '../../kinds/digest.js';
import { recordedEvents } from '../../runtime/recorded-events.js';
import { JobRuns } from '../../runtime/scheduler/job-runs.js';
import type { RunnableJob } from '../../runtime/scheduler/run-request.js';
import { runnableJob } from '../../runtime/scheduler/runnable-job.js';
import { WorkerPool } from '../../runtime/scheduler/worker-pool.js';
import { hasErrors } from '../../model/diagnostic.js';
import type { CliDeps } from '../deps.js';
import { CliError, printDiagnostics } from '../output.js';
import { type CommonFlags, configFrom, desiredFrom } from '../prepare.js';

/**
 * `ploy run job NAME`: runs an applied job now, in this process, through the same path as a
 * scheduled run (its concurrency policy against runs recorded in the store, timeout, retries,
 * `then`), records it as a manual occurrence and prints its output. Exit 0 when it succeeded.
 *
 * The job is the applied one, not the source's: a manual run must not run something nobody
 * applied. Secret values come from the source, and only when they match what was applied.
 */
export async function runJobCommand(deps: CliDeps, name: string, flags: CommonFlags): Promise<number> {
  const { config, diagnostics } = configFrom(deps, flags);
  if (!config) {
    printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
    return 1;
  }
  const store = await deps.openStore(config);
  try {
    const applied = (await store.listApplied()).filter((a) => a.kind === 'Job');
    const target = applied.find((a) => a.name === name);
    if (!target) {
      const known = applied.map((a) => a.name).join(', ') || 'none';
      throw new CliError(`No applied job is named "${name}" (applied jobs: ${known}). Apply it first: ploy apply.`);
    }
    const desired = await desiredFrom(deps, config).catch(() => undefined);
    const desiredJobs = new Map(
      desired && !hasErrors(desired.diagnostics)
        ? desired.resources.filter((r) => r.kind === 'Job').map((r) => [r.name, r.spec] as const)
        : [],
    );
    const digest = hmacDigest(await store.secretKey());
    const jobs = new Map<string, RunnableJob>();
    for (const a of applied) {
      const j = runnableJob(a, desiredJobs.get(a.name), digest);
      if (!('error' in j)) jobs.set(a.name, j);
    }
    const job = jobs.get(name);
    if (!job) throw new CliError(`Job "${name}" cannot be run: its applied spec is not readable by this version.`);
    const runs = new JobRuns({
      store,
      events: recordedEvents(store, deps.clock),
      clock: deps.clock,
      pool: new WorkerPool(4),
      runners: { containers: deps.containers ? await deps.containers(config) : undefined },
      // Outside the scheduler: no leader epoch to fence with.
      epoch: () => null,
      job: (n) => jobs.get(n),
    });
    const dispatched = await runs.dispatch({ job, scheduledAt: deps.clock.now(), trigger: 'manual' });
    if ('refused' in dispatched) throw new CliError(`The run was refused (${dispatched.refused}); try again.`);
    const done = await dispatched.done;
    // Chained runs (`then`) are part of this run: wait for them before the store closes.
    await runs.idle();
    if (done.output) deps.stdout.write(done.output.endsWith('\n') ? done.output : `${done.output}\n`);
    const took = done.finishedAt && done.startedAt ? ` in ${done.finishedAt.getTime() - done.startedAt.getTime()} ms` : '';
    const code = done.exitCode === null ? '' : `, exit code ${done.exitCode}`;
    const tries = done.attempt > 1 ? `, attempt ${done.attempt}` : '';
    const line = `Job ${name} ${done.status}${took}${code}${tries}${done.reason ? `: ${done.reason}` : ''}`;
    (done.status === 'succeeded' ? deps.stdout : deps.stderr).write(`${line}\n`);
    return done.status === 'succeeded' ? 0 : 1;
  } finally {
    await store.close();
  }
}
