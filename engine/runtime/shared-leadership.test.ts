import { describe, expect, it } from 'vitest';
import type { Leadership, LeadershipHandlers } from '../ports/leadership.js';
import { SharedLeadership } from './shared-leadership.js';

/** A Leadership the test elects and deposes by hand, counting campaigns and releases. */
function manual() {
  let handlers: LeadershipHandlers | undefined;
  const counts = { started: 0, stopped: 0 };
  const inner: Leadership = {
    start(h) {
      counts.started++;
      handlers = h;
    },
    async stop() {
      counts.stopped++;
    },
  };
  return { inner, counts, elect: (e: number) => handlers!.onElected(e), depose: (r: string) => handlers!.onDeposed(r) };
}

describe('SharedLeadership', () => {
  it('campaigns once for every part and tells each of them', () => {
    const m = manual();
    const shared = new SharedLeadership(m.inner);
    const seen: string[] = [];
    shared.view().start({ onElected: (e) => seen.push(`a+${e}`), onDeposed: () => seen.push('a-') });
    shared.view().start({ onElected: (e) => seen.push(`b+${e}`), onDeposed: () => seen.push('b-') });
    expect(m.counts.started).toBe(1);
    expect(shared.role).toBe('follower');
    m.elect(3);
    expect(shared.role).toBe('leader');
    m.depose('lost');
    expect(seen).toEqual(['a+3', 'b+3', 'a-', 'b-']);
  });

  it('tells a part that subscribes while leading at once', () => {
    const m = manual();
    const shared = new SharedLeadership(m.inner);
    shared.start();
    m.elect(7);
    const seen: number[] = [];
    shared.view().start({ onElected: (e) => seen.push(e), onDeposed: () => {} });
    expect(seen).toEqual([7]);
  });

  it('a part that stops only unsubscribes: the lock is released when the owner stops', async () => {
    const m = manual();
    const shared = new SharedLeadership(m.inner);
    const seen: string[] = [];
    const part = shared.view();
    part.start({ onElected: () => {}, onDeposed: (r) => seen.push(`part ${r}`) });
    shared.view().start({ onElected: () => {}, onDeposed: (r) => seen.push(`other ${r}`) });
    m.elect(1);
    await part.stop();
    expect(m.counts.stopped).toBe(0);
    expect(shared.role).toBe('leader');
    await shared.stop();
    expect(m.counts.stopped).toBe(1);
    expect(seen).toEqual(['other stopping']);
  });
});
