import type { Sensitive } from '../model/sensitive.js';

/** Fields every kind has (FORMAT.md); metadata that never needs a runtime change. */
export const METADATA_FIELDS = new Set(['labels', 'description', 'protect']);

/** The top-level field of a diff path (`env.TOKEN` → `env`, `ports[0]` → `ports`). */
export const topField = (path: string): string => /^[^.[]+/.exec(path)?.[0] ?? path;

/** A string field as written: a Sensitive's template is enough for checks that need its shape. */
export const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : v && typeof v === 'object' && 'template' in v ? (v as Sensitive).template : undefined;

export const list = <T = unknown>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/**
 * Shallow default: values in `spec` win; nested defaults are the caller's job. `spec` may be
 * undefined (no values). The same object `{ ...d, ...spec }` gives, built with Object.assign,
 * which is many times faster than spreading an object V8 did not see built (a plan defaults
 * every spec on both sides); only for an own `__proto__` key, which assignment would turn into
 * the prototype, does it spread.
 */
export function defaults<T extends object>(spec: T, d: Partial<T>): T;
export function defaults<T extends object>(spec: T | undefined, d: Partial<T>): Partial<T>;
export function defaults<T extends object>(spec: T | undefined, d: Partial<T>): Partial<T> {
  return spec != null && Object.hasOwn(spec, '__proto__') ? { ...d, ...spec } : Object.assign({}, d, spec);
}
