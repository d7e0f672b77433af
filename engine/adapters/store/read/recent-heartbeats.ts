import type { SqlDriver } from '../sql-driver.js';

/** Counts and exact percentiles of a monitor's raw heartbeats from some instant on. */
export interface RawSummary {
  checks: number;
  successes: number;
  /** Rows with a latency: the weight of the percentiles. */
  timed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** One raw part wanted: a monitor's heartbeats at or after `from` (ms since the epoch). */
export interface RawPart {
  monitor: string;
  from: number;
}

/** A raw part kept in memory: its totals and every latency in it, sorted. */
interface Head {
  from: number;
  checks: number;
  successes: number;
  latencies: number[];
}

interface BeatRow {
  id: number;
  i?: number;
  monitor?: string;
  at?: number;
  ok: boolean;
  latency_ms: number | null;
}

// One statement brings every kept part up to date and reads the parts not kept yet, in one
// snapshot: row 0 is the watermark (the highest id kept parts have seen; taken here when there
// is none yet); rows -1 are the heartbeats stored since, in id order ($5 says whether to read
// them); rows i > 0 are part i's heartbeats up to the watermark, one index range scan per part
// on (monitor, at). Ids grow in the order the heartbeat writer (one, serialised) commits them,
// so "every id above the watermark" is exactly what arrived since.
const READ_SQL = `
with w as (select coalesce($3::float8::bigint, (select max(id) from heartbeats), 0) as id)
(select 0 as i, w.id::float8 as id, null as monitor, null::float8 as at, true as ok, null::float8 as latency_ms from w)
union all
(select -1, h.id::float8, h.monitor, (extract(epoch from h.at) * 1000)::float8, h.ok, h.latency_ms
 from heartbeats h where $5::boolean and h.id > $3::float8::bigint order by h.id limit $4)
union all
(select f.i::int, h.id::float8, null, null, h.ok, h.latency_ms
 from w, unnest($1::text[], $2::timestamptz[]) with ordinality as f(monitor, t, i)
 cross join lateral (select id, ok, latency_ms from heartbeats h
                     where h.monitor = f.monitor and h.at >= f.t and h.id <= w.id offset 0) h
 limit $4)`;

const HOUR = 3_600_000;
/** How many rows one read may bring in before the raw parts are summarised in SQL instead. */
const MAX_ROWS = 200_000;
/** Parts nobody asked for in this long are dropped, and so is everything after a pause this long. */
const IDLE_MS = 5 * 60_000;

/** Index of the value `percentile_disc(q)` picks from n sorted values. */
const discIndex = (q: number, n: number) => Math.max(0, Math.ceil(q * n) - 1);

function insertSorted(list: number[], v: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, v);
}

/**
 * The raw part of uptime windows (heartbeats after the newest rollup, at most an hour or two
 * of them) kept in memory and brought up to date by reading only the heartbeats stored since
 * the last request — what a dashboard refreshed every few seconds needs, where summarising an
 * hour of raw rows per monitor on every request costs most of the request. Percentiles stay
 * exact (every latency of the part is kept, sorted: 8 bytes per heartbeat of the current hour).
 *
 * Reads are serialised: the windows of one request (24 h and 30 d) share the read made for the
 * first. A pause longer than IDLE_MS, or more than MAX_ROWS new rows, drops everything kept
 * (the next request reads its parts afresh); `undefined` tells the caller to summarise in SQL.
 *
 * Limit: a heartbeat committed out of id order — only possible while two engines write at
 * once, during a leader handover — is counted from the next hour on (by its rollup), not now.
 */
export class RecentHeartbeats {
  /** `monitor|from` → kept part. */
  readonly #heads = new Map<string, Head>();
  /** monitor → its kept parts (a monitor without rollups has one per window start). */
  readonly #byMonitor = new Map<string, Head[]>();
  readonly #usedAt = new Map<string, number>();
  /** Highest heartbeat id every kept part has seen. */
  #watermark: number | undefined;
  /** When the last read of newer rows started (ms): a request from before it needs no new read. */
  #readAt = 0;
  #queue: Promise<unknown> = Promise.resolve();
  /** After parts too big to keep, SQL summarises them until this hour ends (ms). */
  #tooBigUntil = 0;

  constructor(
    private readonly db: SqlDriver,
    private readonly now: () => number = Date.now,
  ) {}

  /** Summaries of the parts asked for as of `until`, or `undefined` when too many rows are involved. */
  summaries(parts: readonly RawPart[], until: Date): Promise<Map<string, RawSummary> | undefined> {
    const run = this.#queue.then(() => this.#summaries(parts, until.getTime()));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #summaries(parts: readonly RawPart[], until: number): Promise<Map<string, RawSummary> | undefined> {
    const now = this.now();
    if (now < this.#tooBigUntil) return undefined;
    if (this.#watermark !== undefined && now - this.#readAt > IDLE_MS) this.#forget();
    // A request from before the last read needs nothing newer (the windows of one request).
    const newer = this.#watermark !== undefined && this.#readAt < until;
    const missing = parts.filter((p) => !this.#heads.has(`${p.monitor}|${p.from}`));
    if (newer || missing.length > 0) {
      if (newer || this.#watermark === undefined) this.#readAt = now;
      if (!(await this.#read(missing, newer))) return undefined;
    }
    const out = new Map<string, RawSummary>();
    for (const p of parts) {
      const key = `${p.monitor}|${p.from}`;
      this.#usedAt.set(key, now);
      const h = this.#heads.get(key)!;
      const n = h.latencies.length;
      const at = (q: number) => (n === 0 ? null : h.latencies[discIndex(q, n)]);
      out.set(p.monitor, { checks: h.checks, successes: h.successes, timed: n, p50: at(0.5), p95: at(0.95), p99: at(0.99) });
    }
    for (const [key, used] of this.#usedAt) if (now - used > IDLE_MS) this.#drop(key);
    return out;
  }

  /** Reads the parts not kept yet and, if `newer`, the rows stored since the last read. */
  async #read(missing: readonly RawPart[], newer: boolean): Promise<boolean> {
    const rows = await this.db.query<BeatRow>(READ_SQL, [
      missing.map((p) => p.monitor),
      missing.map((p) => new Date(p.from).toISOString()),
      this.#watermark ?? null,
      MAX_ROWS + 1,
      newer,
    ]);
    const fresh = missing.map((p): Head => ({ from: p.from, checks: 0, successes: 0, latencies: [] }));
    const since: BeatRow[] = [];
    let watermark = 0;
    for (const r of rows) {
      const i = Number(r.i);
      if (i === 0) watermark = Number(r.id);
      else if (i < 0) since.push(r);
      else {
        const h = fresh[i - 1];
        h.checks++;
        if (r.ok) h.successes++;
        if (r.latency_ms !== null) h.latencies.push(Number(r.latency_ms));
      }
    }
    if (since.length > MAX_ROWS) {
      this.#forget();
      return false;
    }
    if (rows.length - 1 - since.length > MAX_ROWS) {
      this.#forget();
      this.#tooBigUntil = (Math.floor(this.now() / HOUR) + 1) * HOUR;
      return false;
    }
    missing.forEach((p, i) => {
      const h = fresh[i];
      h.latencies.sort((a, b) => a - b);
      this.#heads.set(`${p.monitor}|${p.from}`, h);
      const list = this.#byMonitor.get(p.monitor);
      if (list) list.push(h);
      else this.#byMonitor.set(p.monitor, [h]);
    });
    this.#watermark = watermark;
    for (const r of since) {
      const heads = this.#byMonitor.get(r.monitor!);
      if (heads) for (const h of heads) if (Number(r.at) >= h.from) add(h, r);
      this.#watermark = Math.max(this.#watermark, Number(r.id));
    }
    return true;
  }

  #drop(key: string): void {
    const h = this.#heads.get(key);
    this.#heads.delete(key);
    this.#usedAt.delete(key);
    if (!h) return;
    const monitor = key.slice(0, key.lastIndexOf('|'));
    const rest = (this.#byMonitor.get(monitor) ?? []).filter((x) => x !== h);
    if (rest.length > 0) this.#byMonitor.set(monitor, rest);
    else this.#byMonitor.delete(monitor);
  }

  #forget(): void {
    this.#heads.clear();
    this.#byMonitor.clear();
    this.#usedAt.clear();
    this.#watermark = undefined;
  }
}

function add(h: Head, r: BeatRow): void {
  h.checks++;
  if (r.ok) h.successes++;
  if (r.latency_ms !== null) insertSorted(h.latencies, Number(r.latency_ms));
}
