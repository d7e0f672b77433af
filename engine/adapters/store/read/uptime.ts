import type { UptimeRecord } from '../../../ports/read-model.js';
import type { SqlDriver } from '../sql-driver.js';

/**
 * Bucket names in `heartbeat_rollups.bucket`. The monitor runtime writes them; this is the
 * contract between its rollup job and this reader.
 */
export const ROLLUP_BUCKETS = { hour: 'hour', day: 'day' } as const;

// Uptime and latency over [since, until) for a batch of monitors, in one statement:
//   1. whole days inside the window, from daily rollups;
//   2. whole hours inside the window outside those days, from hourly rollups;
//   3. raw heartbeats after the newest rollup used (the hour not yet rolled up), or from the
//      window's start for a monitor that has no rollups.
// So a 30-day window reads ~30 day rows + ~24 hour rows + the last hour's raw rows per monitor,
// not 43,200 raw rows. Percentiles over rollups are weighted by checks: the value below which
// 95% of the checks' bucket p95s lie — exact for raw rows, a close bound across buckets.
const SQL = `
with
days as (
  select monitor, bucket_start + interval '1 day' as bucket_end, checks, successes,
         latency_p50 as p50, latency_p95 as p95, latency_p99 as p99
  from heartbeat_rollups
  where bucket = '${ROLLUP_BUCKETS.day}' and monitor = any($1::text[])
    and bucket_start >= $2 and bucket_start + interval '1 day' <= $3
),
day_span as (
  select monitor, min(bucket_end) - interval '1 day' as lo, max(bucket_end) as hi from days group by monitor
),
hours as (
  select r.monitor, r.bucket_start + interval '1 hour' as bucket_end, r.checks, r.successes, r.latency_p50 as p50, r.latency_p95 as p95, r.latency_p99 as p99
  from heartbeat_rollups r left join day_span d on d.monitor = r.monitor
  where r.bucket = '${ROLLUP_BUCKETS.hour}' and r.monitor = any($1::text[])
    and r.bucket_start >= $2 and r.bucket_start + interval '1 hour' <= $3
    and (d.monitor is null or r.bucket_start < d.lo or r.bucket_start >= d.hi)
),
rolled as (select * from days union all select * from hours),
raw_from as (
  select m.monitor, greatest($2::timestamptz, max(r.bucket_end)) as t
  from unnest($1::text[]) as m(monitor) left join rolled r on r.monitor = m.monitor
  group by m.monitor
),
raw as (
  select h.monitor, h.ok, h.latency_ms
  from raw_from f join heartbeats h on h.monitor = f.monitor and h.at >= f.t and h.at < $3
),
points as (
  select monitor, checks as w, successes as s, p50, p95, p99 from rolled
  union all
  select monitor, 1, case when ok then 1 else 0 end, latency_ms, latency_ms, latency_ms from raw
),
totals as (
  select monitor, sum(w)::bigint as checks, sum(s)::bigint as successes,
         sum(w) filter (where p50 is not null) as w50, sum(w) filter (where p95 is not null) as w95,
         sum(w) filter (where p99 is not null) as w99
  from points group by monitor
),
q50 as (
  select distinct on (monitor) monitor, v from (
    select p.monitor, p.p50 as v, sum(p.w) over (partition by p.monitor order by p.p50 rows unbounded preceding) as cw
    from points p where p.p50 is not null) x join totals t using (monitor)
  where cw >= 0.50 * t.w50 order by monitor, cw
),
q95 as (
  select distinct on (monitor) monitor, v from (
    select p.monitor, p.p95 as v, sum(p.w) over (partition by p.monitor order by p.p95 rows unbounded preceding) as cw
    from points p where p.p95 is not null) x join totals t using (monitor)
  where cw >= 0.95 * t.w95 order by monitor, cw
),
q99 as (
  select distinct on (monitor) monitor, v from (
    select p.monitor, p.p99 as v, sum(p.w) over (partition by p.monitor order by p.p99 rows unbounded preceding) as cw
    from points p where p.p99 is not null) x join totals t using (monitor)
  where cw >= 0.99 * t.w99 order by monitor, cw
)
select t.monitor, t.checks, t.successes, q50.v as p50, q95.v as p95, q99.v as p99
from totals t left join q50 using (monitor) left join q95 using (monitor) left join q99 using (monitor)
`;

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
  const rows = await db.query<Row>(SQL, [[...monitors], window.since, window.until]);
  return rows.map((r) => ({
    monitor: r.monitor,
    checks: Number(r.checks),
    successes: Number(r.successes),
    latencyP50: r.p50 === null ? null : Number(r.p50),
    latencyP95: r.p95 === null ? null : Number(r.p95),
    latencyP99: r.p99 === null ? null : Number(r.p99),
  }));
}
