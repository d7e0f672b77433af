import { describe, expect, it } from 'vitest';
import { encodedForms, MASK, SecretScrubber } from './secret-scrubber.js';

const SECRET = `s3cr'et"$(id)\nline2`;

describe('SecretScrubber', () => {
  it('masks a value as it is, URL-encoded and JSON-escaped', () => {
    const s = new SecretScrubber([SECRET]);
    expect(s.scrub(`a ${SECRET} b`)).toBe(`a ${MASK} b`);
    expect(s.scrub(`?t=${encodeURIComponent(SECRET)}`)).toBe(`?t=${MASK}`);
    expect(s.scrub(JSON.stringify({ out: SECRET }))).not.toContain('line2');
  });

  it('masks base64 of the value, alone or inside a longer text at any alignment', () => {
    const token = 'ghp_0123456789abcdefABCDEF';
    const s = new SecretScrubber([token]);
    for (const prefix of ['', 'u', 'us', 'user:']) {
      const encoded = Buffer.from(`${prefix}${token}\n`).toString('base64');
      const out = s.scrub(`Authorization: Basic ${encoded}`);
      expect(out).toContain(MASK);
      // What is left around the mask decodes to no more than two bytes of the token.
      expect(out.replace(MASK, '').length).toBeLessThan(`Authorization: Basic ${encoded}`.length - token.length);
    }
    const urlSafe = Buffer.from(`>>>${token}???`).toString('base64url');
    expect(s.scrub(urlSafe)).toContain(MASK);
  });

  it('leaves values shorter than four characters alone', () => {
    const s = new SecretScrubber(['abc']);
    expect(s.size).toBe(0);
    expect(s.scrub('abc')).toBe('abc');
  });

  it('masks the longer of two overlapping values whole', () => {
    const s = new SecretScrubber(['pass', 'password123']);
    expect(s.scrub('x password123 y')).toBe(`x ${MASK} y`);
  });

  it('scrubs every string of a nested value, and values added later', () => {
    const s = new SecretScrubber();
    expect(s.scrubDeep({ a: ['t0ken-1'] })).toEqual({ a: ['t0ken-1'] });
    s.add(['t0ken-1']);
    expect(s.scrubDeep({ a: ['x t0ken-1'], n: 3, d: null })).toEqual({ a: [`x ${MASK}`], n: 3, d: null });
  });

  it('lists no form shorter than four characters', () => {
    expect(encodedForms('abcd').every((f) => f.length >= 4)).toBe(true);
  });
});
