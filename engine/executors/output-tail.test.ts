import { describe, expect, it } from 'vitest';
import { lastLines, OutputTail } from './output-tail.js';

describe('OutputTail', () => {
  it('keeps everything while under its limit', () => {
    const t = new OutputTail(64);
    t.write('first line\n');
    t.write('second');
    expect(t.text()).toBe('first line\nsecond');
    expect(t.dropped).toBe(0);
  });

  it('starts at a whole line once the front was cut, so no half of a secret is kept', () => {
    const t = new OutputTail(32);
    t.write('token=hunter2-very-secret-value\n');
    t.write('next line\nlast line\n');
    // The limit cut into the token's line: that line goes, the rest stays.
    expect(t.text()).toBe('next line\nlast line\n');
    expect(t.dropped).toBeGreaterThan(0);
  });

  it('keeps a cut single line as it is (there is no whole line to start at)', () => {
    const t = new OutputTail(8);
    t.write('x'.repeat(20));
    expect(t.text()).toBe('x'.repeat(8));
  });
});

describe('lastLines', () => {
  it('returns a short text whole, and a long one from its first whole line within the last characters', () => {
    expect(lastLines('a\nb\n', 10)).toBe('a\nb\n');
    expect(lastLines('secret-abc\nline two\n', 12)).toBe('line two\n');
  });
});
