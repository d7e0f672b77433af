import { describe, expect, it } from 'vitest';
import { systemClock } from '../../adapters/system-clock.js';
import { HostSlots } from './host-slots.js';
import { timerScheduler } from './scheduler.js';
import { targetHost } from './target-host.js';
import { Sensitive } from '../../model/sensitive.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('HostSlots', () => {
  it('starts at most the limit per host, hands a freed slot to the next in line, and lets a waiter leave', () => {
    const slots = new HostSlots(2);
    const started: string[] = [];
    slots.request('a', () => started.push('a1'));
    slots.request('a', () => started.push('a2'));
    slots.request('a', () => started.push('a3'));
    const leave = slots.request('a', () => started.push('a4'));
    slots.request('b', () => started.push('b1'));
    expect(started).toEqual(['a1', 'a2', 'b1']);
    expect([slots.inFlight('a'), slots.waiting('a')]).toEqual([2, 2]);
    leave();
    slots.release('a');
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    slots.release('a');
    slots.release('a');
    expect([slots.inFlight('a'), slots.waiting('a')]).toEqual([0, 0]);
    expect(started).not.toContain('a4');
  });
});

describe('timerScheduler with a per-host limit', () => {
  it('counts a slot spent waiting for the host as skipped and measures lag from the slot the check serves', async () => {
    const scheduler = timerScheduler(systemClock, { perHostLimit: 1 });
    const host = { key: 'slow.example', label: 'slow.example' };
    const served: Array<{ name: string; lag: number }> = [];
    // Each check holds the only slot for 250 ms; two monitors every 100 ms cannot both keep up.
    const run = (name: string) => async (at: Date) => {
      served.push({ name, lag: Date.now() - at.getTime() });
      await sleep(250);
    };
    const stops = ['m1', 'm2'].map((n) => scheduler.every(n, 100, run(n), { host }));
    await sleep(1000);
    const stats = scheduler.stats();
    stops.forEach((s) => s());
    expect(stats.skippedHostBusy).toBeGreaterThan(0);
    expect(stats.skipped).toBe((stats.skippedHostBusy ?? 0) + (stats.skippedOverrun ?? 0));
    expect(stats.hosts).toEqual([expect.objectContaining({ host: 'slow.example', limit: 1, skipped: stats.skippedHostBusy })]);
    // A waiting check serves the newest slot it waited through: its lag stays below one interval.
    for (const s of served) expect(s.lag).toBeLessThan(100 + 50);
    expect(served.some((s) => s.lag > 10)).toBe(true);
  });

  it('leaves unrelated hosts and host-less monitors on their interval', async () => {
    const scheduler = timerScheduler(systemClock, { perHostLimit: 1 });
    let fast = 0;
    let free = 0;
    const stops = [
      scheduler.every('hog', 50, () => sleep(10_000), { host: { key: 'hog', label: 'hog' } }),
      scheduler.every('hog-2', 50, () => sleep(10_000), { host: { key: 'hog', label: 'hog' } }),
      scheduler.every('fast', 50, async () => void fast++, { host: { key: 'fast', label: 'fast' } }),
      scheduler.every('free', 50, async () => void free++),
    ];
    await sleep(600);
    const hosts = scheduler.stats().hosts;
    stops.forEach((s) => s());
    expect(fast).toBeGreaterThanOrEqual(9);
    expect(free).toBeGreaterThanOrEqual(9);
    expect(hosts?.map((h) => [h.host, h.inFlight, h.waiting])).toEqual([['hog', 1, 1]]);
    // A host nobody monitors any more is forgotten.
    expect(scheduler.stats().hosts).toEqual([]);
  });
});

describe('targetHost', () => {
  it('names the host each probe talks to, without port and case', () => {
    expect(targetHost('http', { url: 'https://API.example.com:8443/x' })?.key).toBe('api.example.com');
    expect(targetHost('http', { app: 'web', port: 80 })?.key).toBe('app:web');
    expect(targetHost('tcp', { host: 'db', port: 5432 })?.key).toBe('db');
    expect(targetHost('dns', { name: 'x', server: '127.0.0.1:5353' })?.key).toBe('127.0.0.1');
    expect(targetHost('dns', { name: 'x', server: '[::1]:53' })?.key).toBe('::1');
    expect(targetHost('ping', { host: '10.0.0.1' })?.key).toBe('10.0.0.1');
    expect(targetHost('push', { grace: '1h' })).toBeUndefined();
  });

  it('labels a host that came from a secret with a digest, never the host', () => {
    const t = targetHost('http', { url: new Sensitive('https://hidden.internal/', '${secret:URL}', ['URL']) });
    expect(t?.key).toBe('hidden.internal');
    expect(t?.label).toMatch(/^secret:[0-9a-f]{12}$/);
  });
});
