import type {
  DeliveryRecord,
  DeploymentRecord,
  HeartbeatRecord,
  MonitorStateRecord,
  OccurrenceRecord,
  ReadModel,
  RollupRecord,
  RuntimeCounts,
} from '../../../ports/read-model.js';
import type { SqlDriver } from '../sql-driver.js';
import { num, numOrNull, Query } from './query.js';
import { UptimeReader } from './uptime.js';

type Id = string | number | bigint;
type Runtime = Pick<
  ReadModel,
  | 'deployments'
  | 'latestDeployments'
  | 'monitorStates'
  | 'uptime'
  | 'heartbeats'
  | 'rollups'
  | 'occurrences'
  | 'latestExecutions'
  | 'deliveries'
  | 'latestDeliveries'
  | 'counts'
>;

interface DeploymentRow {
  id: Id;
  app: string;
  revision_id: Id | null;
  apply_id: Id | null;
  spec_hash: string;
  strategy: string | null;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
  log_tail: string | null;
}
const toDeployment = (r: DeploymentRow): DeploymentRecord => ({
  id: num(r.id),
  app: r.app,
  revisionId: numOrNull(r.revision_id),
  applyId: numOrNull(r.apply_id),
  specHash: r.spec_hash,
  strategy: r.strategy,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error,
  logTail: r.log_tail,
});

interface RollupRow {
  bucket_start: Date;
  checks: number;
  successes: number;
  latency_p50: number | null;
  latency_p95: number | null;
  latency_p99: number | null;
}
const toRollup = (r: RollupRow): RollupRecord => ({
  start: r.bucket_start,
  checks: Number(r.checks),
  successes: Number(r.successes),
  latencyP50: r.latency_p50 === null ? null : Number(r.latency_p50),
  latencyP95: r.latency_p95 === null ? null : Number(r.latency_p95),
  latencyP99: r.latency_p99 === null ? null : Number(r.latency_p99),
});

interface StateRow {
  monitor: string;
  state: string;
  since: Date;
  consecutive_failures: number;
  consecutive_successes: number;
  last_result: unknown;
  updated_at: Date;
}
const toState = (r: StateRow): MonitorStateRecord => ({
  monitor: r.monitor,
  state: r.state,
  since: r.since,
  consecutiveFailures: r.consecutive_failures,
  consecutiveSuccesses: r.consecutive_successes,
  lastResult: r.last_result,
  updatedAt: r.updated_at,
});

interface HeartbeatRow {
  id: Id;
  monitor: string;
  at: Date;
  ok: boolean;
  latency_ms: number | null;
  status: string | null;
  conditions: unknown;
  error: string | null;
}
const toHeartbeat = (r: HeartbeatRow): HeartbeatRecord => ({
  id: num(r.id),
  monitor: r.monitor,
  at: r.at,
  ok: r.ok,
  latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
  status: r.status,
  conditions: r.conditions,
  error: r.error,
});

interface OccurrenceRow {
  id: Id;
  job: string;
  scheduled_at: Date;
  status: string;
  reason: string | null;
  trigger: string;
  attempt: number;
  started_at: Date | null;
  finished_at: Date | null;
  exit_code: number | null;
  output: string | null;
  triggered_by: string | null;
}
const toOccurrence = (r: OccurrenceRow): OccurrenceRecord => ({
  id: num(r.id),
  job: r.job,
  scheduledAt: r.scheduled_at,
  status: r.status,
  reason: r.reason,
  trigger: r.trigger,
  attempt: r.attempt,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  exitCode: r.exit_code,
  output: r.output,
  triggeredBy: r.triggered_by,
});

interface DeliveryRow {
  id: Id;
  notification: string;
  event_id: Id | null;
  status: string;
  attempts: number;
  error: string | null;
  at: Date;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
}
const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: num(r.id),
  notification: r.notification,
  eventId: numOrNull(r.event_id),
  status: r.status,
  attempts: r.attempts,
  error: r.error,
  at: r.at,
  nextAttemptAt: r.next_attempt_at,
  deliveredAt: r.delivered_at,
});

/** Reads of the tables the runtimes write (deployments, monitors, occurrences, deliveries). */
export function runtimeReads(db: SqlDriver): Runtime {
  const uptime = new UptimeReader(db);
  const rows = async <R, T>(q: { text: string; params: unknown[] }, map: (r: R) => T): Promise<T[]> =>
    (await db.query<R>(q.text, q.params)).map(map);
  // The newest row per key, for a whole page of resources in one statement.
  const latest = async <R, T>(table: string, column: string, keys: readonly string[], map: (r: R) => T, extra = '') =>
    keys.length === 0
      ? []
      : (
          await db.query<R>(
            `select distinct on (${column}) * from ${table} where ${column} = any($1::text[]) ${extra} order by ${column}, id desc`,
            [[...keys]],
          )
        ).map(map);

  return {
    deployments: (q) =>
      rows(
        new Query()
          .whereIf(q.apps, 'app = any($?::text[])')
          .whereIf(q.status, 'status = any($?::text[])')
          .range('started_at', q)
          .page('deployments', q),
        toDeployment,
      ),
    latestDeployments: (apps) => latest('deployments', 'app', apps, toDeployment),
    async monitorStates(monitors) {
      if (monitors.length === 0) return [];
      return (await db.query<StateRow>('select * from monitor_state where monitor = any($1::text[])', [[...monitors]])).map(
        toState,
      );
    },
    uptime: (monitors, window) => uptime.uptime(monitors, window),
    heartbeats: (q) =>
      rows(
        new Query().where('monitor = $?', q.monitor).whereIf(q.ok, 'ok = $?').range('at', q).page('heartbeats', q),
        toHeartbeat,
      ),
    async rollups(q) {
      // Bounded by the range: a year of daily buckets is 365 rows for one monitor.
      const rows = await db.query<RollupRow>(
        `select bucket_start, checks, successes, latency_p50, latency_p95, latency_p99 from heartbeat_rollups
         where monitor = $1 and bucket = $2 and ($3::timestamptz is null or bucket_start >= $3) and ($4::timestamptz is null or bucket_start < $4)
         order by bucket_start`,
        [q.monitor, q.bucket, q.since ?? null, q.until ?? null],
      );
      return rows.map(toRollup);
    },
    occurrences: (q) =>
      rows(
        new Query()
          .where(q.ran ? 'started_at is not null' : 'started_at is null and reason is not null')
          .whereIf(q.jobs, 'job = any($?::text[])')
          .whereIf(q.status, 'status = any($?::text[])')
          .range('scheduled_at', q)
          .page('occurrences', q),
        toOccurrence,
      ),
    latestExecutions: (jobs) => latest('occurrences', 'job', jobs, toOccurrence, 'and started_at is not null'),
    deliveries: (q) =>
      rows(
        new Query()
          .whereIf(q.notifications, 'notification = any($?::text[])')
          .whereIf(q.status, 'status = any($?::text[])')
          .range('at', q)
          .page('deliveries', q),
        toDelivery,
      ),
    latestDeliveries: (names) => latest('deliveries', 'notification', names, toDelivery),
    async counts(): Promise<RuntimeCounts> {
      const [monitors, jobRuns, lag, deliveries, deployments] = await Promise.all([
        db.query<{ monitor: string; state: string; latency: number | null }>(
          `select monitor, state, (last_result->>'latencyMs')::double precision as latency from monitor_state`,
        ),
        db.query<{ job: string; status: string; n: Id }>(
          'select job, status, count(*) as n from occurrences where started_at is not null group by job, status',
        ),
        // Recent executions only: the histogram describes how the scheduler keeps time now.
        db.query<{ lag: number }>(
          `select extract(epoch from started_at - scheduled_at)::double precision as lag from occurrences
           where started_at is not null order by id desc limit 1000`,
        ),
        db.query<{ notification: string; status: string; n: Id }>(
          'select notification, status, count(*) as n from deliveries group by notification, status',
        ),
        db.query<{ app: string; status: string; n: Id }>(
          'select app, status, count(*) as n from deployments group by app, status',
        ),
      ]);
      return {
        monitors: monitors.map((m) => ({
          monitor: m.monitor,
          up: m.state === 'up',
          latencyMs: m.latency === null ? null : Number(m.latency),
        })),
        jobRuns: jobRuns.map((r) => ({ job: r.job, status: r.status, count: num(r.n) })),
        scheduleLagSeconds: lag.map((r) => Number(r.lag)),
        deliveries: deliveries.map((r) => ({ notification: r.notification, status: r.status, count: num(r.n) })),
        deployments: deployments.map((r) => ({ app: r.app, status: r.status, count: num(r.n) })),
      };
    },
  };
}
