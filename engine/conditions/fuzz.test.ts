import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluator.js';
import { parseCondition } from './parser.js';
import { placeholdersOf } from './placeholders.js';

/** A small deterministic PRNG (mulberry32): failures reproduce from the printed seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces of the language mixed with noise, so random strings often come close to valid ones.
const PIECES = [
  '[STATUS]',
  '[BODY]',
  '[body].a[0].b',
  '[RESPONSE_TIME]',
  '[CONNECTED]',
  '[IP]',
  '[DNS_RCODE]',
  '[CERTIFICATE_EXPIRATION]',
  ' == ',
  ' != ',
  ' < ',
  ' <= ',
  ' > ',
  ' >= ',
  '==',
  'len(',
  'has(',
  'pat(',
  'any(',
  ')',
  '(',
  ',',
  '.',
  '[',
  ']',
  '"',
  "'",
  '200',
  '48h',
  '-1',
  '0x1f',
  '1e3',
  'UP',
  'true',
  '*',
  '?',
  '\\',
  ' ',
  '\t',
  '\n',
  '\u0000',
  'é',
  '🚀',
  '[[',
  ']]',
  '${',
];

function randomCondition(next: () => number): string {
  let s = '';
  const n = Math.floor(next() * 8);
  for (let i = 0; i < n; i++) {
    s += next() < 0.8 ? PIECES[Math.floor(next() * PIECES.length)] : String.fromCharCode(Math.floor(next() * 0x2000));
  }
  return s;
}

describe('the conditions parser on random input', () => {
  it('never throws: every string parses or gives a diagnostic with a column inside it', () => {
    const seed = 20260301;
    const next = rng(seed);
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = randomCondition(next);
      let result: ReturnType<typeof parseCondition>;
      try {
        result = parseCondition(text);
      } catch (e) {
        throw new Error(`seed ${seed}, case ${i}: parseCondition(${JSON.stringify(text)}) threw ${(e as Error).message}`);
      }
      if (result.ok) {
        valid++;
        placeholdersOf(result.ast);
        // Whatever the probe saw, evaluating never throws either.
        const r = evaluate(result.ast, { status: 200, body: next() < 0.5 ? '{"a":[{"b":1}]}' : 'not json', connected: true });
        expect(typeof r.resolved).toBe('string');
      } else {
        expect(result.error.length, JSON.stringify(text)).toBeGreaterThan(0);
        expect(result.column, JSON.stringify(text)).toBeGreaterThanOrEqual(1);
        expect(result.column, JSON.stringify(text)).toBeLessThanOrEqual(text.length + 1);
      }
    }
    // The generator must reach valid conditions too, or the evaluator is not exercised.
    expect(valid).toBeGreaterThan(100);
  });
});
