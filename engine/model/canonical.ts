import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level: equal values always serialise the same.
 * Written out by hand rather than through a JSON.stringify replacer, which built a sorted copy
 * of every object (a plan of 10,000 resources hashes every spec). The output is byte for byte
 * what that replacer gave, which container labels (ploy.spec-hash) and saved plans depend on:
 * keys sort as strings, except that array-index keys ("0", "12") come first in numeric order,
 * as they do in any JavaScript object the replacer returned.
 */
export function canonicalJson(value: unknown): string {
  return write('', value) as string;
}

function write(key: string | number, value: unknown): string | undefined {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(key: string): unknown }).toJSON(String(key));
  }
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return writeArray(v);
      return writeObject(v as Record<string, unknown>);
    case 'bigint':
      return JSON.stringify(v); // throws, as JSON.stringify does
    default:
      return undefined; // undefined, functions and symbols are left out
  }
}

function writeArray(a: unknown[]): string {
  const parts: string[] = [];
  for (let i = 0; i < a.length; i++) parts.push(write(i, a[i]) ?? 'null');
  return `[${parts.join(',')}]`;
}

function writeObject(o: Record<string, unknown>): string {
  // Concatenated: a spec's objects are small, and this is cheaper than a list and a join.
  // (Arrays keep the join: the actual-state hash writes one array of every resource.)
  let out = '';
  for (const k of orderedKeys(o)) {
    const s = write(k, o[k]);
    if (s !== undefined) out += `${out === '' ? '' : ','}${JSON.stringify(k)}:${s}`;
  }
  return `{${out}}`;
}

const INDEX = /^(?:0|[1-9]\d*)$/;
const isIndex = (k: string) => INDEX.test(k) && Number(k) < 2 ** 32 - 1;
/** Whether a key starts with a digit: only those can be array indexes (checked first, it is cheaper). */
const digitFirst = (k: string) => {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57;
};

function orderedKeys(o: Record<string, unknown>): string[] {
  const keys = Object.keys(o).sort();
  let indexes = false;
  for (const k of keys) if (digitFirst(k) && isIndex(k)) indexes = true;
  if (!indexes) return keys;
  const first = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...first, ...keys.filter((k) => !isIndex(k))];
}

/** `sha256:` of the canonical JSON of a value. */
export const hashOf = (value: unknown): string => `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
