import { describe, expect, it } from 'vitest';
import { jsonLength, jsonText, lookup, parseBody } from './json-path.js';
import type { PathSegment } from './types.js';

const key = (k: string): PathSegment => ({ kind: 'key', key: k });
const index = (i: number): PathSegment => ({ kind: 'index', index: i });
const at = (body: string, ...path: PathSegment[]) => lookup(parseBody(body), path);

describe('JSON paths', () => {
  it('walks keys and indexes', () => {
    expect(at('{"a":{"b":[{"c":"x"}]}}', key('a'), key('b'), index(0), key('c'))).toBe('x');
  });

  it('indexes a body that is an array', () => {
    expect(at('[{"id":1},{"id":2}]', index(1), key('id'))).toBe(2);
  });

  it('indexes nested arrays', () => {
    expect(at('{"m":[[1,2],[3,4]]}', key('m'), index(1), index(0))).toBe(3);
  });

  it('treats a missing key as missing', () => {
    expect(at('{"a":1}', key('b'))).toBeUndefined();
  });

  it('treats null as missing, at the end or on the way', () => {
    expect(at('{"a":null}', key('a'))).toBeUndefined();
    expect(at('{"a":null}', key('a'), key('b'))).toBeUndefined();
    expect(at('null', key('a'))).toBeUndefined();
  });

  it('treats an index out of range as missing', () => {
    expect(at('{"a":[1]}', key('a'), index(1))).toBeUndefined();
  });

  it('treats an index on an object and a key on an array as missing', () => {
    expect(at('{"a":{"0":1}}', key('a'), index(0))).toBeUndefined();
    expect(at('{"a":[{"id":1}]}', key('a'), key('id'))).toBeUndefined();
    expect(at('[1]', key('length'))).toBeUndefined();
  });

  it('treats a key on a string or a number as missing', () => {
    expect(at('{"a":"text"}', key('a'), key('b'))).toBeUndefined();
    expect(at('{"a":18}', key('a'), key('b'))).toBeUndefined();
  });

  it('does not reach into inherited properties', () => {
    expect(at('{}', key('constructor'))).toBeUndefined();
    expect(at('{}', key('__proto__'))).toBeUndefined();
  });

  it('finds keys whose value is falsy', () => {
    expect(at('{"a":0,"b":false,"c":""}', key('a'))).toBe(0);
    expect(at('{"a":0,"b":false,"c":""}', key('b'))).toBe(false);
    expect(at('{"a":0,"b":false,"c":""}', key('c'))).toBe('');
  });

  it('treats every path as missing in a body that is not JSON or absent', () => {
    expect(at('{"a":1', key('a'))).toBeUndefined();
    expect(lookup(parseBody(undefined), [key('a')])).toBeUndefined();
  });

  it('accepts a body with surrounding whitespace', () => {
    expect(at('\n  {"a":1}\n', key('a'))).toBe(1);
  });
});

describe('JSON values as text', () => {
  it('keeps strings as they are and writes numbers and booleans plainly', () => {
    expect(jsonText('UP')).toBe('UP');
    expect(jsonText(1)).toBe('1');
    expect(jsonText(1.5)).toBe('1.5');
    expect(jsonText(1_000_000)).toBe('1000000');
    expect(jsonText(true)).toBe('true');
  });

  it('writes objects and arrays as minified JSON', () => {
    expect(jsonText({ a: 1, b: [1, 'x'] })).toBe('{"a":1,"b":[1,"x"]}');
  });

  it('measures arrays by elements and everything else by characters', () => {
    expect(jsonLength([1, 2, 3])).toBe(3);
    expect(jsonLength('john.doe')).toBe(8);
    expect(jsonLength({ age: 18, adult: true })).toBe(23);
    expect(jsonLength(18)).toBe(2);
    expect(jsonLength(true)).toBe(4);
  });
});
