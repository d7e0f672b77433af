import { describe, expect, it } from 'vitest';
import type { Heartbeat } from '../../ports/monitor-store.js';
import { HeartbeatWriter } from './heartbeat-writer.js';

const beat = (i: number): Heartbeat => ({ monitor: 'm', at: new Date(i), ok: true });

/** A store whose database can be switched off and on. */
function flakyStore() {
  const rows: number[] = [];
  const batches: number[] = [];
  return {
    rows,
    batches,
    up: true,
    async recordHeartbeats(beats: readonly Heartbeat[]) {
      if (!this.up) throw new Error('connection refused');
      batches.push(beats.length);
      rows.push(...beats.map((b) => b.at.getTime()));
    },
  };
}

describe('the heartbeat writer', () => {
  it('writes in batches of its batch size', async () => {
    const store = flakyStore();
    const writer = new HeartbeatWriter(store, { batchSize: 100, flushMs: 60_000 });
    for (let i = 0; i < 250; i++) writer.add(beat(i));
    await writer.stop();
    expect(store.batches).toEqual([100, 100, 50]);
    expect(store.rows).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('buffers while the database is unavailable and flushes in order when it returns', async () => {
    const store = flakyStore();
    const writer = new HeartbeatWriter(store, { batchSize: 10, flushMs: 60_000 });
    store.up = false;
    for (let i = 0; i < 35; i++) writer.add(beat(i));
    await writer.flush();
    expect(writer.buffered).toBe(35);
    store.up = true;
    await writer.flush();
    expect(writer.buffered).toBe(0);
    expect(store.rows).toEqual(Array.from({ length: 35 }, (_, i) => i));
    await writer.stop();
  });

  it('keeps memory bounded: past its limit the oldest heartbeats are dropped and counted', async () => {
    const store = flakyStore();
    store.up = false;
    const writer = new HeartbeatWriter(store, { batchSize: 10, flushMs: 60_000, maxBuffered: 20 });
    for (let i = 0; i < 50; i++) writer.add(beat(i));
    expect(writer.buffered).toBe(20);
    expect(writer.dropped).toBe(30);
    store.up = true;
    await writer.stop();
    expect(store.rows).toEqual(Array.from({ length: 20 }, (_, i) => 30 + i));
  });
});
