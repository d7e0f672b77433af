import { describe, expect, it } from 'vitest';
import { clockLine } from './clock-check.js';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 2) + ms);

describe('clockLine', () => {
  it('is ok when every other clock is within 5 s of this one', () => {
    const line = clockLine([
      { whose: 'Docker', theirs: at(40), ours: at(0) },
      { whose: 'the store', theirs: at(-4_900), ours: at(0) },
    ]);
    expect(line).toEqual({ status: 'ok', check: 'clock', message: 'agrees with Docker and the store (within 4.9 s)' });
  });

  it('warns, saying which way and by how much, past 5 s of skew', () => {
    const line = clockLine([
      { whose: 'Docker', theirs: at(0), ours: at(0) },
      { whose: 'the store', theirs: at(12_300), ours: at(0) },
    ]);
    expect(line.status).toBe('warn');
    expect(line.message).toBe("this machine's clock is behind the store's by 12.3 s");
    expect(line.fix).toMatch(/NTP/);
    expect(clockLine([{ whose: 'Docker', theirs: at(0), ours: at(6_000) }]).message).toBe(
      "this machine's clock is ahead of Docker's by 6.0 s",
    );
  });

  it('warns that nothing was compared when no other clock was read', () => {
    expect(clockLine([]).status).toBe('warn');
  });
});
