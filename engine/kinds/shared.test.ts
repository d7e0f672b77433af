import { describe, expect, it } from 'vitest';
import { defaults } from './shared.js';

describe('defaults', () => {
  it('gives what spreading the defaults then the spec gives: order, values, nothing shared', () => {
    const d = { a: 1, b: { x: 1 }, c: 3 };
    const spec = JSON.parse('{"c": 30, "z": [1], "a": null}');
    const out = defaults(spec, d);
    expect(out).toStrictEqual({ ...d, ...spec });
    expect(Object.keys(out)).toEqual(Object.keys({ ...d, ...spec }));
    expect(out).not.toBe(spec);
    expect(defaults(undefined, d)).toStrictEqual(d);
  });

  it('keeps an own __proto__ key as data, as spreading does, never as the prototype', () => {
    const spec = JSON.parse('{"__proto__": {"polluted": true}, "k": 1}');
    const out = defaults(spec, { d: 1 });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['d', '__proto__', 'k']);
  });
});
