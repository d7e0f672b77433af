import { isSensitiveDigest } from '../model/sensitive.js';
import type { FieldDiff } from '../model/change.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isSensitiveDigest(v);

const join = (base: string, key: string | number) =>
  typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key;

/**
 * Field-level differences between two redacted specs. Objects are compared key by key; lists
 * and scalars as whole values, except lists of equal length, compared item by item, so a
 * changed port shows as `ports[1]` rather than the whole list.
 */
export function diffSpecs(before: unknown, after: unknown, path = ''): FieldDiff[] {
  // Most specs of a plan are unchanged: equal values have no differences, found without
  // building the key sets and lists below for every object of them.
  if (deepEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      if (!(k in before)) return [leaf(join(path, k), undefined, after[k])];
      if (!(k in after)) return [leaf(join(path, k), before[k], undefined)];
      return diffSpecs(before[k], after[k], join(path, k));
    });
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffSpecs(b, after[i], join(path, i)));
  }
  return deepEqual(before, after) ? [] : [leaf(path, before, after)];
}

function leaf(path: string, before: unknown, after: unknown): FieldDiff {
  const d: FieldDiff = { path };
  if (before !== undefined) d.before = before;
  if (after !== undefined) d.after = after;
  if (isSensitiveDigest(before) || isSensitiveDigest(after)) d.sensitive = true;
  return d;
}

/** Structural equality of JSON values (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as any)[k], (b as any)[k]));
}
