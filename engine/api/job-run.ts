import type { Dispatched } from '../runtime/scheduler/run-request.js';

/** What `POST /jobs/<name>/run` answers: an HTTP status and a JSON body. */
export interface JobRunAnswer {
  status: 202 | 404 | 409;
  body: Record<string, unknown>;
}

export interface JobRunDeps {
  /** Whether this instance leads: only the leader runs jobs, so policies see every run. */
  role(): 'leader' | 'follower';
  /** A manual run through the scheduler's policies (Scheduler.runNow). */
  runNow(name: string): Promise<Dispatched | { unknown: string }>;
}

/**
 * A manual run asked for over HTTP (the caller is already authenticated). It is claimed and
 * started through the same path as scheduled runs (concurrency, timeout, retries, `then`), and
 * answered as soon as it is claimed: 202 with the occurrence, whose final status is read from
 * the API or `ploy jobs`. A follower refuses (409), since its runs would escape the leader's
 * concurrency policy.
 */
export async function requestJobRun(name: string, deps: JobRunDeps): Promise<JobRunAnswer> {
  if (deps.role() !== 'leader') {
    return { status: 409, body: { error: 'this instance follows another; send the request to the leader' } };
  }
  const d = await deps.runNow(name);
  if ('unknown' in d) return { status: 404, body: { error: `no applied job named ${name}` } };
  if ('refused' in d) {
    const why = d.refused === 'stale-epoch' ? 'this instance stopped leading' : 'the slot was taken; try again';
    return { status: 409, body: { error: `the run was refused: ${why}` } };
  }
  const o = d.occurrence;
  return {
    status: 202,
    body: { job: o.job, occurrence: o.id, scheduledAt: o.scheduledAt.toISOString(), trigger: o.trigger, status: o.status },
  };
}
