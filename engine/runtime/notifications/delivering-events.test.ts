import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { StoreUnavailableError, type EventRecord, type Store } from '../../ports/store.js';
import { deliveringEvents } from './delivering-events.js';
import type { NotificationDispatcher } from './dispatcher.js';

/** A store whose recordEvent fails with a store fault while `down`. */
function flakyStore() {
  const recorded: EventRecord[] = [];
  const state = { down: false };
  const store = {
    async recordEvent(e: Omit<EventRecord, 'id'>) {
      if (state.down) throw new StoreUnavailableError('the store at postgres://… is unavailable: connect ECONNREFUSED');
      const r = { ...e, id: recorded.length + 1 } as EventRecord;
      recorded.push(r);
      return r;
    },
  } as unknown as Store;
  return { store, recorded, state };
}

describe('deliveringEvents', () => {
  it('holds events while the store is away and records and delivers them, in order and with their time, when it answers', async () => {
    const clock = new FakeClock();
    const { store, recorded, state } = flakyStore();
    const dispatched: number[] = [];
    const dispatcher = { dispatch: (r: EventRecord) => dispatched.push(r.id) } as unknown as NotificationDispatcher;
    const events = deliveringEvents(store, clock, dispatcher, { retryMs: 60_000 });
    state.down = true;
    const downAt = clock.now();
    await events.emit({ type: 'monitor.down', resource: 'Monitor/a', message: 'a is DOWN' });
    clock.advance(1_000);
    state.down = false;
    // The store answers again, but the held event goes first.
    await events.emit({ type: 'monitor.up', resource: 'Monitor/a', message: 'a is UP' });
    expect(recorded).toEqual([]);
    expect(events.pending).toBe(2);
    await events.stop();
    expect(recorded.map((r) => r.type)).toEqual(['monitor.down', 'monitor.up']);
    expect(recorded[0].at).toEqual(downAt);
    expect(dispatched).toEqual([1, 2]);
    expect(events.pending).toBe(0);
  });

  it('drops the oldest past its bound, and counts them', async () => {
    const { store, state } = flakyStore();
    const events = deliveringEvents(store, new FakeClock(), { dispatch() {} } as unknown as NotificationDispatcher, {
      maxPending: 2,
      retryMs: 60_000,
    });
    state.down = true;
    for (const m of ['1', '2', '3']) await events.emit({ type: 'job.failed', message: m });
    expect([events.pending, events.dropped]).toEqual([2, 1]);
  });

  it('throws what is not a store fault to the emitter', async () => {
    const store = { recordEvent: async () => Promise.reject(new Error('value too long')) } as unknown as Store;
    const events = deliveringEvents(store, new FakeClock(), { dispatch() {} } as unknown as NotificationDispatcher);
    await expect(events.emit({ type: 'job.failed', message: 'x' })).rejects.toThrow('value too long');
    await events.stop();
  });
});
