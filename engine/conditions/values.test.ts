import { describe, expect, it } from 'vitest';
import { formatDuration, parseDurationMs, parseGoInt, toNumber } from './values.js';

describe('integers in Go syntax', () => {
  it('reads decimal, hexadecimal, octal and binary integers', () => {
    expect(parseGoInt('42')).toBe(42n);
    expect(parseGoInt('-42')).toBe(-42n);
    expect(parseGoInt('+42')).toBe(42n);
    expect(parseGoInt('0xC0ff33')).toBe(12648243n);
    expect(parseGoInt('0o17')).toBe(15n);
    expect(parseGoInt('0b0010')).toBe(2n);
  });

  it('reads a leading zero as octal, as Go does', () => {
    expect(parseGoInt('010')).toBe(8n);
    expect(parseGoInt('08')).toBeUndefined();
  });

  it('accepts underscores only between digits', () => {
    expect(parseGoInt('1_000')).toBe(1000n);
    expect(parseGoInt('0x_ff')).toBe(255n);
    expect(parseGoInt('_1')).toBeUndefined();
    expect(parseGoInt('1_')).toBeUndefined();
    expect(parseGoInt('1__0')).toBeUndefined();
  });

  it('rejects text, decimals, empty input and values beyond 64 bits', () => {
    for (const text of ['', '-', '0x', '1.5', '1e3', 'abc', '9223372036854775808']) {
      expect(parseGoInt(text), text).toBeUndefined();
    }
    expect(parseGoInt('9223372036854775807')).toBe(9223372036854775807n);
  });
});

describe('durations', () => {
  it('reads Go durations in milliseconds', () => {
    expect(parseDurationMs('48h')).toBe(48 * 3_600_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('250us')).toBe(0.25);
    expect(parseDurationMs('-1m')).toBe(-60_000);
    expect(parseDurationMs('0')).toBe(0);
  });

  it('reads days, which Ploy durations allow', () => {
    expect(parseDurationMs('2d')).toBe(172_800_000);
  });

  it('does not take a bare number or an unknown unit for a duration', () => {
    for (const text of ['800', '1w', 'h', '1.5', '1 h', '']) expect(parseDurationMs(text), text).toBeUndefined();
  });

  it('formats milliseconds without trailing zero units', () => {
    expect(formatDuration(336 * 3_600_000)).toBe('336h');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(3_615_000)).toBe('1h0m15s');
    expect(formatDuration(20 * 60_000)).toBe('20m');
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(999)).toBe('0s');
    expect(formatDuration(-24 * 3_600_000)).toBe('-24h');
  });
});

describe('numbers for ordering comparisons', () => {
  it('reads durations, then integers, then decimals', () => {
    expect(toNumber('1s')).toBe(1000);
    expect(toNumber('0x10')).toBe(16);
    expect(toNumber('123.4')).toBe(123.4);
    expect(toNumber('1e3')).toBe(1000);
    expect(toNumber('0s')).toBe(0);
  });

  it('has no number for other text', () => {
    for (const text of ['', 'n/a', 'true', 'NaN', 'Infinity']) expect(toNumber(text), text).toBeUndefined();
  });
});
