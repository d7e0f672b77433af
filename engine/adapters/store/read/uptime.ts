import type { UptimeRecord } from '../../../ports/read-model.js';
import type { SqlDriver } from '../sql-driver.js';
import { type RawSummary, RecentHeartbeats } from './recent-heartbeats.js';

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

// Raw heartbeats after a monitor's newest rollup when that is long ago (RecentHeartbeats keeps
// the usual, recent ones): one index range scan per monitor on
// (monitor, at), summarised in the database — counts and the three percentiles, so a request
// moves five numbers per monitor rather than every latency of the last hour (`offset 0` keeps
// the planner from flattening the scan into a hash join over the whole table).
const RAW_SQL = `
select f.monitor, h.checks, h.successes, h.timed, h.p50, h.p95, h.p99
from unnest($1::text[], $2::text[]) as f(monitor, t)
cross join lateral (
  select count(*)::int as checks, count(*) filter (where ok)::int as successes,
         count(latency_ms)::int as timed,
         percentile_disc(array[0.5, 0.95, 0.99]) within group (order by latency_ms) as pcts
  from (select ok, latency_ms from heartbeats h
        where h.monitor = f.monitor and h.at >= f.t::timestamptz and h.at < $3 offset 0) x
) h0
cross join lateral (select h0.checks, h0.successes, h0.timed, h0.pcts[1] as p50, h0.pcts[2] as p95, h0.pcts[3] as p99) h
`;

interface RawRow extends RawSummary {
  monitor: string;
}

const NO_POINTS: readonly Point[] = [];
const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** Raw parts starting this close to the window's end are kept in memory (RecentHeartbeats). */
const RECENT_MS = 2 * HOUR;

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
 * The value below which `q` of the weight lies, over points sorted by value plus one more
 * point (the raw part): each bucket's percentile weighted by its checks. Exact within one
 * bucket, a close bound across several. Allocates nothing: it runs 6,000 times for a page.
 */
function weightedPercentile(q: number, points: readonly Point[], extraV: number | null, extraW: number): number | null {
  const extra = extraV !== null && extraW > 0;
  let total = extra ? extraW : 0;
  for (const p of points) total += p.w;
  if (total === 0) return null;
  const target = q * total;
  let acc = 0;
  let pending = extra;
  for (const p of points) {
    // The extra point goes after the points of equal value, before the first greater one.
    if (pending && extraV! < p.v) {
      pending = false;
      acc += extraW;
      if (acc >= target) return extraV;
    }
    acc += p.w;
    if (acc >= target) return p.v;
  }
  return pending ? extraV : points[points.length - 1].v;
}

/**
 * Uptime and latency of many monitors over a window, in a few statements whatever the number
 * of monitors and usually one per request: rollups of completed buckets never change, so the
 * rolled-up part of each window is kept for the hour it is valid (per monitor); the raw rows
 * after it are kept too (RecentHeartbeats), so a request reads only the heartbeats stored
 * since the previous one. A rollup written late (the hour after it ended) is not in the kept
 * part, and does not need to be: its raw rows are still there and are read instead.
 */
export class UptimeReader {
  /** `since|hourEnd` → monitor → its rolled-up part. Only the current hour's keys are kept. */
  readonly #cache = new Map<string, Map<string, Rolled>>();
  /** Raw-part statements still running, by what they read. */
  readonly #rawInFlight = new Map<string, Promise<RawRow[]>>();
  readonly #recent: RecentHeartbeats;

  constructor(private readonly db: SqlDriver) {
    this.#recent = new RecentHeartbeats(db);
  }

  async uptime(monitors: readonly string[], window: { since: Date; until: Date }): Promise<UptimeRecord[]> {
    if (monitors.length === 0) return [];
    const since = window.since.getTime();
    const until = window.until.getTime();
    const hourEnd = Math.floor(until / HOUR) * HOUR;
    const rolled = await this.#rolled(monitors, since, hourEnd);
    const from = monitors.map((m) => Math.max(since, rolled.get(m)?.end ?? since));
    const rawOf = await this.#rawParts(monitors, from, window.until);
    const out: UptimeRecord[] = [];
    for (const monitor of monitors) {
      const r = rolled.get(monitor);
      const x = rawOf.get(monitor);
      const checks = (r?.checks ?? 0) + Number(x?.checks ?? 0);
      if (checks === 0) continue;
      // The raw part is one more bucket, weighted by the checks that have a latency.
      const timed = Number(x?.timed ?? 0);
      out.push({
        monitor,
        checks,
        successes: (r?.successes ?? 0) + Number(x?.successes ?? 0),
        latencyP50: weightedPercentile(0.5, r?.p50 ?? NO_POINTS, num(x?.p50), timed),
        latencyP95: weightedPercentile(0.95, r?.p95 ?? NO_POINTS, num(x?.p95), timed),
        latencyP99: weightedPercentile(0.99, r?.p99 ?? NO_POINTS, num(x?.p99), timed),
      });
    }
    return out;
  }

  /**
   * The raw part of each monitor's window: recent parts (the usual case, starting at the
   * current or previous hour) from memory, kept up to date with the rows stored since the last
   * request; older ones (a monitor without rollups, or rollups that stopped) summarised in SQL.
   */
  async #rawParts(monitors: readonly string[], from: number[], until: Date): Promise<Map<string, RawSummary>> {
    const recent: { monitor: string; from: number }[] = [];
    const old: { monitor: string; from: number }[] = [];
    monitors.forEach((monitor, i) => (from[i] >= until.getTime() - RECENT_MS ? recent : old).push({ monitor, from: from[i] }));
    const kept = recent.length > 0 ? await this.#recent.summaries(recent, until) : new Map<string, RawSummary>();
    const inSql = kept ? old : [...recent, ...old];
    const out = kept ?? new Map<string, RawSummary>();
    if (inSql.length > 0) {
      const iso = new Map<number, string>();
      const starts = inSql.map(({ from: t }) => {
        let s = iso.get(t);
        if (s === undefined) iso.set(t, (s = new Date(t).toISOString()));
        return s;
      });
      const rows = await this.#raw(
        inSql.map((p) => p.monitor),
        starts,
        until,
      );
      for (const r of rows) out.set(r.monitor, r);
    }
    return out;
  }

  /**
   * The raw part of a window. Windows that end at the same instant with the same rollups read
   * the same raw rows (24 h and 30 d on a dashboard both start their raw part at the current
   * hour), so concurrent requests for the same part share one statement.
   */
  #raw(monitors: readonly string[], from: string[], until: Date): Promise<RawRow[]> {
    const key = `${until.toISOString()}|${monitors.join(',')}|${from.join(',')}`;
    let pending = this.#rawInFlight.get(key);
    if (!pending) {
      pending = this.db.query<RawRow>(RAW_SQL, [[...monitors], from, until]);
      this.#rawInFlight.set(key, pending);
      const forget = () => this.#rawInFlight.delete(key);
      pending.then(forget, forget);
    }
    return pending;
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
