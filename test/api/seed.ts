import type { SqlDriver } from '../../engine/adapters/store/sql-driver.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Generated runtime history, written with SQL as the runtimes will write it: for each monitor
 * `days` of daily rollups, the last day's hourly rollups and the last hour's raw heartbeats at
 * a 60 s interval; a state row; deployments, job occurrences and deliveries.
 * Figures are deterministic so tests can assert them.
 */
export async function seedMonitors(db: SqlDriver, names: string[], now: Date, days = 30): Promise<void> {
  const n = now.getTime();
  const today = Math.floor(n / DAY) * DAY;
  const hourNow = Math.floor(n / HOUR) * HOUR;
  const arr = [names];
  // Daily buckets for whole days before today: 1,440 checks, 1,438 successes each.
  await db.query(
    `insert into heartbeat_rollups (monitor, bucket, bucket_start, checks, successes, latency_p50, latency_p95, latency_p99)
     select m, 'day', d, 1440, 1438, 20, 80, 120
     from unnest($1::text[]) m, generate_series($2::timestamptz, $3::timestamptz, interval '1 day') d`,
    [...arr, new Date(today - days * DAY), new Date(today - DAY)],
  );
  // Hourly buckets for today's whole hours (and the last 24 h): 60 checks, 59 successes.
  await db.query(
    `insert into heartbeat_rollups (monitor, bucket, bucket_start, checks, successes, latency_p50, latency_p95, latency_p99)
     select m, 'hour', h, 60, 59, 25, 90, 130
     from unnest($1::text[]) m, generate_series($2::timestamptz, $3::timestamptz, interval '1 hour') h`,
    [...arr, new Date(hourNow - 48 * HOUR), new Date(hourNow - HOUR)],
  );
  // Raw heartbeats in the current hour, one a minute; every tenth fails.
  await db.query(
    `insert into heartbeats (monitor, at, ok, latency_ms, status)
     select m, t, (extract(minute from t)::int % 10) <> 0, 30, 'ok'
     from unnest($1::text[]) m, generate_series($2::timestamptz, $3::timestamptz, interval '1 minute') t`,
    [...arr, new Date(hourNow), new Date(n - 1000)],
  );
  await db.query(
    `insert into monitor_state (monitor, state, since, consecutive_failures, consecutive_successes, last_result)
     select m, case when m = 'db' then 'down' else 'up' end, $2, 0, 5, '{"latencyMs": 31}'::jsonb from unnest($1::text[]) m
     on conflict (monitor) do nothing`,
    [...arr, new Date(n - 2 * HOUR)],
  );
}

/** Deployments, executions (with output), missed slots and deliveries for the fixture's resources. */
export async function seedRuntime(db: SqlDriver, now: Date): Promise<void> {
  const t = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
  await db.query(
    `insert into deployments (app, spec_hash, strategy, status, started_at, finished_at, error, log_tail)
     values ('web', 'sha256:a', 'start-first', 'succeeded', $1, $2, null, 'line 1\nline 2\n'),
            ('web', 'sha256:b', 'start-first', 'failed', $3, $4, 'health check failed', 'boot\nerror: port in use\n')`,
    [t(60), t(59), t(30), t(29)],
  );
  await db.query(
    `insert into occurrences (job, scheduled_at, status, reason, trigger, attempt, started_at, finished_at, exit_code, output)
     values ('backup', $1, 'succeeded', null, 'schedule', 1, $2, $3, 0, 'dumping\ndone\n'),
            ('backup', $4, 'failed', null, 'schedule', 2, $5, $6, 3, 'dumping\nerror: disk full\n'),
            ('backup', $7, 'missed', 'missed while down', 'schedule', 1, null, null, null, null)`,
    [t(300), t(299.9), t(299), t(120), t(119.95), t(119), t(60)],
  );
  const [ev] = await db.query<{ id: number }>(
    `insert into events (type, resource, message, at) values ('monitor.down', 'Monitor/db', 'db is down: [CONNECTED] (false) == true', $1) returning id`,
    [t(120)],
  );
  await db.query(
    `insert into deliveries (notification, event_id, status, attempts, error, at, delivered_at)
     values ('ops', $1, 'delivered', 1, null, $2, $2), ('chat', $1, 'failed', 3, 'HTTP 500 from slack', $2, null)`,
    [ev.id, t(119)],
  );
}
