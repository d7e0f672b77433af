import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDriver } from '../../engine/adapters/store/open-store.js';
import { UptimeReader } from '../../engine/adapters/store/read/uptime.js';
import type { SqlDriver } from '../../engine/adapters/store/sql-driver.js';
import { SqlStore } from '../../engine/adapters/store/sql-store.js';
import type { Heartbeat } from '../../engine/ports/monitor-store.js';
import { storeTargets } from '../support/store-targets.js';

const targets = storeTargets('ploy-uptime-reader');
const HOUR = 3_600_000;

/** percentile_disc over the given latencies: what the SQL summary of a raw part returns. */
const disc = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)];
};

describe.each(targets)('uptime on the $name store, kept up to date between requests', (target) => {
  let db: SqlDriver;
  let store: SqlStore;
  let statements = 0;
  let rowsRead = 0;
  let hourStart: number;
  const monitors = ['api', 'db'];
  const latencies = new Map<string, number[]>([
    ['api', []],
    ['db', []],
  ]);
  let rawChecks = 0;
  let rawFailures = 0;

  /** `n` heartbeats per monitor in the current hour, each with a new latency; every 7th fails. */
  async function beats(n: number) {
    const list: Heartbeat[] = [];
    for (const monitor of monitors)
      for (let i = 0; i < n; i++) {
        const latencyMs = Math.round(Math.random() * 5000) / 10;
        latencies.get(monitor)!.push(latencyMs);
        const ok = (rawChecks + i) % 7 !== 0;
        list.push({ monitor, at: new Date(hourStart + ((rawChecks + i) % 900)), ok, latencyMs });
        if (!ok && monitor === 'api') rawFailures++;
      }
    rawChecks += n;
    await store.recordHeartbeats(list);
  }

  beforeAll(async () => {
    if (target.unavailable) return;
    // The raw part starts at the current hour: keep clear of an hour boundary during the test.
    if (Date.now() % HOUR > HOUR - 20_000) await sleep(HOUR - (Date.now() % HOUR) + 1000);
    if (Date.now() % HOUR < 1000) await sleep(1000);
    hourStart = Math.floor(Date.now() / HOUR) * HOUR;
    const where = await target.fresh();
    const inner = await openDriver(where.url, where);
    db = {
      ...inner,
      query: async <T>(t: string, p?: unknown[]) => {
        statements++;
        const rows = await inner.query<T>(t, p);
        rowsRead += rows.length;
        return rows;
      },
    };
    store = new SqlStore(db);
    // The previous hour, rolled up (no latencies there, so percentiles come from the raw part).
    const prev: Heartbeat[] = monitors.flatMap((monitor) =>
      Array.from({ length: 60 }, (_, i) => ({ monitor, at: new Date(hourStart - HOUR + i * 60_000), ok: i !== 0 })),
    );
    await store.recordHeartbeats(prev);
    await store.rollUpHeartbeats('hour', new Date(hourStart - HOUR), new Date(hourStart));
    await beats(40);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach((ctx) => {
    if (target.unavailable) ctx.skip(target.unavailable);
  });

  const window = () => {
    const until = new Date();
    return { since: new Date(hourStart - 24 * HOUR), until };
  };
  const expected = () => ({
    monitor: 'api',
    checks: 60 + rawChecks,
    successes: 59 + rawChecks - rawFailures,
    latencyP50: disc(latencies.get('api')!, 0.5),
    latencyP95: disc(latencies.get('api')!, 0.95),
    latencyP99: disc(latencies.get('api')!, 0.99),
  });

  it('counts heartbeats stored after the previous request, with exact percentiles, reading only those', async () => {
    const reader = new UptimeReader(db);
    const first = await reader.uptime(monitors, window());
    expect(first.find((r) => r.monitor === 'api')).toEqual(expected());

    await beats(25);
    const before = statements;
    const rowsBefore = rowsRead;
    const second = await reader.uptime(monitors, window());
    expect(second.find((r) => r.monitor === 'api')).toEqual(expected());
    // The rolled-up part is kept for the hour, the raw part brought up to date with one
    // statement that returns the 2 × 25 new heartbeats, one row holding the id they reach, and
    // nothing else.
    expect(statements - before).toBe(1);
    expect(rowsRead - rowsBefore).toBe(51);
    // The same answer a reader with nothing kept computes from scratch.
    expect(await new UptimeReader(db).uptime(monitors, window())).toEqual(second);
  });

  it('gives two windows of one request one read of the newer rows', async () => {
    const reader = new UptimeReader(db);
    await reader.uptime(monitors, window());
    await beats(5);
    const before = statements;
    const w = window();
    const [day, week] = await Promise.all([
      reader.uptime(monitors, w),
      reader.uptime(monitors, { since: new Date(hourStart - 7 * 24 * HOUR), until: w.until }),
    ]);
    expect(statements - before).toBeLessThanOrEqual(2); // newer rows once; the week's rollups once
    expect(day.find((r) => r.monitor === 'api')).toEqual(expected());
    expect(week.find((r) => r.monitor === 'api')).toEqual(expected());
  });
});
