import { describe, expect, it } from 'vitest';
import { localTime } from './next-runs.js';

describe('localTime', () => {
  it('writes an instant in a timezone with its abbreviation, across DST', () => {
    expect(localTime('2026-03-29T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-03-29 03:30:00 CEST');
    expect(localTime('2026-01-10T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-01-10 02:30:00 CET');
    expect(localTime('2026-01-10T01:30:00.000Z', 'UTC')).toBe('2026-01-10 01:30:00 UTC');
  });
});
