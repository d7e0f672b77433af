import { describe, expect, it } from 'vitest';
import { compileGlob, matchGlob } from './glob.js';

function matches(pattern: string, value: string): boolean {
  const compiled = compileGlob(pattern);
  if (!compiled.ok) throw new Error(compiled.error);
  return matchGlob(compiled.glob, value);
}

describe('glob patterns', () => {
  // The cases of Gatus's own pattern tests, against "livingroom_123".
  const cases: Array<[string, boolean]> = [
    ['*', true],
    ['**', true],
    ['living*', true],
    ['*living*', true],
    ['*123', true],
    ['*_*', true],
    ['living*_*3', true],
    ['living*room_*3', true],
    ['*vin*om*2*', true],
    ['livingroom_123', true],
    ['*livingroom_123*', true],
    ['livingroom', false],
    ['livingroom123', false],
    ['what', false],
    ['*what*', false],
    ['*.*', false],
    ['room*123', false],
  ];
  for (const [pattern, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'} livingroom_123 against ${pattern}`, () => {
      expect(matches(pattern, 'livingroom_123')).toBe(expected);
    });
  }

  it('matches one character with ?', () => {
    expect(matches('2??', '204')).toBe(true);
    expect(matches('2??', '2040')).toBe(false);
  });

  it('matches character classes, ranges and negated classes', () => {
    expect(matches('[45]0?', '503')).toBe(true);
    expect(matches('[0-9][0-9][0-9]', '503')).toBe(true);
    expect(matches('[^45]*', '503')).toBe(false);
    expect(matches('[^45]*', '200')).toBe(true);
  });

  it('matches special characters literally when escaped', () => {
    expect(matches('\\*literal\\?', '*literal?')).toBe(true);
    expect(matches('\\*literal', 'xliteral')).toBe(false);
  });

  it('ignores slashes on both sides, as Gatus strips them', () => {
    expect(matches('*/health*', '/healthz')).toBe(true);
    expect(matches('a/b', 'ab')).toBe(true);
  });

  it('lets a star cross newlines in a multi-line body', () => {
    expect(matches('*ok*', 'line one\nstatus ok\n')).toBe(true);
  });

  it('counts non-ASCII characters as one character each', () => {
    expect(matches('caf?', 'café')).toBe(true);
    expect(matches('?', '😀')).toBe(true);
  });

  it('stays fast on a large body with many stars', () => {
    const start = Date.now();
    expect(matches('*a*a*a*a*a*b', 'a'.repeat(20_000))).toBe(false);
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it('rejects malformed patterns as Go does', () => {
    for (const bad of ['[abc', '[]', '[-a]', '[a-]', 'abc\\', '[\\']) {
      expect(compileGlob(bad).ok, bad).toBe(false);
    }
  });
});
