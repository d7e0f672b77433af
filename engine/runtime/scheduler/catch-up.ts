import type { EngineEvent } from '../../ports/events.js';
import type { RunnableJob, RunRequest } from './run-request.js';
import { Slots } from '../../kinds/job/slots.js';

/** What catching up one job after downtime means: the requests to dispatch, and the count missed. */
export interface CatchUp {
  requests: RunRequest[];
  missed: number;
  /** Whether one of them is run (runOnce within its deadline). */
  runs: boolean;
  /** `missed` is estimated from the spacing of the slots (a long outage of a frequent schedule). */
  estimated?: boolean;
}

/**
 * The slots a job had while no engine scheduled it: after the later of its last scheduled
 * occurrence and its apply, up to `now`. Each becomes a recorded skip (only the newest
 * `history.keep`, since retention would delete older ones at once); with `missed.policy:
 * runOnce` the newest one runs instead, if it is within `missed.deadline`.
 */
export function catchUp(job: RunnableJob, lastScheduled: Date | undefined, now: Date): CatchUp {
  const from = new Date(Math.max(lastScheduled?.getTime() ?? 0, job.appliedAt.getTime()));
  if (from.getTime() >= now.getTime()) return { requests: [], missed: 0, runs: false };
  const { slots, total, estimated } = new Slots(job.schedule, job.timezone).between(from, now, job.keep);
  if (total === 0) return { requests: [], missed: 0, runs: false };
  const newest = slots[slots.length - 1];
  const inDeadline = job.missed.deadlineMs === undefined || now.getTime() - newest.getTime() <= job.missed.deadlineMs;
  const runs = job.missed.policy === 'runOnce' && inDeadline && !job.suspend;
  const why = job.suspend
    ? 'suspended'
    : job.missed.policy === 'runOnce'
      ? inDeadline
        ? 'missed while no engine was scheduling (runOnce ran the newest missed slot)'
        : 'missed while no engine was scheduling (past the runOnce deadline)'
      : 'missed while no engine was scheduling (missed.policy: skip)';
  const requests: RunRequest[] = slots.map((scheduledAt) => ({ job, scheduledAt, trigger: 'schedule', skip: why }));
  if (runs) requests[requests.length - 1] = { job, scheduledAt: newest, trigger: 'missed' };
  return { requests, missed: runs ? total - 1 : total, runs, estimated };
}

/** The job.missed event for a catch-up that found missed slots. */
export function missedEvent(job: RunnableJob, plan: CatchUp, lastScheduled: Date | undefined): EngineEvent {
  const about = plan.estimated ? 'about ' : '';
  const then = plan.runs ? '; the newest runs now (missed.policy: runOnce)' : '';
  return {
    type: 'job.missed',
    resource: `Job/${job.name}`,
    message: `job ${job.name} missed ${about}${plan.missed} run(s) while no engine was scheduling${then}`,
    data: {
      missed: plan.missed,
      estimated: !!plan.estimated,
      since: (lastScheduled ?? job.appliedAt).toISOString(),
    },
  };
}
