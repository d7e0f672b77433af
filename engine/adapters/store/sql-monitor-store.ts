import type {
  DeliveryPatch,
  DeliveryRecord,
  Heartbeat,
  HeartbeatRecord,
  HeartbeatRollup,
  MonitorStateRecord,
  MonitorStore,
  NewDelivery,
  RollupBucket,
  Uptime,
} from '../../ports/monitor-store.js';
import type { SqlDriver } from './sql-driver.js';
import {
  type DeliveryRow,
  type HeartbeatRow,
  type MonitorStateRow,
  type RollupRow,
  toDelivery,
  toHeartbeat,
  toMonitorState,
  toRollup,
} from './sql-monitor-rows.js';
import { json } from './sql-rows.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BUCKET_MS: Record<RollupBucket, number> = { hour: HOUR, day: DAY };
/** Buckets are UTC hours and days, so they are epoch-aligned multiples of their length. */
const floorTo = (d: Date, bucket: RollupBucket) => new Date(Math.floor(d.getTime() / BUCKET_MS[bucket]) * BUCKET_MS[bucket]);
const limitOf = (limit: number | undefined, dflt: number) => Math.max(1, Math.min(limit ?? dflt, 100_000));
const ratio = (successes: unknown, checks: unknown): number | null =>
  checks === null || Number(checks) === 0 ? null : Number(successes) / Number(checks);

/** The MonitorStore over SQL, shared by PostgreSQL and PGlite (SqlStore extends it). */
export class SqlMonitorStore implements MonitorStore {
  readonly #db: SqlDriver;

  constructor(db: SqlDriver) {
    this.#db = db;
  }

  async recordHeartbeats(beats: readonly Heartbeat[]): Promise<void> {
    if (beats.length === 0) return;
    // One multi-row insert per batch: a round trip per heartbeat would cap the checks per second.
    const cols = 7;
    const values: string[] = [];
    const params: unknown[] = [];
    beats.forEach((b, i) => {
      const o = i * cols;
      values.push(`($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}::text::jsonb, $${o + 7})`);
      params.push(b.monitor, b.at, b.ok, b.latencyMs ?? null, b.status ?? null, json(b.conditions), b.error ?? null);
    });
    await this.#db.query(
      `insert into heartbeats (monitor, at, ok, latency_ms, status, conditions, error) values ${values.join(', ')}`,
      params,
    );
  }

  async listHeartbeats(monitor: string, opts?: { limit?: number; since?: Date }): Promise<HeartbeatRecord[]> {
    const rows = await this.#db.query<HeartbeatRow>(
      `select * from heartbeats where monitor = $1 and ($2::timestamptz is null or at >= $2::timestamptz)
       order by at desc, id desc limit $3`,
      [monitor, opts?.since ?? null, limitOf(opts?.limit, 100)],
    );
    return rows.map(toHeartbeat);
  }

  async rollUpHeartbeats(bucket: RollupBucket, from: Date, to: Date): Promise<number> {
    const start = floorTo(from, bucket);
    const end = floorTo(to, bucket);
    if (end <= start) return 0;
    const rows = await this.#db.query(
      `insert into heartbeat_rollups (monitor, bucket, bucket_start, checks, successes, latency_p50, latency_p95, latency_p99)
       select monitor, $1, date_trunc($1, at, 'UTC'), count(*), count(*) filter (where ok),
              percentile_cont(0.5) within group (order by latency_ms),
              percentile_cont(0.95) within group (order by latency_ms),
              percentile_cont(0.99) within group (order by latency_ms)
       from heartbeats where at >= $2 and at < $3
       group by monitor, date_trunc($1, at, 'UTC')
       on conflict (monitor, bucket, bucket_start) do update set checks = excluded.checks,
         successes = excluded.successes, latency_p50 = excluded.latency_p50,
         latency_p95 = excluded.latency_p95, latency_p99 = excluded.latency_p99
       returning 1 as one`,
      [bucket, start, end],
    );
    return rows.length;
  }

  async listRollups(monitor: string, bucket: RollupBucket, opts?: { since?: Date; limit?: number }): Promise<HeartbeatRollup[]> {
    const rows = await this.#db.query<RollupRow>(
      `select * from heartbeat_rollups where monitor = $1 and bucket = $2
         and ($3::timestamptz is null or bucket_start >= $3::timestamptz)
       order by bucket_start desc limit $4`,
      [monitor, bucket, opts?.since ?? null, limitOf(opts?.limit, 1000)],
    );
    return rows.map(toRollup);
  }

  async pruneHeartbeats(opts: { rawBefore: Date; rollupsBefore: Date }): Promise<{ heartbeats: number; rollups: number }> {
    const raw = await this.#db.query('delete from heartbeats where at < $1 returning 1 as one', [opts.rawBefore]);
    const rolled = await this.#db.query('delete from heartbeat_rollups where bucket_start < $1 returning 1 as one', [
      opts.rollupsBefore,
    ]);
    return { heartbeats: raw.length, rollups: rolled.length };
  }

  async uptime(monitor: string, now: Date, rolledUntil: Date): Promise<Uptime> {
    const ago = (ms: number) => new Date(now.getTime() - ms);
    // Hourly rollups cover what is rolled up (at most 8,760 rows a year, read by primary key);
    // the raw rows of the hours not yet rolled up complete the picture.
    const [row] = await this.#db.query<Record<string, unknown>>(
      `with beats as (
         select bucket_start as t, checks, successes from heartbeat_rollups
          where monitor = $1 and bucket = 'hour' and bucket_start >= $4 and bucket_start < $5
         union all
         select at, 1, case when ok then 1 else 0 end from heartbeats
          where monitor = $1 and at >= greatest($5::timestamptz, $4::timestamptz) and at <= $6
       )
       select sum(checks) filter (where t >= $2) as c24, sum(successes) filter (where t >= $2) as s24,
              sum(checks) filter (where t >= $3) as c30, sum(successes) filter (where t >= $3) as s30,
              sum(checks) as c365, sum(successes) as s365
       from beats`,
      [monitor, ago(DAY), ago(30 * DAY), ago(365 * DAY), rolledUntil, now],
    );
    return {
      '24h': ratio(row?.s24 ?? null, row?.c24 ?? null),
      '30d': ratio(row?.s30 ?? null, row?.c30 ?? null),
      '365d': ratio(row?.s365 ?? null, row?.c365 ?? null),
    };
  }

  async listMonitorStates(): Promise<MonitorStateRecord[]> {
    const rows = await this.#db.query<MonitorStateRow>('select * from monitor_state order by monitor');
    return rows.map(toMonitorState);
  }

  async putMonitorState(s: MonitorStateRecord): Promise<void> {
    await this.#db.query(
      `insert into monitor_state (monitor, state, since, consecutive_failures, consecutive_successes, last_result,
         last_notified_at, last_push_at, updated_at)
       values ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, now())
       on conflict (monitor) do update set state = excluded.state, since = excluded.since,
         consecutive_failures = excluded.consecutive_failures, consecutive_successes = excluded.consecutive_successes,
         last_result = excluded.last_result, last_notified_at = excluded.last_notified_at,
         last_push_at = greatest(monitor_state.last_push_at, excluded.last_push_at), updated_at = now()`,
      [
        s.monitor,
        s.state,
        s.since,
        s.consecutiveFailures,
        s.consecutiveSuccesses,
        json(s.lastResult),
        s.lastNotifiedAt ?? null,
        s.lastPushAt ?? null,
      ],
    );
  }

  async recordPush(monitor: string, at: Date): Promise<void> {
    await this.#db.query(
      `insert into monitor_state (monitor, state, since, last_push_at) values ($1, 'unknown', $2, $2)
       on conflict (monitor) do update set last_push_at = greatest(monitor_state.last_push_at, excluded.last_push_at)`,
      [monitor, at],
    );
  }

  async deleteMonitorState(monitor: string): Promise<void> {
    await this.#db.query('delete from monitor_state where monitor = $1', [monitor]);
  }

  async startDelivery(d: NewDelivery): Promise<DeliveryRecord> {
    const [row] = await this.#db.query<DeliveryRow>(
      `insert into deliveries (notification, event_id, status, attempts, at) values ($1, $2, 'pending', 0, $3)
       on conflict (notification, event_id) do update set notification = excluded.notification
       returning *`,
      [d.notification, d.eventId, d.at],
    );
    return toDelivery(row);
  }

  async updateDelivery(id: number, p: DeliveryPatch): Promise<void> {
    await this.#db.query(
      `update deliveries set status = $2, attempts = $3, error = $4, next_attempt_at = $5, delivered_at = $6 where id = $1`,
      [id, p.status, p.attempts, p.error ?? null, p.nextAttemptAt ?? null, p.deliveredAt ?? null],
    );
  }

  async listDeliveries(opts?: { notification?: string; eventId?: number; limit?: number }): Promise<DeliveryRecord[]> {
    const rows = await this.#db.query<DeliveryRow>(
      `select * from deliveries where ($1::text is null or notification = $1::text)
         and ($2::bigint is null or event_id = $2::bigint) order by id desc limit $3`,
      [opts?.notification ?? null, opts?.eventId ?? null, limitOf(opts?.limit, 100)],
    );
    return rows.map(toDelivery);
  }

  async unfinishedDeliveries(limit?: number): Promise<DeliveryRecord[]> {
    const rows = await this.#db.query<DeliveryRow>(
      `select * from deliveries where status in ('pending', 'retrying') and event_id is not null order by id limit $1`,
      [limitOf(limit, 1000)],
    );
    return rows.map(toDelivery);
  }
}
