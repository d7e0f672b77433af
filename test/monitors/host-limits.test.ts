import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoreWithReadModel } from '../../engine/adapters/store/open-read-model.js';
import { systemClock } from '../../engine/adapters/system-clock.js';
import { createMetrics } from '../../engine/api/metrics.js';
import { MonitorRuntime } from '../../engine/runtime/monitors/monitor-runtime.js';
import { type MonitorScheduler, timerScheduler } from '../../engine/runtime/monitors/scheduler.js';
import { markApplied } from '../support/applied.js';
import { makeDir, seedEmbeddedStore } from '../support/cli.js';

// A host that accepts connections and never answers (127.0.0.2), and a healthy one (127.0.0.1).
let blackHole: net.Server;
let accepted = 0;
let healthy: http.Server;
const hits = new Map<string, number[]>();
beforeAll(async () => {
  blackHole = net.createServer((socket) => {
    accepted++;
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.2', r));
  healthy = http.createServer((req, res) => {
    hits.set(req.url ?? '', [...(hits.get(req.url ?? '') ?? []), Date.now()]);
    res.end('ok');
  });
  await new Promise<void>((r) => healthy.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  blackHole.close();
  healthy.closeAllConnections();
  await new Promise((r) => healthy.close(r));
});

describe('per-host concurrency limits', () => {
  it('keeps a black-holed host within its limit while monitors of a healthy host keep their interval', async () => {
    const holePort = (blackHole.address() as AddressInfo).port;
    const okPort = (healthy.address() as AddressInfo).port;
    const holed = Array.from({ length: 30 }, (_, i) => ({
      name: `hole-${i}`,
      spec: { http: { url: `http://127.0.0.2:${holePort}/${i}` }, interval: '300ms', timeout: '2s' },
    }));
    const fine = Array.from({ length: 4 }, (_, i) => ({
      name: `fine-${i}`,
      spec: { http: { url: `http://127.0.0.1:${okPort}/fine-${i}` }, interval: '200ms', timeout: '2s' },
    }));
    const dir = join(await makeDir({}), '.ploy');
    await seedEmbeddedStore(dir);
    const { store, readModel } = await openStoreWithReadModel('embedded', { embeddedDir: dir });
    await markApplied(
      store,
      [...holed, ...fine].map((m) => ({ kind: 'Monitor' as const, ...m })),
    );

    // The real scheduler, wrapped only to see each start's lag per monitor.
    const inner = timerScheduler(systemClock, { perHostLimit: 4 });
    const lags = new Map<string, number[]>();
    let holeChecks = 0;
    let maxHoleChecks = 0;
    const scheduler: MonitorScheduler = {
      every: (name, ms, run, opts) =>
        inner.every(
          name,
          ms,
          (at) => {
            lags.set(name, [...(lags.get(name) ?? []), Date.now() - at.getTime()]);
            if (!name.startsWith('hole-')) return run(at);
            maxHoleChecks = Math.max(maxHoleChecks, ++holeChecks);
            return run(at).finally(() => holeChecks--);
          },
          opts,
        ),
      stats: () => inner.stats(),
    };
    const runtime = new MonitorRuntime({
      store,
      clock: systemClock,
      events: { emit: async () => undefined },
      log: pino({ level: 'silent' }),
      scheduler,
      housekeepingMs: 0,
    });
    await runtime.start();
    const seconds = 3;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const stats = runtime.stats();
    const metrics = await createMetrics({ store, readModel, version: 'test', monitorStats: () => stats }).render();
    await runtime.stop();
    await store.close();

    // The limit holds: never more than 4 checks of the dead host at once, and it was saturated.
    expect(maxHoleChecks).toBe(4);
    expect(accepted).toBeGreaterThanOrEqual(4);
    // The healthy host kept its schedule: every slot served, promptly, with 200 ms between checks.
    for (const m of fine) {
      const times = hits.get(`/${m.name}`) ?? [];
      expect(times.length).toBeGreaterThanOrEqual((seconds * 1000) / 200 - 2);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      expect(Math.max(...gaps)).toBeLessThan(200 + 200);
      expect(Math.max(...(lags.get(m.name) ?? [Infinity]))).toBeLessThan(150);
    }
    // Waiting is recorded, not hidden: skipped slots and the dead host's own figures.
    expect(stats.skippedHostBusy).toBeGreaterThan(30);
    expect(stats.skipped).toBe((stats.skippedOverrun ?? 0) + (stats.skippedHostBusy ?? 0));
    const hosts = stats.hosts ?? [];
    expect(hosts.map((h) => h.host)).toEqual(['127.0.0.2']);
    expect(hosts[0]).toMatchObject({ limit: 4, inFlight: 4 });
    expect(hosts[0].waiting).toBeGreaterThan(0);
    expect(hosts[0].skipped).toBe(stats.skippedHostBusy);
    // A check that waited started late, and its lag says so (it serves the newest slot it waited through).
    expect(hosts[0].lagMaxMs).toBeGreaterThan(100);
    expect(hosts[0].lagMaxMs).toBeLessThan(300 + 100);
    // …and /metrics exports it, for the saturated host only.
    expect(metrics).toContain('ploy_monitor_host_limit 4');
    expect(metrics).toContain('ploy_monitor_host_checks_in_flight{host="127.0.0.2"} 4');
    expect(metrics).toContain(`ploy_monitor_schedule_skipped_host_busy_total ${stats.skippedHostBusy}`);
    expect(metrics).toMatch(/^ploy_monitor_host_schedule_lag_seconds\{host="127\.0\.0\.2",quantile="0\.99"\} [\d.]+$/m);
    expect(metrics).not.toContain('host="127.0.0.1"');
  }, 30_000);
});
