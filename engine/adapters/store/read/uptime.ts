import type { UptimeRecord } from '../../../ports/read-model.js';
import type { SqlDriver } from '../sql-driver.js';

/**
 * Bucket names in `heartbeat_rollups.bucket`. The monitor runtime writes them; this is the
 * contract between its rollup job and this reader.
 */
export const ROLLUP_BUCKETS = { hour: 'hour', day: 'day' } as const;

// Uptime and latency over [since, until) for a batch of monitors, in one statement:
//   1. the whole UTC days inside the window, from daily rollups;
//   2. the whole hours inside the window before the first and after the last of those days,
//      from hourly rollups;
//   3. raw heartbeats after the newest rollup a monitor has (the hour not yet rolled up), or
//      from the window's start for a monitor without rollups.
// So a 30-day window reads ~30 day rows + ~24 hour rows + the last hour's raw rows per monitor,
// not 43,200 raw rows. This relies on the rollup job's contract: a day is rolled up once its
// hours are. Percentiles over rollups are weighted by checks: the value below which the given
// share of checks' bucket percentiles lie — exact over raw rows, a close bound across buckets.
export const UPTIME_SQL = `
with
rolled as (
  select monitor, bucket_start + interval '1 day' as bucket_end, checks, successes,
         latency_p50 as p50, latency_p95 as p95, latency_p99 as p99
  from heartbeat_rollups
  where monitor = any($1::text[]) and bucket = '${ROLLUP_BUCKETS.day}' and bucket_start >= $4 and bucket_start < $5
  union all
  select monitor, bucket_start + interval '1 hour', checks, successes, latency_p50, latency_p95, latency_p99
  from heartbeat_rollups
  where monitor = any($1::text[]) and bucket = '${ROLLUP_BUCKETS.hour}'
    and ((bucket_start >= $2 and bucket_start < $4) or (bucket_start >= $5 and bucket_start + interval '1 hour' <= $3))
),
raw_from as materialized (
  select m.monitor, greatest($2::timestamptz, max(r.bucket_end)) as t
  from unnest($1::text[]) as m(monitor) left join rolled r on r.monitor = m.monitor
  group by m.monitor
),
-- One index range scan per monitor on (monitor, at); \`offset 0\` keeps the planner from
-- flattening it into a hash join over the whole heartbeats table.
raw as (
  select f.monitor, h.ok, h.latency_ms
  from raw_from f
  cross join lateral (
    select ok, latency_ms from heartbeats h where h.monitor = f.monitor and h.at >= f.t and h.at < $3 offset 0
  ) h
),
points as (
  select monitor, checks as w, successes as s, p50, p95, p99 from rolled
  union all
  select monitor, 1, case when ok then 1 else 0 end, latency_ms, latency_ms, latency_ms from raw
),
-- Running weight in each percentile's order, and the total: three sorts in one pass, then
-- one grouping picks, per monitor, the first value whose running weight reaches its share.
ranked as (
  select monitor, w, s, p50, p95, p99,
         sum(w) over (partition by monitor) as tw,
         sum(w) over (partition by monitor order by p50 rows unbounded preceding) as c50,
         sum(w) over (partition by monitor order by p95 rows unbounded preceding) as c95,
         sum(w) over (partition by monitor order by p99 rows unbounded preceding) as c99
  from points
)
select monitor, sum(w)::bigint as checks, sum(s)::bigint as successes,
       min(p50) filter (where c50 >= 0.50 * tw) as p50,
       min(p95) filter (where c95 >= 0.95 * tw) as p95,
       min(p99) filter (where c99 >= 0.99 * tw) as p99
from ranked group by monitor
`;

const DAY = 24 * 3600_000;

interface Row {
  monitor: string;
  checks: string | number;
  successes: string | number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Uptime of many monitors over one window in one statement; a monitor without checks is absent. */
export async function uptimeOf(
  db: SqlDriver,
  monitors: readonly string[],
  window: { since: Date; until: Date },
): Promise<UptimeRecord[]> {
  if (monitors.length === 0) return [];
  // The whole UTC days inside the window; none when it holds no whole day.
  let dayLo = Math.ceil(window.since.getTime() / DAY) * DAY;
  let dayHi = Math.floor(window.until.getTime() / DAY) * DAY;
  if (dayLo >= dayHi) dayLo = dayHi = window.since.getTime();
  const rows = await db.query<Row>(UPTIME_SQL, [[...monitors], window.since, window.until, new Date(dayLo), new Date(dayHi)]);
  return rows.map((r) => ({
    monitor: r.monitor,
    checks: Number(r.checks),
    successes: Number(r.successes),
    latencyP50: r.p50 === null ? null : Number(r.p50),
    latencyP95: r.p95 === null ? null : Number(r.p95),
    latencyP99: r.p99 === null ? null : Number(r.p99),
  }));
}
