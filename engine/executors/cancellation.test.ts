import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation.js';

describe('Cancellation', () => {
  it('calls each listener once with the first reason kept, and none that stopped listening', () => {
    const c = new Cancellation();
    const calls: string[] = [];
    c.onAbort(() => calls.push(`a:${c.reason}`));
    const stop = c.onAbort(() => calls.push('b'));
    stop();
    c.abort('timed out after 1s');
    c.abort('replaced');
    expect(calls).toEqual(['a:timed out after 1s']);
    expect(c.aborted).toBe(true);
    // Listening after the abort calls at once.
    c.onAbort(() => calls.push('late'));
    expect(calls).toEqual(['a:timed out after 1s', 'late']);
  });

  it('gives an AbortSignal that aborts with it, whether asked for before or after', () => {
    const before = new Cancellation();
    const signal = before.signal;
    expect(signal.aborted).toBe(false);
    before.abort('the engine stopped');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('the engine stopped');

    const after = new Cancellation();
    after.abort('replaced');
    expect(after.signal.aborted).toBe(true);
    expect(after.signal.reason).toBe('replaced');
  });
});
