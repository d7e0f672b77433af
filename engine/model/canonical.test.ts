import { describe, expect, it } from 'vitest';
import { Sensitive } from './sensitive.js';
import { canonicalJson } from './canonical.js';

/** The replacer-based form canonicalJson replaced: its output is what stored hashes were made from. */
const reference = (value: unknown): string =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );

/** A small deterministic generator of JSON-ish values, with the awkward cases mixed in. */
function values(seed: number, count: number): unknown[] {
  let s = seed;
  const rnd = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
  const keys = ['b', 'a', 'B', '10', '9', '0', '01', '-1', 'é', 'a.b', '__x', '4294967295', '4294967294', '"q"', ''];
  const scalars = [null, undefined, 0, -0, 1.5, 1e21, NaN, Infinity, true, false, '', 'x', 'a"b\\c\n', '\u2028', () => 1];
  const make = (depth: number): unknown => {
    const t = depth > 3 ? 0 : rnd(4);
    if (t === 0) return scalars[rnd(scalars.length)];
    if (t === 1) return Array.from({ length: rnd(4) }, () => make(depth + 1));
    if (t === 2) return new Date(rnd(1e9) * 1000);
    const o: Record<string, unknown> = {};
    for (let i = rnd(6); i > 0; i--) o[keys[rnd(keys.length)]] = make(depth + 1);
    return o;
  };
  return Array.from({ length: count }, () => make(0));
}

describe('canonicalJson', () => {
  it('serialises exactly as the JSON.stringify replacer it replaced', () => {
    for (const v of values(7, 3000)) expect(canonicalJson({ v })).toBe(reference({ v }));
  });

  it('sorts keys at every level, index-like keys first in numeric order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null }, 10: 'x', 9: 'y' })).toBe(
      '{"9":"y","10":"x","a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('leaves undefined out of objects and writes it as null in lists', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('never shows a sensitive value', () => {
    expect(canonicalJson({ token: new Sensitive('hunter2', '${secret:T}', ['T']) })).toBe('{"token":"(sensitive)"}');
  });
});
