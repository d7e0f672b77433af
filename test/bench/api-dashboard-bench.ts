/**
 * The uptime dashboard (examples/graphql/uptime-dashboard.graphql: every monitor with 24 h and
 * 30 d uptime and p95 latency) for 1,000 monitors over 30 days at a 60 s interval, stored as
 * the monitor runtime keeps it: daily and hourly rollups for 30 days plus 1 day of raw
 * heartbeats (1.44 million rows) — the equivalent of 43 million raw heartbeats. Reports p50/p95
 * latency of the whole GraphQL request (in-process yoga.fetch) and the SQL statements it ran.
 * Heartbeats keep arriving while it runs, as the monitor runtime writes them (each monitor every
 * 60 s: ~17 a second in batches each second), and requests come a second apart, as from
 * dashboards refreshing: each request has new rows to count. The first request after start
 * (nothing kept yet) is reported on its own. Target: p95 under 150 ms on PostgreSQL.
 * Run: npm run bench:api [monitors] [rounds] (with NODE_ENV=production, as `ploy serve` runs)
 * PLOY_BENCH_DATABASE_URL=postgres://... uses that server instead of a throwaway one.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { openDriver } from '../../engine/adapters/store/open-store.js';
import { sqlReadModel } from '../../engine/adapters/store/read/index.js';
import type { SqlDriver } from '../../engine/adapters/store/sql-driver.js';
import { SqlStore } from '../../engine/adapters/store/sql-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { createApi } from '../../engine/api/server.js';
import { startTempPostgres } from '../support/postgres-server.js';

const monitors = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 50);
const DASHBOARD = readFileSync(join(import.meta.dirname, '../../../examples/graphql/uptime-dashboard.graphql'), 'utf8');

async function seed(db: SqlDriver, now: Date) {
  const names = Array.from({ length: monitors }, (_, i) => `m-${String(i).padStart(5, '0')}`);
  const HOUR = 3600_000;
  const hourNow = Math.floor(now.getTime() / HOUR) * HOUR;
  const today = Math.floor(now.getTime() / (24 * HOUR)) * 24 * HOUR;
  await db.query(
    `insert into applied_resources (kind, name, spec, spec_hash, revision_id, applied_at)
     select 'Monitor', n, jsonb_build_object('kind', 'Monitor', 'name', n, 'labels', jsonb_build_object('env', 'prod'),
            'http', jsonb_build_object('url', 'http://10.0.0.1/' || n), 'interval', '60s'), 'sha256:' || n, null, now()
     from unnest($1::text[]) n`,
    [names],
  );
  await db.query(
    `insert into heartbeat_rollups (monitor, bucket, bucket_start, checks, successes, latency_p50, latency_p95, latency_p99)
     select m, 'day', d, 1440, 1440 - (random() * 3)::int, 20 + random() * 5, 80 + random() * 20, 120 + random() * 30
     from unnest($1::text[]) m, generate_series($2::timestamptz, $3::timestamptz, interval '1 day') d`,
    [names, new Date(today - 31 * 24 * HOUR), new Date(today - 24 * HOUR)],
  );
  await db.query(
    `insert into heartbeat_rollups (monitor, bucket, bucket_start, checks, successes, latency_p50, latency_p95, latency_p99)
     select m, 'hour', h, 60, 60 - (random() < 0.05)::int, 20 + random() * 5, 80 + random() * 20, 120 + random() * 30
     from unnest($1::text[]) m, generate_series($2::timestamptz, $3::timestamptz, interval '1 hour') h`,
    [names, new Date(hourNow - 31 * 24 * HOUR), new Date(hourNow - HOUR)],
  );
  await db.query(
    `insert into heartbeats (monitor, at, ok, latency_ms, status)
     select m, t, random() > 0.002, 15 + random() * 100, '200'
     from unnest($1::text[]) m, generate_series($2::timestamptz, $3::timestamptz, interval '60 seconds') t`,
    [names, new Date(now.getTime() - 24 * HOUR), now],
  );
  await db.query(
    `insert into monitor_state (monitor, state, since, last_result) select m, 'up', $2, '{"latencyMs": 30}'::jsonb from unnest($1::text[]) m`,
    [names, new Date(now.getTime() - 5 * 24 * HOUR)],
  );
  await db.exec('analyze');
}

/** Stores each monitor's heartbeat once a minute, in its second of the minute, as the runtime would. */
function keepWriting(store: SqlStore): () => Promise<void> {
  const names = Array.from({ length: monitors }, (_, i) => `m-${String(i).padStart(5, '0')}`);
  let writing = Promise.resolve();
  const timer = setInterval(() => {
    const now = new Date();
    const second = Math.floor(now.getTime() / 1000) % 60;
    const due = names.filter((_, i) => i % 60 === second);
    writing = writing.then(() =>
      store.recordHeartbeats(
        due.map((monitor) => ({ monitor, at: now, ok: Math.random() > 0.002, latencyMs: 15 + Math.random() * 100 })),
      ),
    );
  }, 1000);
  return async () => {
    clearInterval(timer);
    await writing;
  };
}

const pct = (s: number[], q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];

async function main() {
  const external = process.env.PLOY_BENCH_DATABASE_URL;
  const temp = external ? undefined : await startTempPostgres();
  const server = external ?? temp!.url;
  const name = `ploy_bench_api_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  const inner = await openDriver(u.toString(), { embeddedDir: '' });
  let statements = 0;
  let sqlMs = 0;
  /** Each statement's durations, by its first words: which one a slow request waited for. */
  const byStatement = new Map<string, number[]>();
  const db: SqlDriver = {
    ...inner,
    query: async (t, p) => {
      statements++;
      const s = performance.now();
      try {
        return await inner.query(t, p);
      } finally {
        const took = performance.now() - s;
        sqlMs += took;
        const key = t.replace(/\s+/g, ' ').trim().slice(0, 70);
        byStatement.set(key, [...(byStatement.get(key) ?? []), took]);
      }
    },
  };
  try {
    const now = new Date();
    const t = performance.now();
    await seed(db, now);
    const [{ raw, rollups }] = await db.query<{ raw: string; rollups: string }>(
      'select (select count(*) from heartbeats) as raw, (select count(*) from heartbeat_rollups) as rollups',
    );
    console.log(
      `seeded ${monitors} monitors: ${Number(rollups).toLocaleString()} rollup rows, ${Number(raw).toLocaleString()} raw heartbeats in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const api = createApi(
      {
        store: new SqlStore(db),
        readModel: sqlReadModel(db),
        clock: systemClock,
        version: 'bench',
        engine: { lastSync: () => undefined, runs: () => 0, source: 'bench', syncAuto: true },
      },
      { warn: console.warn, error: console.error },
    );
    const run = async (query = DASHBOARD) => {
      const before = statements;
      const sqlBefore = sqlMs;
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      const res = await api.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { first: 1000 } }),
      });
      const body = (await res.json()) as any;
      const ms = performance.now() - start;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      if (body.data.monitors.edges.length !== Math.min(monitors, 1000)) throw new Error('wrong number of monitors');
      return { ms, cpuMs, sql: sqlMs - sqlBefore, statements: statements - before, sample: body.data.monitors.edges[0].node };
    };
    if (process.env.PLOY_BENCH_EXPLAIN) {
      const rm = sqlReadModel(inner);
      const names = (await inner.query<{ name: string }>(`select name from applied_resources`)).map((r) => r.name);
      for (const days of [1, 30]) {
        const since = new Date(Math.floor((now.getTime() - days * 864e5) / 3600e3) * 3600e3);
        for (const pass of ['first (reads rollups)', 'again (rollups kept)', 'again (rollups kept)']) {
          const s0 = performance.now();
          await rm.uptime(names, { since, until: now });
          console.log(`uptime ${days}d, ${pass}: ${(performance.now() - s0).toFixed(1)} ms`);
        }
      }
      const s1 = performance.now();
      await rm.monitorStates(names);
      console.log(`states: ${(performance.now() - s1).toFixed(1)} ms`);
    }
    const stopWriting = keepWriting(new SqlStore(inner));
    const cold = await run();
    console.log(`first request (nothing kept yet): ${cold.ms.toFixed(1)} ms, ${cold.statements} SQL statements`);
    for (let i = 0; i < 3; i++) await run();
    const samples: number[] = [];
    const sqlSamples: number[] = [];
    const cpuSamples: number[] = [];
    let last;
    for (let i = 0; i < rounds; i++) {
      await sleep(1000);
      last = await run();
      samples.push(last.ms);
      sqlSamples.push(last.sql);
      cpuSamples.push(last.cpuMs);
    }
    samples.sort((a, b) => a - b);
    sqlSamples.sort((a, b) => a - b);
    cpuSamples.sort((a, b) => a - b);
    console.log(`sample monitor: ${JSON.stringify(last!.sample)}`);
    console.log(
      `dashboard query, ${Math.min(monitors, 1000)} monitors, ${rounds} rounds 1 s apart: p50 ${pct(samples, 0.5).toFixed(1)} ms, p95 ${pct(samples, 0.95).toFixed(1)} ms, max ${samples.at(-1)!.toFixed(1)} ms; ${last!.statements} SQL statements per request (target: p95 < 150 ms)`,
    );
    // Statements of one request run concurrently, so their summed time can exceed the request's.
    console.log(
      `  time in SQL statements (summed) per request: p50 ${pct(sqlSamples, 0.5).toFixed(1)} ms, p95 ${pct(sqlSamples, 0.95).toFixed(1)} ms`,
    );
    // The floor: the same page without uptime (GraphQL execution, applied state, monitor state).
    // The engine's own CPU (this process: GraphQL, loaders, the driver), apart from PostgreSQL's.
    console.log(
      `  engine CPU per request: p50 ${pct(cpuSamples, 0.5).toFixed(1)} ms, p95 ${pct(cpuSamples, 0.95).toFixed(1)} ms`,
    );
    console.log('  per statement (all requests so far):');
    for (const [key, list] of byStatement) {
      const sorted = [...list].sort((a, b) => a - b);
      console.log(
        `    ${String(list.length).padStart(4)}× p50 ${pct(sorted, 0.5).toFixed(1).padStart(6)} ms  p95 ${pct(sorted, 0.95).toFixed(1).padStart(6)} ms  ${key}`,
      );
    }
    const floor: number[] = [];
    const floorCpu: number[] = [];
    const noUptime = DASHBOARD.replace(/^\s*(day|month): uptime.*$/gm, '');
    for (let i = 0; i < rounds; i++) {
      const r = await run(noUptime);
      floor.push(r.ms);
      floorCpu.push(r.cpuMs);
    }
    floorCpu.sort((a, b) => a - b);
    await stopWriting();
    floor.sort((a, b) => a - b);
    console.log(
      `same page without uptime: p50 ${pct(floor, 0.5).toFixed(1)} ms, p95 ${pct(floor, 0.95).toFixed(1)} ms; engine CPU p50 ${pct(floorCpu, 0.5).toFixed(1)} ms`,
    );
    console.log(
      `load average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    );
  } finally {
    await inner.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
    await temp?.stop();
  }
}

await main();
