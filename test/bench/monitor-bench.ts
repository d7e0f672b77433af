/**
 * Schedule honesty at scale: 5,000 HTTP monitors at a 5 s interval (1,000 checks a second)
 * against a local server, for 2 minutes, with heartbeats written to a real PostgreSQL. Reports
 * checks per second, schedule lag p50/p99, heartbeats stored per second, CPU seconds per 1,000
 * checks and peak memory; then a plain undici loop making the same requests at the same rate,
 * as the floor. The HTTP server and PostgreSQL run in their own processes, so CPU figures are
 * the engine's (or the loop's) own.
 *
 * Run: npm run bench:monitors -- [--monitors 5000] [--interval 5] [--seconds 120] [--store embedded|postgres://...]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { hashOf } from '../../engine/model/canonical.js';
import { kinds } from '../../engine/kinds/registry.js';
import type { Store } from '../../engine/ports/store.js';
import { MonitorRuntime } from '../../engine/runtime/monitors/monitor-runtime.js';
import { DEFAULT_PER_HOST_LIMIT, type MonitorScheduler, timerScheduler } from '../../engine/runtime/monitors/scheduler.js';
import { startTempPostgres, type TempPostgres } from '../support/postgres-server.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const MONITORS = Number(arg('monitors', '5000'));
const INTERVAL_S = Number(arg('interval', '5'));
const SECONDS = Number(arg('seconds', '120'));
const STORE = arg('store', 'postgres');
/** Checks in flight to the one target host (all monitors here share it). */
const PER_HOST = Number(arg('per-host', String(DEFAULT_PER_HOST_LIMIT)));
/** Checks before this are the ramp-up (first slots spread over one interval) and not measured. */
const WARMUP_S = INTERVAL_S * 2;
const RATE = MONITORS / INTERVAL_S;

const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ status: 'UP' });
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); res.end(body); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

async function startServer(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { port: Number(chunk.toString().trim()), child };
}

/** Peak resident memory, sampled every 100 ms. */
function memorySampler() {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return { stop: () => (clearInterval(t), peak) };
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0;
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

interface Figures {
  checksPerSecond: number;
  lagP50Ms: number;
  lagP99Ms: number;
  cpuPer1000: number;
  peakRssMb: number;
  storedPerSecond?: number;
  errors: number;
  /** Slots skipped because the one target host had all its slots busy (per-host limit). */
  skippedHostBusy?: number;
}

async function seedMonitors(store: Store, url: string): Promise<void> {
  const plan = await store.recordPlan({
    revisionId: null,
    plan: {},
    actualHash: 'bench',
    summary: { create: MONITORS, update: 0, replace: 0, delete: 0 },
  });
  const now = new Date();
  const apply = await store.startApply({ planId: plan.id, revisionId: null, trigger: 'bench', startedAt: now });
  for (let i = 0; i < MONITORS; i++) {
    const name = `m-${i}`;
    const spec = kinds.Monitor.withDefaults({
      kind: 'Monitor',
      name,
      http: { url: `${url}/health?m=${i}` },
      interval: `${INTERVAL_S}s`,
      timeout: '5s',
      conditions: ['[STATUS] == 200', '[RESPONSE_TIME] < 1000'],
    });
    await store.recordChangeResult(
      apply.id,
      { kind: 'Monitor', name, action: 'create', status: 'succeeded', startedAt: now, finishedAt: now },
      { put: { kind: 'Monitor', name, spec, specHash: hashOf(spec), revisionId: null, appliedAt: now, protect: false } },
    );
  }
  await store.finishApply(apply.id, 'succeeded', now);
}

async function runPloy(store: Store, url: string): Promise<Figures> {
  await seedMonitors(store, url);
  const lags: number[] = [];
  const inner = timerScheduler(systemClock, { perHostLimit: PER_HOST });
  let measuring = false;
  // Wraps the real scheduler only to keep every lag of the measured window (its own keeps the recent ones).
  const scheduler: MonitorScheduler = {
    every: (name, ms, run, opts) =>
      inner.every(
        name,
        ms,
        (at) => {
          if (measuring) lags.push(Date.now() - at.getTime());
          return run(at);
        },
        opts,
      ),
    stats: () => inner.stats(),
  };
  const log = {
    info: () => undefined,
    warn: (o: object, m: string) => console.warn(m, o),
    error: (o: object, m: string) => console.error(m, o),
  };
  const runtime = new MonitorRuntime({
    store,
    clock: systemClock,
    events: { emit: async () => undefined },
    log,
    scheduler,
    housekeepingMs: 0,
  });
  await runtime.start();
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const checks0 = runtime.checks;
  const cpu0 = process.cpuUsage();
  const mem = memorySampler();
  const t0 = performance.now();
  const from = new Date();
  measuring = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  // Where the time goes when the host's slots are the limit: in flight vs waiting right now.
  const host = inner.stats().hosts?.[0];
  if (host) console.log(`host ${host.host}: ${host.inFlight} in flight, ${host.waiting} waiting (limit ${host.limit})`);
  const to = new Date();
  const elapsed = (performance.now() - t0) / 1000;
  const checks = runtime.checks - checks0;
  const cpu = cpuSeconds(process.cpuUsage(cpu0));
  const peak = mem.stop();
  await runtime.stop();
  const stored = await countHeartbeats(store, from, to);
  const failed = await store.listHeartbeats('m-0', { limit: 1000 });
  lags.sort((a, b) => a - b);
  return {
    checksPerSecond: checks / elapsed,
    lagP50Ms: pct(lags, 0.5),
    lagP99Ms: pct(lags, 0.99),
    cpuPer1000: (cpu / checks) * 1000,
    peakRssMb: peak / 2 ** 20,
    // Heartbeats of checks that started in the window, as stored in the database.
    storedPerSecond: stored / elapsed,
    errors: failed.filter((b) => !b.ok).length,
    skippedHostBusy: inner.stats().skippedHostBusy,
  };
}

/** Heartbeats stored for checks that started in [from, to), read back through the store port. */
async function countHeartbeats(store: Store, from: Date, to: Date): Promise<number> {
  let total = 0;
  const latencies: number[] = [];
  for (let i = 0; i < MONITORS; i += 500) {
    const rows = await Promise.all(
      Array.from({ length: Math.min(500, MONITORS - i) }, (_, j) =>
        store.listHeartbeats(`m-${i + j}`, { since: from, limit: 100_000 }),
      ),
    );
    for (const r of rows) {
      const inWindow = r.filter((b) => b.at < to);
      total += inWindow.length;
      for (const b of inWindow) latencies.push(b.latencyMs ?? 0);
    }
  }
  latencies.sort((a, b) => a - b);
  console.log(`check latency (all monitors) p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms`);
  return total;
}

/** The floor: undici, one request per monitor slot, same rate, no conditions, no storage. */
async function runUndici(url: string): Promise<Figures> {
  const pool = new Pool(url, { connections: 64, pipelining: 1 });
  const lags: number[] = [];
  let done = 0;
  let errors = 0;
  let measuring = false;
  const timers: NodeJS.Timeout[] = [];
  const intervalMs = INTERVAL_S * 1000;
  const start = Date.now();
  for (let i = 0; i < MONITORS; i++) {
    let slot = start + Math.floor((i / MONITORS) * intervalMs);
    const fire = () => {
      const now = Date.now();
      if (measuring) lags.push(now - slot);
      slot += intervalMs;
      timers[i] = setTimeout(fire, Math.max(0, slot - Date.now()));
      pool
        .request({ path: `/health?m=${i}`, method: 'GET' })
        .then(async (res) => {
          await res.body.text();
          if (measuring) done++;
        })
        .catch(() => errors++);
    };
    timers[i] = setTimeout(fire, slot - start);
  }
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const cpu0 = process.cpuUsage();
  const mem = memorySampler();
  const t0 = performance.now();
  measuring = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(process.cpuUsage(cpu0));
  const peak = mem.stop();
  for (const t of timers) clearTimeout(t);
  await pool.close();
  lags.sort((a, b) => a - b);
  return {
    checksPerSecond: done / elapsed,
    lagP50Ms: pct(lags, 0.5),
    lagP99Ms: pct(lags, 0.99),
    cpuPer1000: (cpu / done) * 1000,
    peakRssMb: peak / 2 ** 20,
    errors,
  };
}

async function main() {
  const { port, child } = await startServer();
  const url = `http://127.0.0.1:${port}`;
  let pg: TempPostgres | undefined;
  let storeUrl = STORE;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-monitor-bench-'));
  if (STORE === 'postgres') {
    pg = await startTempPostgres();
    storeUrl = pg.url;
  }
  const store = await openStore(storeUrl, { embeddedDir: dir });
  console.log(
    `${MONITORS} HTTP monitors every ${INTERVAL_S}s (${RATE}/s) against ${url}, ${SECONDS}s measured after ${WARMUP_S}s of ramp-up; store: ${STORE === 'postgres' ? 'PostgreSQL (temp server)' : STORE}`,
  );
  try {
    const ployFig = await runPloy(store, url);
    const floor = await runUndici(url);
    const row = (name: string, f: Figures) =>
      `${name.padEnd(12)} ${f.checksPerSecond.toFixed(0).padStart(8)} ${f.lagP50Ms.toFixed(0).padStart(8)} ${f.lagP99Ms.toFixed(0).padStart(8)} ${(f.storedPerSecond?.toFixed(0) ?? '-').padStart(10)} ${f.cpuPer1000.toFixed(3).padStart(14)} ${f.peakRssMb.toFixed(0).padStart(9)}`;
    console.log(
      `\n${'run'.padEnd(12)} ${'checks/s'.padStart(8)} ${'lag p50'.padStart(8)} ${'lag p99'.padStart(8)} ${'stored/s'.padStart(10)} ${'CPU s/1000'.padStart(14)} ${'peak MB'.padStart(9)}`,
    );
    console.log(row('ploy', ployFig));
    console.log(row('undici loop', floor));
    const ratio = ployFig.cpuPer1000 / floor.cpuPer1000;
    console.log(`\nCPU per check: ${ratio.toFixed(2)}x the plain loop's (target < 2x)`);
    console.log(
      `targets: ${RATE}/s achieved ${ployFig.checksPerSecond >= RATE * 0.98 ? 'yes' : 'NO'}; stored ${ployFig.storedPerSecond! >= RATE * 0.98 ? 'yes' : 'NO'}; lag p99 < 200 ms ${ployFig.lagP99Ms < 200 ? 'yes' : 'NO'}; CPU < 2x ${ratio < 2 ? 'yes' : 'NO'}; peak < 500 MB ${ployFig.peakRssMb < 500 ? 'yes' : 'NO'}`,
    );
    console.log(`slots skipped waiting for the host (per-host limit ${PER_HOST}): ${ployFig.skippedHostBusy ?? 0}`);
    if (ployFig.errors || floor.errors) console.log(`failed checks: ploy ${ployFig.errors} (m-0), loop ${floor.errors}`);
  } finally {
    await store.close();
    await pg?.stop();
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
