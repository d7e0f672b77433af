/**
 * `[BODY]` JSON paths (`.a.b[0].c`, `[0]`, `.data[1][2]`). A step that finds nothing — a missing
 * key, `null`, an index out of range, a key on a non-object, an index on a non-array — makes the
 * whole path missing. Gatus behaves the same for keys, `null` and indexes; where its walker
 * silently returns a partial value (a key after an array or a number), Ploy reports missing.
 */

import type { PathSegment } from './types.js';

/** The body parsed once; `ok: false` when it is not JSON (every path is then missing). */
export type ParsedBody = { ok: true; value: unknown } | { ok: false };

/** Parses a body as JSON without throwing. */
export function parseBody(body: string | undefined): ParsedBody {
  if (body === undefined) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined when any step is missing or `null`. */
export function lookup(body: ParsedBody, path: readonly PathSegment[]): unknown {
  if (!body.ok) return undefined;
  let current: unknown = body.value;
  for (const segment of path) {
    if (segment.kind === 'key') {
      if (!isObject(current) || !Object.hasOwn(current, segment.key)) return undefined;
      current = current[segment.key];
    } else {
      if (!Array.isArray(current) || segment.index >= current.length) return undefined;
      current = current[segment.index];
    }
    if (current === null) return undefined;
  }
  return current;
}

/**
 * The text a JSON value is compared as: strings as is, numbers and booleans as written in
 * JavaScript (`1`, `1.5`, `true`), objects and arrays as minified JSON.
 */
export function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * What `len()` returns for a JSON value: the element count of an array, otherwise the number of
 * characters of its text (a string's characters, an object's minified JSON, a number's digits).
 */
export function jsonLength(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return Array.from(jsonText(value)).length;
}
