/**
 * Scheduler benchmark (issue 6): N `http` jobs, each firing every second for S seconds, against
 * a local server in another process. Reports lateness as the issue defines it (scheduled time
 * → request sent: when undici writes the request's headers to the socket, seen through its
 * `undici:client:sendHeaders` diagnostics channel) and as the target sees it (→ request received)
 * p50/p99/max, runs recorded per second, runs lost, and the engine's CPU and memory.
 *
 *   npm run bench:jobs                       # 1,000 jobs × 60 s on a throwaway PostgreSQL
 *   npm run bench:jobs -- --jobs 200 --seconds 20 --warmup 5 --store embedded
 *
 * PLOY_BENCH_DATABASE_URL points it at an existing PostgreSQL server instead.
 */
import { spawn } from 'node:child_process';
import diagnosticsChannel from 'node:diagnostics_channel';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { postgresLeadership } from '../../engine/adapters/store/pg-leadership.js';
import { openStore } from '../../engine/adapters/store/open-store.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import type { Store } from '../../engine/ports/store.js';
import { recordedEvents } from '../../engine/runtime/recorded-events.js';
import { Scheduler } from '../../engine/runtime/scheduler/scheduler.js';
import { singleInstanceLeadership } from '../../engine/runtime/scheduler/single-instance.js';
import { startPg } from './plan-bench/stores.js';

const { values: args } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '5' },
    store: { type: 'string', default: 'postgres' },
    pool: { type: 'string', default: '64' },
    // Unset: the scheduler's default.
    'claim-ahead': { type: 'string' },
  },
});
const JOBS = Number(args.jobs);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const log = {
  info() {},
  warn: (o: object, m: string) => console.warn(m, o),
  error: (o: object, m: string) => console.error(m, o),
};

async function seed(store: Store, target: string): Promise<void> {
  const plan = await store.recordPlan({
    revisionId: null,
    plan: {},
    actualHash: 'bench',
    summary: { create: JOBS, update: 0, replace: 0, delete: 0 },
  });
  const apply = await store.startApply({ planId: plan.id, revisionId: null, trigger: 'bench', startedAt: new Date() });
  for (let i = 0; i < JOBS; i++) {
    const name = `bench-${i}`;
    const spec = {
      kind: 'Job',
      name,
      schedule: '@every 1s',
      http: { url: target, method: 'GET' },
      timeout: '10s',
      history: { keep: 1000 },
    };
    const at = new Date();
    await store.recordChangeResult(
      apply.id,
      { kind: 'Job', name, action: 'create', status: 'succeeded', startedAt: at, finishedAt: at },
      { put: { kind: 'Job', name, spec, specHash: `bench-${i}`, revisionId: null, appliedAt: at, protect: false } },
    );
  }
  await store.finishApply(apply.id, 'succeeded');
}

async function main(): Promise<void> {
  const target = spawn(process.execPath, [path.join(import.meta.dirname, 'jobs-bench/target.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) =>
    target.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
  );
  const targetUrl = `http://127.0.0.1:${port}/run`;

  const pg = args.store === 'postgres' ? await startPg() : undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ploy-jobs-bench-'));
  const url = pg ? await pg.freshDatabase() : 'embedded';
  const store = await openStore(url, { embeddedDir: path.join(tmp, '.ploy') });
  await seed(store, targetUrl);
  // Time each batched statement, to tell the store's share of the lateness from the rest.
  const statements: Record<string, number[]> = { claim: [], finish: [] };
  const timed =
    <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      const t = performance.now();
      try {
        return await fn(...a);
      } finally {
        statements[name].push(performance.now() - t, (a[0] as unknown[]).length);
      }
    };
  store.claimOccurrences = timed('claim', store.claimOccurrences.bind(store));
  store.finishOccurrences = timed('finish', store.finishOccurrences.bind(store));

  const holder = `bench:${process.pid}`;
  const leadership = pg
    ? postgresLeadership({ url, holder, store, clock: systemClock })
    : singleInstanceLeadership(store, systemClock, holder);
  const scheduler = new Scheduler({
    store,
    events: recordedEvents(store, systemClock),
    clock: systemClock,
    log,
    leadership,
    runners: {},
    poolSize: Number(args.pool),
    pruneEveryMs: 3_600_000,
    claimAheadMs: args['claim-ahead'] ? Number(args['claim-ahead']) : undefined,
  });

  const started = Date.now();
  // The instant each request leaves: undici publishes the headers as it writes them.
  const sent: Array<[number, number]> = [];
  diagnosticsChannel.subscribe('undici:client:sendHeaders', (message) => {
    const raw = (message as { headers?: unknown }).headers;
    const m = typeof raw === 'string' ? /x-ploy-scheduled-at: ([^\r\n]+)/i.exec(raw) : null;
    if (m) {
      const at = Date.parse(m[1]);
      sent.push([at, Date.now() - at]);
    }
  });
  await scheduler.start();
  // Measured from the first whole second after a warm-up, for SECONDS seconds: the first
  // seconds open a thousand connections and compile the hot paths (reported on their own).
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const from = Math.ceil(Date.now() / 1000) * 1000;
  const loadBefore = os.loadavg()[0];
  // How late this process's own timers fire: on a machine shared with other work, lateness
  // that is not the scheduler's shows up here.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // Garbage collection pauses, by when they started: the ones inside a second's burst of sends
  // are part of that second's lateness.
  const gcPauses: Array<[number, number]> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push([performance.timeOrigin + e.startTime, e.duration]);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let peakRss = 0;
  const rss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  await new Promise((r) => setTimeout(r, from + SECONDS * 1000 - Date.now()));
  const to = from + SECONDS * 1000; // slots in [from, to)
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  clearInterval(rss);
  loopDelay.disable();
  gcObserver.disconnect();
  await scheduler.stop();

  const rows = await store.listOccurrences({ limit: 100_000 });
  const inWindow = rows.filter(
    (r) => r.scheduledAt.getTime() >= from && r.scheduledAt.getTime() < to && r.trigger === 'schedule',
  );
  const succeeded = inWindow.filter((r) => r.status === 'succeeded');
  const perSecond = new Map<number, number>();
  for (const r of succeeded) perSecond.set(r.scheduledAt.getTime(), (perSecond.get(r.scheduledAt.getTime()) ?? 0) + 1);
  const counts = [...perSecond.values()].sort((a, b) => a - b);
  const report = (await (await fetch(`http://127.0.0.1:${port}/report`)).json()) as {
    lateness: Array<[number, number]>;
    duplicates: number;
  };
  target.kill();
  const lateSent = sent
    .filter(([at]) => at >= from && at < to)
    .map(([, ms]) => ms)
    .sort((a, b) => a - b);
  const late = report.lateness
    .filter(([at]) => at >= from && at < to)
    .map(([, ms]) => ms)
    .sort((a, b) => a - b);
  if (process.env.PLOY_BENCH_DEBUG) {
    const bySecond = new Map<number, number[]>();
    for (const [at, ms] of report.lateness) bySecond.set(at, [...(bySecond.get(at) ?? []), ms]);
    for (const [at, ms] of [...bySecond].sort((a, b) => a[0] - b[0]))
      console.log(new Date(at).toISOString(), ms.length, Math.max(...ms));
  }
  const expected = JOBS * SECONDS;
  const notOk = inWindow.filter((r) => r.status !== 'succeeded');
  const recordedAt = new Map<number, number>();
  for (const r of inWindow) recordedAt.set(r.scheduledAt.getTime(), (recordedAt.get(r.scheduledAt.getTime()) ?? 0) + 1);
  const short = Array.from({ length: SECONDS }, (_, i) => from + i * 1000).filter((t) => (recordedAt.get(t) ?? 0) < JOBS);

  console.log(
    `ploy scheduler benchmark: ${JOBS} http jobs @every 1s for ${SECONDS} s, store ${pg ? pg.describe : 'embedded PGlite'}`,
  );
  console.log(
    `command: npm run bench:jobs -- --jobs ${JOBS} --seconds ${SECONDS} --warmup ${WARMUP} --store ${args.store} --pool ${args.pool}${args['claim-ahead'] ? ` --claim-ahead ${args['claim-ahead']}` : ''}`,
  );
  console.log(
    `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), node ${process.version}; load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end`,
  );
  console.log(
    `engine event-loop delay: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
  );
  console.log(
    `lateness (scheduled → request sent), ${lateSent.length} requests in the window: p50 ${pct(lateSent, 50)} ms, p99 ${pct(lateSent, 99)} ms, max ${lateSent[lateSent.length - 1]} ms (target: p99 < 100 ms)`,
  );
  const warm = sent.filter(([at]) => at < from).map(([, ms]) => ms);
  console.log(
    `warm-up (the ${WARMUP} s before the window, not in the lateness figures): ${warm.length} requests sent, lateness max ${warm.length ? Math.max(...warm) : 0} ms`,
  );
  const burst = pct(lateSent, 99) ?? 0;
  const inBurst = gcPauses.filter(([at]) => at >= from && at < to && at % 1000 < burst);
  const gcTotal = gcPauses.filter(([at]) => at >= from && at < to).reduce((a, [, d]) => a + d, 0);
  console.log(
    `garbage collection: ${(gcTotal / SECONDS).toFixed(0)} ms a second, of which ${(inBurst.reduce((a, [, d]) => a + d, 0) / SECONDS).toFixed(0)} ms inside the sends' burst (the first ${burst} ms of each second: p99 lateness)`,
  );
  console.log(
    `lateness (scheduled → request received by the target), ${late.length} requests in the window: p50 ${pct(late, 50)} ms, p99 ${pct(late, 99)} ms, max ${late[late.length - 1]} ms`,
  );
  console.log(
    `slots in the window: ${expected} expected, ${inWindow.length} recorded, ${succeeded.length} succeeded, ${expected - inWindow.length} lost; not succeeded: ${notOk.length}${notOk.length ? ` (${[...new Set(notOk.map((r) => `${r.status}: ${r.reason}`))].slice(0, 3).join('; ')})` : ''}`,
  );
  if (short.length) {
    const list = short.map((t) => `${new Date(t).toISOString()} (${recordedAt.get(t) ?? 0})`);
    console.log(`seconds with slots unrecorded: ${list.join(', ')}`);
  }
  console.log(
    `runs recorded per second: min ${counts[0] ?? 0}, median ${pct(counts, 50) ?? 0}, max ${counts[counts.length - 1] ?? 0} (${JOBS} due each second)`,
  );
  for (const [name, xs] of Object.entries(statements)) {
    const ms = xs.filter((_, i) => i % 2 === 0).sort((a, b) => a - b);
    const rows = xs.filter((_, i) => i % 2 === 1);
    console.log(
      `${name} statements: ${ms.length}, rows per statement avg ${(rows.reduce((a, b) => a + b, 0) / Math.max(1, rows.length)).toFixed(0)}, time p50 ${pct(ms, 50)?.toFixed(1)} ms, p99 ${pct(ms, 99)?.toFixed(1)} ms`,
    );
  }
  console.log(`duplicate requests for one (job, time): ${report.duplicates}`);
  console.log(
    `engine process: CPU ${((100 * (cpu.user + cpu.system)) / 1000 / wall).toFixed(0)}% of one core (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s over ${(wall / 1000).toFixed(1)} s), peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (includes ${pg ? 'postgres.js' : 'PGlite'})`,
  );
  console.log(`total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await store.close();
  await pg?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
