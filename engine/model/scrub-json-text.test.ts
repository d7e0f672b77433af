import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../load/secret-scrubber.js';
import { scrubJsonText } from './scrub-json-text.js';

const scrubber = new SecretScrubber(['5432', 'true-secret', 'pass"word']);
const scrub = (t: string) => scrubber.scrub(t);

describe('scrubJsonText', () => {
  it('masks secrets inside the strings of a JSON text, escaped ones included', () => {
    const json = JSON.stringify({ msg: 'connecting with true-secret', pw: 'pass"word' });
    expect(JSON.parse(scrubJsonText(scrub, json))).toEqual({ msg: 'connecting with (sensitive)', pw: '(sensitive)' });
  });

  it('keeps a JSON text valid when a secret is also a number in it', () => {
    const json = JSON.stringify({ time: 1754320012345, port: 5432, note: 'port 5432' });
    expect(JSON.parse(scrubJsonText(scrub, json))).toEqual({ time: 1754320012345, port: 5432, note: 'port (sensitive)' });
  });

  it('masks everywhere in a text that is not JSON, even one that starts like JSON', () => {
    expect(scrubJsonText(scrub, '{ token: true-secret, port: 5432 }\n')).toBe('{ token: (sensitive), port: (sensitive) }\n');
    expect(scrubJsonText(scrub, 'plain 5432 and "true-secret"')).toBe('plain (sensitive) and "(sensitive)"');
  });

  it('returns a text without secrets as it is', () => {
    const json = JSON.stringify({ a: 'nothing here' });
    expect(scrubJsonText(scrub, json)).toBe(json);
  });
});
