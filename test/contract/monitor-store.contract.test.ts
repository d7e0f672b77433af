import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/adapters/store/open-store.js';
import type { Heartbeat } from '../../engine/ports/monitor-store.js';
import type { Store } from '../../engine/ports/store.js';
import { storeTargets } from '../support/store-targets.js';

const targets = storeTargets('ploy-monitor-store');

const t0 = new Date('2026-03-01T00:00:00.000Z');
const H = 3_600_000;
const at = (ms: number) => new Date(t0.getTime() + ms);
let seq = 0;
const unique = (base: string) => `${base}-${++seq}`;

describe.each(targets)('the $name monitor store', (target) => {
  let where: { url: string; embeddedDir: string };
  let store: Store;

  beforeAll(async () => {
    if (target.unavailable) return;
    where = await target.fresh();
    store = await openStore(where.url, where);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach((ctx) => {
    if (target.unavailable) ctx.skip(target.unavailable);
  });

  it('stores a batch of heartbeats in order with their resolved conditions', async () => {
    const m = unique('api');
    const beats: Heartbeat[] = [
      { monitor: m, at: at(0), ok: true, latencyMs: 12.5, status: '200' },
      {
        monitor: m,
        at: at(1000),
        ok: false,
        latencyMs: 40,
        status: '503',
        conditions: [{ condition: '[STATUS] == 200', success: false, resolved: '[STATUS] (503) == 200' }],
        error: 'condition failed',
      },
    ];
    await store.recordHeartbeats(beats);
    const got = await store.listHeartbeats(m);
    expect(got.map(({ id: _id, ...b }) => b)).toEqual([
      { ...beats[1] },
      { monitor: m, at: at(0), ok: true, latencyMs: 12.5, status: '200', conditions: undefined, error: undefined },
    ]);
  });

  it('rolls up complete hours and days with checks, successes and latency percentiles, idempotently', async () => {
    const m = unique('roll');
    // 100 checks in hour 0 with latencies 1..100 ms, one in four failing; 10 in hour 1.
    const beats: Heartbeat[] = Array.from({ length: 100 }, (_, i) => ({
      monitor: m,
      at: at(i * 30_000),
      ok: i % 4 !== 0,
      latencyMs: i + 1,
    }));
    for (let i = 0; i < 10; i++) beats.push({ monitor: m, at: at(H + i * 1000), ok: true, latencyMs: 5 });
    await store.recordHeartbeats(beats);
    expect(await store.rollUpHeartbeats('hour', at(0), at(2 * H))).toBeGreaterThanOrEqual(2);
    await store.rollUpHeartbeats('hour', at(0), at(2 * H));
    const hours = await store.listRollups(m, 'hour');
    expect(hours).toHaveLength(2);
    const h0 = hours.find((h) => h.bucketStart.getTime() === t0.getTime())!;
    expect(h0).toMatchObject({ checks: 100, successes: 75 });
    expect(h0.latencyP50).toBeCloseTo(50.5, 5);
    expect(h0.latencyP95).toBeCloseTo(95.05, 5);
    expect(h0.latencyP99).toBeCloseTo(99.01, 5);
    await store.rollUpHeartbeats('day', at(0), at(24 * H));
    const [day] = await store.listRollups(m, 'day');
    expect(day).toMatchObject({ bucket: 'day', bucketStart: t0, checks: 110, successes: 85 });
  });

  it('computes uptime over 24 h, 30 d and 365 d from rollups plus raw rows not yet rolled up', async () => {
    const m = unique('uptime');
    const now = at(400 * 24 * H);
    const beats: Heartbeat[] = [
      // 300 days ago: 10 checks, all failed (only in the 365 d window)
      ...Array.from({ length: 10 }, (_, i) => ({ monitor: m, at: new Date(now.getTime() - 300 * 24 * H + i), ok: false })),
      // 10 days ago: 10 checks, all passed
      ...Array.from({ length: 10 }, (_, i) => ({ monitor: m, at: new Date(now.getTime() - 10 * 24 * H + i), ok: true })),
      // 2 hours ago: 1 failed, 3 passed
      ...[false, true, true, true].map((ok, i) => ({ monitor: m, at: new Date(now.getTime() - 2 * H + i), ok })),
    ];
    await store.recordHeartbeats(beats);
    const rolledUntil = new Date(now.getTime() - 3 * H);
    await store.rollUpHeartbeats('hour', new Date(now.getTime() - 366 * 24 * H), rolledUntil);
    // Rolled-up raw rows may be deleted without changing the answer.
    await store.pruneHeartbeats({ rawBefore: rolledUntil, rollupsBefore: new Date(now.getTime() - 366 * 24 * H) });
    const up = await store.uptime(m, now, rolledUntil);
    expect(up['24h']).toBeCloseTo(3 / 4, 5);
    expect(up['30d']).toBeCloseTo(13 / 14, 5);
    expect(up['365d']).toBeCloseTo(13 / 24, 5);
    expect(await store.uptime(unique('none'), now, rolledUntil)).toEqual({ '24h': null, '30d': null, '365d': null });
  });

  it('prunes raw heartbeats past retention and rollups past a year', async () => {
    const m = unique('prune');
    await store.recordHeartbeats([
      { monitor: m, at: at(0), ok: true },
      { monitor: m, at: at(40 * 24 * H), ok: true },
    ]);
    await store.rollUpHeartbeats('hour', at(0), at(H));
    const pruned = await store.pruneHeartbeats({ rawBefore: at(10 * 24 * H), rollupsBefore: at(1) });
    expect(pruned.heartbeats).toBeGreaterThanOrEqual(1);
    expect(pruned.rollups).toBeGreaterThanOrEqual(1);
    expect((await store.listHeartbeats(m)).map((b) => b.at)).toEqual([at(40 * 24 * H)]);
    expect(await store.listRollups(m, 'hour')).toEqual([]);
  });

  it('keeps monitor state across a reopen, and a push never moves back in time', async () => {
    const m = unique('state');
    await store.putMonitorState({
      monitor: m,
      state: 'down',
      since: at(5000),
      consecutiveFailures: 3,
      consecutiveSuccesses: 0,
      lastResult: { monitor: m, at: at(5000), ok: false, error: 'connection refused' },
      lastNotifiedAt: at(5000),
    });
    await store.recordPush(m, at(9000));
    await store.recordPush(m, at(7000));
    await store.close();
    store = await openStore(where.url, where);
    const state = (await store.listMonitorStates()).find((s) => s.monitor === m);
    expect(state).toEqual({
      monitor: m,
      state: 'down',
      since: at(5000),
      consecutiveFailures: 3,
      consecutiveSuccesses: 0,
      lastResult: { monitor: m, at: at(5000), ok: false, error: 'connection refused' },
      lastNotifiedAt: at(5000),
      lastPushAt: at(9000),
    });
    await store.deleteMonitorState(m);
    expect((await store.listMonitorStates()).some((s) => s.monitor === m)).toBe(false);
  });

  it('records deliveries, one per channel and event, with attempts and errors', async () => {
    const event = await store.recordEvent({ type: 'monitor.down', resource: 'Monitor/x', message: 'down', at: at(0) });
    const channel = unique('ops');
    const d = await store.startDelivery({ notification: channel, eventId: event.id, at: at(0) });
    const again = await store.startDelivery({ notification: channel, eventId: event.id, at: at(0) });
    expect(again.id).toBe(d.id);
    expect((await store.unfinishedDeliveries()).map((u) => u.id)).toContain(d.id);
    await store.updateDelivery(d.id, { status: 'retrying', attempts: 1, error: 'HTTP 500', nextAttemptAt: at(2000) });
    await store.updateDelivery(d.id, { status: 'delivered', attempts: 2, deliveredAt: at(2100) });
    const [got] = await store.listDeliveries({ notification: channel });
    expect(got).toMatchObject({ status: 'delivered', attempts: 2, error: null, deliveredAt: at(2100), eventId: event.id });
    expect((await store.unfinishedDeliveries()).map((u) => u.id)).not.toContain(d.id);
    const test = await store.startDelivery({ notification: channel, eventId: null, at: at(1) });
    expect(test.eventId).toBeNull();
  });
});
