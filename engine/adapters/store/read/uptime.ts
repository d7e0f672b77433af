import type { UptimeRecord } from '../../../ports/read-model.js';
import type { SqlDriver } from '../sql-driver.js';

/**
 * Bucket names in `heartbeat_rollups.bucket`. The monitor runtime writes them; this is the
 * contract between its rollup job and this reader.
 */
export const ROLLUP_BUCKETS = { hour: 'hour', day: 'day' } as const;

const HOUR = 3600_000;
const DAY = 24 * HOUR;

// The rolled-up part of a window [since, hourEnd): the whole UTC days inside it from daily
// rollups, and the whole hours before the first and after the last of those days from hourly
// rollups. Relies on the rollup job's contract: a day is rolled up once its hours are.
const ROLLED_SQL = `
select monitor, bucket_start + interval '1 day' as bucket_end, checks, successes,
       latency_p50 as p50, latency_p95 as p95, latency_p99 as p99
from heartbeat_rollups
where monitor = any($1::text[]) and bucket = '${ROLLUP_BUCKETS.day}' and bucket_start >= $4 and bucket_start < $5
union all
select monitor, bucket_start + interval '1 hour', checks, successes, latency_p50, latency_p95, latency_p99
from heartbeat_rollups
where monitor = any($1::text[]) and bucket = '${ROLLUP_BUCKETS.hour}'
  and ((bucket_start >= $2 and bucket_start < $4) or (bucket_start >= $5 and bucket_start + interval '1 hour' <= $3))
`;

// Raw heartbeats after each monitor's newest rollup: one index range scan per monitor on
// (monitor, at), summarised in the database (`offset 0` keeps the planner from flattening the
// scan into a hash join over the whole table).
const RAW_SQL = `
select f.monitor, h.checks, h.successes, h.lat
from unnest($1::text[], $2::text[]) as f(monitor, t)
cross join lateral (
  select count(*)::int as checks, count(*) filter (where ok)::int as successes,
         array_agg(latency_ms order by latency_ms) filter (where latency_ms is not null) as lat
  from (select ok, latency_ms from heartbeats h
        where h.monitor = f.monitor and h.at >= f.t::timestamptz and h.at < $3 offset 0) x
) h
`;

interface Point {
  v: number;
  w: number;
}
/** A monitor's rollups in one window: totals, the newest bucket's end, and points per percentile, sorted. */
interface Rolled {
  checks: number;
  successes: number;
  end: number | undefined;
  p50: Point[];
  p95: Point[];
  p99: Point[];
}
interface RolledRow {
  monitor: string;
  bucket_end: Date;
  checks: number;
  successes: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * The value below which `q` of the weight lies, over rollup points (bucket percentiles weighted
 * by their checks) and raw latencies (weight 1), both sorted: exact over raw rows, a close
 * bound across buckets.
 */
function weightedPercentile(q: number, points: Point[], raw: number[]): number | null {
  const total = points.reduce((s, p) => s + p.w, 0) + raw.length;
  if (total === 0) return null;
  const target = q * total;
  let acc = 0;
  let i = 0;
  let j = 0;
  while (i < points.length || j < raw.length) {
    const takePoint = j >= raw.length || (i < points.length && points[i].v <= raw[j]);
    const v = takePoint ? points[i].v : raw[j];
    acc += takePoint ? points[i++].w : (j++, 1);
    if (acc >= target) return v;
  }
  return null;
}

/**
 * Uptime and latency of many monitors over a window, in two statements per window at most
 * and usually one: rollups of completed buckets never change, so the rolled-up part of each
 * window is kept for the hour it is valid (per monitor), and a request reads only the raw
 * rows after it. A rollup written late (the hour after it ended) is not in the kept part, and
 * does not need to be: its raw rows are still there and are read instead.
 */
export class UptimeReader {
  /** `since|hourEnd` → monitor → its rolled-up part. Only the current hour's keys are kept. */
  readonly #cache = new Map<string, Map<string, Rolled>>();

  constructor(private readonly db: SqlDriver) {}

  async uptime(monitors: readonly string[], window: { since: Date; until: Date }): Promise<UptimeRecord[]> {
    if (monitors.length === 0) return [];
    const since = window.since.getTime();
    const hourEnd = Math.floor(window.until.getTime() / HOUR) * HOUR;
    const rolled = await this.#rolled(monitors, since, hourEnd);
    const from = monitors.map((m) => new Date(Math.max(since, rolled.get(m)?.end ?? since)).toISOString());
    const raw = await this.db.query<{ monitor: string; checks: number; successes: number; lat: number[] | null }>(RAW_SQL, [
      [...monitors],
      from,
      window.until,
    ]);
    const rawOf = new Map(raw.map((r) => [r.monitor, r]));
    const out: UptimeRecord[] = [];
    for (const monitor of monitors) {
      const r = rolled.get(monitor);
      const x = rawOf.get(monitor);
      const lat = (x?.lat ?? []).map(Number);
      const checks = (r?.checks ?? 0) + Number(x?.checks ?? 0);
      if (checks === 0) continue;
      out.push({
        monitor,
        checks,
        successes: (r?.successes ?? 0) + Number(x?.successes ?? 0),
        latencyP50: weightedPercentile(0.5, r?.p50 ?? [], lat),
        latencyP95: weightedPercentile(0.95, r?.p95 ?? [], lat),
        latencyP99: weightedPercentile(0.99, r?.p99 ?? [], lat),
      });
    }
    return out;
  }

  async #rolled(monitors: readonly string[], since: number, hourEnd: number): Promise<Map<string, Rolled>> {
    const key = `${since}|${hourEnd}`;
    for (const k of this.#cache.keys()) if (Number(k.split('|')[1]) < hourEnd) this.#cache.delete(k);
    let kept = this.#cache.get(key);
    if (!kept) this.#cache.set(key, (kept = new Map()));
    const missing = monitors.filter((m) => !kept.has(m));
    if (missing.length > 0) {
      // The whole UTC days inside the window; none when it holds no whole day.
      let dayLo = Math.ceil(since / DAY) * DAY;
      let dayHi = Math.floor(hourEnd / DAY) * DAY;
      if (dayLo >= dayHi) dayLo = dayHi = since;
      const rows = await this.db.query<RolledRow>(ROLLED_SQL, [
        missing,
        new Date(since),
        new Date(hourEnd),
        new Date(dayLo),
        new Date(dayHi),
      ]);
      const fresh = new Map(
        missing.map((m): [string, Rolled] => [m, { checks: 0, successes: 0, end: undefined, p50: [], p95: [], p99: [] }]),
      );
      for (const row of rows) {
        const r = fresh.get(row.monitor)!;
        const w = Number(row.checks);
        r.checks += w;
        r.successes += Number(row.successes);
        r.end = Math.max(r.end ?? 0, row.bucket_end.getTime());
        if (row.p50 !== null) r.p50.push({ v: Number(row.p50), w });
        if (row.p95 !== null) r.p95.push({ v: Number(row.p95), w });
        if (row.p99 !== null) r.p99.push({ v: Number(row.p99), w });
      }
      for (const [m, r] of fresh) {
        for (const list of [r.p50, r.p95, r.p99]) list.sort((a, b) => a.v - b.v);
        kept.set(m, r);
      }
    }
    return kept;
  }
}
