import { lastLines } from '../../executors/output-tail.js';
import type { Events } from '../../ports/events.js';
import type { JobStore, OccurrenceRecord, OccurrenceStatus } from '../../ports/job-store.js';

/**
 * Emits job.failed for every failed run and job.recovered for a success after a failure.
 * It keeps the last finished status per job, so job.recovered needs no query per run (runs
 * finished by another process, such as a CLI manual run, are not seen here).
 */
export class JobRunEvents {
  readonly #lastStatus = new Map<string, OccurrenceStatus>();

  constructor(
    private readonly events: Events,
    private readonly store: JobStore,
  ) {}

  /** Announces a recorded run of `job`. */
  async announce(job: string, occ: OccurrenceRecord): Promise<void> {
    const resource = `Job/${job}`;
    const known = this.#lastStatus.get(job);
    if (occ.status === 'succeeded' || occ.status === 'failed') this.#lastStatus.set(job, occ.status);
    const data = { occurrence: occ.id, scheduledAt: occ.scheduledAt.toISOString(), attempt: occ.attempt, exitCode: occ.exitCode };
    if (occ.status === 'failed') {
      await this.events.emit({
        type: 'job.failed',
        resource,
        message: `job ${job} failed: ${occ.reason ?? 'unknown reason'}`,
        // The output's tail tells a channel why (notifiers show its last lines).
        data: { ...data, outputTail: lastLines(occ.output ?? '', 4096) },
      });
    } else if (occ.status === 'succeeded') {
      const before = known ?? (await this.store.lastFinishedRun(job, occ.id))?.status;
      if (before === 'failed') {
        await this.events.emit({ type: 'job.recovered', resource, message: `job ${job} succeeded again`, data });
      }
    }
  }
}
