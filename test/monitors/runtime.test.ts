import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import type { Store } from '../../engine/ports/store.js';
import { recordedEvents } from '../../engine/runtime/recorded-events.js';
import { MonitorRuntime } from '../../engine/runtime/monitors/monitor-runtime.js';
import { pushToken } from '../../engine/runtime/monitors/push-token.js';
import type { MonitorScheduler } from '../../engine/runtime/monitors/scheduler.js';
import { markApplied } from '../support/applied.js';
import { makeDir, seedEmbeddedStore } from '../support/cli.js';
import { FakeClock } from '../support/fake-clock.js';

/** Schedules nothing by itself: tests run checks with checkNow(), on a fake clock. */
const manualScheduler = (): MonitorScheduler & { names: Set<string> } => {
  const names = new Set<string>();
  return {
    names,
    every(name) {
      names.add(name);
      return () => names.delete(name);
    },
    stats: () => ({ started: 0, skipped: 0, lagP50Ms: 0, lagP99Ms: 0, lagMaxMs: 0 }),
  };
};

let status = 200;
let url: string;
let server: http.Server;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(status).end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // Creates the store template once (initdb), so no single test pays for it.
  await seedEmbeddedStore(join(await makeDir({}), '.ploy'));
});
afterAll(() => new Promise((r) => server.close(r)));

let dir: string;
let store: Store;
let runtimes: MonitorRuntime[] = [];
afterEach(async () => {
  for (const r of runtimes) await r.stop();
  runtimes = [];
  await store?.close();
});

async function setup(monitors: Array<{ name: string; spec: Record<string, unknown> }>) {
  status = 200;
  dir = join(await makeDir({}), '.ploy');
  await seedEmbeddedStore(dir);
  store = await openStore('embedded', { embeddedDir: dir });
  await markApplied(
    store,
    monitors.map((m) => ({ kind: 'Monitor' as const, ...m })),
  );
}

async function start(clock: FakeClock) {
  const runtime = new MonitorRuntime({
    store,
    clock,
    events: recordedEvents(store, clock),
    log: pino({ level: 'silent' }),
    scheduler: manualScheduler(),
    housekeepingMs: 0,
  });
  await runtime.start();
  runtimes.push(runtime);
  return runtime;
}

const events = async (type?: string) => (await store.listEvents({ type, limit: 100 })).reverse();

describe('the monitor runtime', () => {
  it('goes down after the failure threshold with the failing conditions, survives a restart, and comes back up', async () => {
    await setup([
      { name: 'api', spec: { http: { url }, conditions: ['[STATUS] == 200'], failureThreshold: 2, successThreshold: 2 } },
    ]);
    const clock = new FakeClock();
    let runtime = await start(clock);
    await runtime.checkNow('api');
    status = 503;
    await runtime.checkNow('api');
    expect(await events()).toEqual([]);
    await runtime.checkNow('api');
    const [down] = await events('monitor.down');
    expect(down).toMatchObject({
      resource: 'Monitor/api',
      message: 'Monitor api is DOWN: [STATUS] (503) == 200',
      data: { monitor: 'api', kind: 'change', failing: ['[STATUS] (503) == 200'] },
    });

    // A restart: the new runtime resumes DOWN from the store and does not alert again.
    await runtime.stop();
    runtime = await start(clock);
    expect(runtime.state('api')).toMatchObject({ state: 'down', lastResult: { ok: false, status: '503' } });
    clock.advance(60_000);
    await runtime.checkNow('api');
    expect(await events('monitor.down')).toHaveLength(1);

    status = 200;
    await runtime.checkNow('api');
    clock.advance(60_000);
    await runtime.checkNow('api');
    const [up] = await events('monitor.up');
    expect(up.message).toBe('Monitor api is UP again after 2m down');
    await runtime.heartbeats.flush();
    const beats = await store.listHeartbeats('api');
    expect(beats.map((b) => b.ok)).toEqual([true, true, false, false, false, true]);
    expect(beats[2].conditions).toEqual([{ condition: '[STATUS] == 200', success: false, resolved: '[STATUS] (503) == 200' }]);
    expect((await runtime.uptime('api'))['24h']).toBeCloseTo(3 / 6, 5);
  });

  it('reminds while down every reminderInterval', async () => {
    await setup([{ name: 'api', spec: { http: { url }, failureThreshold: 1, reminderInterval: '1h' } }]);
    status = 500;
    const clock = new FakeClock();
    const runtime = await start(clock);
    for (let i = 0; i < 7; i++) {
      await runtime.checkNow('api');
      clock.advance(20 * 60_000);
    }
    const downs = await events('monitor.down');
    expect(downs.map((e) => (e.data as { kind: string }).kind)).toEqual(['change', 'reminder', 'reminder']);
    expect(downs[1].message).toBe('Monitor api is still DOWN (for 1h): HTTP 500');
  });

  it("holds back a child's alerts while the monitor it depends on is down, still recording its results", async () => {
    await setup([
      { name: 'db', spec: { http: { url }, failureThreshold: 1 } },
      { name: 'api', spec: { http: { url }, failureThreshold: 1, dependsOn: ['db'] } },
    ]);
    status = 500;
    const runtime = await start(new FakeClock());
    await runtime.checkNow('db');
    await runtime.checkNow('api');
    const downs = await events('monitor.down');
    expect(downs.map((e) => [e.resource, (e.data as { suppressed?: string }).suppressed])).toEqual([
      ['Monitor/db', undefined],
      ['Monitor/api', 'dependency'],
    ]);
    await runtime.heartbeats.flush();
    expect(await store.listHeartbeats('api')).toHaveLength(1);
  });

  it('records results without alerting in a maintenance window, and alerts when it ends', async () => {
    await setup([
      {
        name: 'api',
        spec: {
          http: { url },
          failureThreshold: 1,
          maintenance: [{ schedule: '0 3 * * *', duration: '2h', timezone: 'Europe/Berlin' }],
        },
      },
    ]);
    status = 500;
    // 03:30 in Berlin (winter, UTC+1) is 02:30 UTC.
    const clock = new FakeClock(new Date('2026-03-01T02:30:00Z'));
    const runtime = await start(clock);
    await runtime.checkNow('api');
    clock.set(new Date('2026-03-01T03:55:00Z'));
    await runtime.checkNow('api');
    expect((await events('monitor.down')).map((e) => (e.data as { suppressed?: string }).suppressed)).toEqual(['maintenance']);
    clock.set(new Date('2026-03-01T04:05:00Z'));
    await runtime.checkNow('api');
    const downs = await events('monitor.down');
    expect(downs.map((e) => (e.data as { kind: string; suppressed?: string }).kind)).toEqual(['change', 'released']);
    expect((downs[1].data as { suppressed?: string }).suppressed).toBeUndefined();
  });

  it('a push monitor goes down after its grace on a fake clock, and a push with its token brings it back', async () => {
    await setup([{ name: 'nightly', spec: { push: { grace: '10m' }, failureThreshold: 1, successThreshold: 1 } }]);
    const clock = new FakeClock();
    const runtime = await start(clock);
    await runtime.checkNow('nightly');
    expect(runtime.state('nightly')?.state).toBe('up');
    clock.advance(11 * 60_000);
    await runtime.checkNow('nightly');
    const [down] = await events('monitor.down');
    expect(down.message).toBe('Monitor nightly is DOWN: no push within 10m');

    expect(await runtime.push('nightly', 'wrong-token')).toBe('forbidden');
    expect(await runtime.push('other', 'x')).toBe('unknown-monitor');
    const token = pushToken(await store.secretKey(), 'nightly');
    expect(await runtime.push('nightly', token)).toBe('accepted');
    expect(runtime.state('nightly')?.state).toBe('up');
    expect(await events('monitor.up')).toHaveLength(1);

    // The push is persisted: after a restart the grace counts from it, not from the restart.
    await runtime.stop();
    clock.advance(9 * 60_000);
    const again = await start(clock);
    expect((await again.checkNow('nightly'))?.ok).toBe(true);
    clock.advance(2 * 60_000);
    expect((await again.checkNow('nightly'))?.ok).toBe(false);

    // A push that reports a failure is a failed check with the caller's message.
    expect(await again.push('nightly', token, { ok: false, message: 'backup failed: disk full' })).toBe('accepted');
    await again.heartbeats.flush();
    expect((await store.listHeartbeats('nightly', { limit: 1 }))[0]).toMatchObject({
      ok: false,
      error: 'backup failed: disk full',
    });
  });

  it('never runs two checks of one monitor at once', async () => {
    await setup([{ name: 'api', spec: { http: { url } } }]);
    const runtime = await start(new FakeClock());
    const [a, b] = await Promise.all([runtime.checkNow('api'), runtime.checkNow('api')]);
    expect(a).toBe(b);
    expect(runtime.checks).toBe(1);
  });

  it('stops monitors removed from the applied state and forgets their state', async () => {
    await setup([{ name: 'api', spec: { http: { url } } }]);
    const runtime = await start(new FakeClock());
    await runtime.checkNow('api');
    expect(runtime.names()).toEqual(['api']);
    await markApplied(store, [{ kind: 'Monitor', name: 'web', spec: { http: { url } } }]);
    await store.recordChangeResult(
      (
        await store.startApply({
          planId: (await store.listPlans({ limit: 1 }))[0].id,
          revisionId: null,
          trigger: 't',
          startedAt: new Date(),
        })
      ).id,
      { kind: 'Monitor', name: 'api', action: 'delete', status: 'succeeded', startedAt: new Date(), finishedAt: new Date() },
      { remove: { kind: 'Monitor', name: 'api' } },
    );
    await runtime.refresh();
    expect(runtime.names()).toEqual(['web']);
    expect((await store.listMonitorStates()).map((s) => s.monitor)).not.toContain('api');
  });
});
