import type { EventType } from './events.js';

/** What one event means, and the fields of its `data` (as recorded, served by the API and sent to webhooks). */
export interface EventDoc {
  /** When the engine emits it. */
  when: string;
  /** What `resource` holds, when the event is about one resource. */
  resource?: string;
  /** `data` fields: name → what it holds. Fields marked "(optional)" may be absent. */
  data: Record<string, string>;
}

/**
 * Every event with its payload. Typed as a full record so the compiler refuses a new event
 * without its description; docs/reference/events.md is generated from it. The emitters are
 * kinds/app/execute.ts (deploy.*), runtime/reconciler.ts (sync.failed, drift.detected),
 * runtime/scheduler/ (job.*) and runtime/monitors/alert-event.ts (monitor.*): a field added
 * there belongs here too.
 */
export const EVENT_CATALOG: Record<EventType, EventDoc> = {
  'monitor.down': {
    when: 'A monitor has failed `failureThreshold` checks in a row; again every `reminderInterval` while it stays down.',
    resource: 'Monitor/<name>',
    data: {
      monitor: 'The monitor name.',
      since: 'When it went down (RFC 3339).',
      kind: '`change` (it just went down), `reminder` (still down) or `released` (held back by maintenance or a dependency, sent now).',
      failing: 'The failing conditions with their resolved values, e.g. `[STATUS] (503) == 200`.',
      error: '(optional) The probe error, e.g. a refused connection.',
      suppressed:
        '(optional) `maintenance` or `dependency`: the event is recorded but not delivered (a maintenance window, or a monitor in dependsOn is down).',
    },
  },
  'monitor.up': {
    when: 'A monitor that was down has passed `successThreshold` checks in a row.',
    resource: 'Monitor/<name>',
    data: {
      monitor: 'The monitor name.',
      since: 'When the outage began (RFC 3339).',
      kind: 'Always `change`.',
      failing: 'Empty.',
      suppressed: '(optional) As for monitor.down.',
    },
  },
  'job.failed': {
    when: 'A job run failed after its retries: a non-zero exit, a timeout, an unexpected HTTP status, or a runner error.',
    resource: 'Job/<name>',
    data: {
      occurrence: 'The run id (a number), as in the API.',
      scheduledAt: 'The time the run was scheduled for (RFC 3339).',
      attempt: 'The attempt that failed last (1 is the first).',
      exitCode: 'The exit code, or null when there is none (HTTP runner, timeout).',
      outputTail: 'The last 4 KiB of the output.',
    },
  },
  'job.recovered': {
    when: 'A job that failed last time succeeded.',
    resource: 'Job/<name>',
    data: {
      occurrence: 'The run id.',
      scheduledAt: 'The time the run was scheduled for (RFC 3339).',
      attempt: 'The attempt that succeeded.',
      exitCode: 'The exit code (0), or null.',
    },
  },
  'job.missed': {
    when: 'At start, for each job whose scheduled runs passed while no engine was scheduling.',
    resource: 'Job/<name>',
    data: {
      missed: 'How many runs were missed.',
      estimated: 'true when the count is an estimate (a very frequent schedule over a long gap).',
      since: 'The last run, or when the job was applied (RFC 3339).',
    },
  },
  'deploy.succeeded': {
    when: 'An app was created, updated or replaced, and its new containers are healthy.',
    resource: 'App/<name>',
    data: {
      deployment: 'The deployment id (a number), as in the API.',
      revision: 'The source revision deployed (commit SHA or content hash).',
      image: 'The image reference.',
      digest: "The image's content digest.",
      containers: 'Names of the containers now running.',
    },
  },
  'deploy.failed': {
    when: 'A deploy of an app failed: pull, build, preDeploy hook, start or health check.',
    resource: 'App/<name>',
    data: {
      deployment: 'The deployment id.',
      revision: 'The source revision that failed.',
      error: 'Why it failed.',
      logTail: "The last lines of the failing container's log.",
      rolledBack: 'true when the previous version was restored.',
    },
  },
  'sync.failed': {
    when: 'A revision could not be applied: the source cannot be read, the revision is invalid (the last good one keeps running), or a change failed during apply.',
    data: {
      revision: '(optional) The source revision; absent when the source could not be read.',
      diagnostics: '(optional) For an invalid revision: up to 20 errors, each `{file, line, column, message}`.',
      applyId: '(optional) For a failed apply: the apply id, as in the API.',
    },
  },
  'drift.detected': {
    when: 'The running state no longer matches the applied revision (a container stopped, removed or changed by hand).',
    data: {
      revision: 'The applied revision.',
      resources: 'The drifted resources, as `Kind/name`.',
    },
  },
  'engine.degraded': {
    when: 'The engine works with less than it promises: the store does not answer (monitors are still checked, heartbeats and events wait in memory, jobs wait), Docker does not answer (app changes wait), or the lease was lost without another instance leading. Also when a problem has lasted 5 minutes (`status: failing`). Recorded when the store can record it; see docs/reliability.md.',
    data: {
      status: '`degraded` or `failing`.',
      reasons: 'One line per problem, `part: why` (part: `store`, `docker`, `lease`).',
      since: 'When the engine left `ok` (RFC 3339).',
      instance: 'The instance (host and pid).',
    },
  },
  'engine.recovered': {
    when: 'Every problem behind an engine.degraded has cleared.',
    data: {
      reasons: 'The problems that cleared.',
      since: 'When the engine had left `ok` (RFC 3339).',
      instance: 'The instance (host and pid).',
    },
  },
};
