import type { ErrorObject } from 'ajv';
import type { FieldPath } from '../load/positions.js';
import type { ResourceKey } from '../model/resource.js';
import { type SourcePos } from '../model/source-pos.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import { didYouMean } from './suggest.js';

/** JSON pointer → field path; numeric segments are list indexes when the value there is a list. */
export function pointerToPath(pointer: string, root: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: string | number = Array.isArray(node) && /^\d+$/.test(seg) ? Number(seg) : seg;
    path.push(key);
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}

const fieldName = (path: FieldPath) =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '') || 'the document';

const refName = (schemaPath: string) => /\$defs\/([A-Za-z]+)|#\/definitions\/([A-Za-z]+)/.exec(schemaPath);

/**
 * Turns ajv's errors into diagnostics a person can act on: one per problem, at the line of the
 * field, with the valid choices or the closest field name. Errors that only restate a more
 * precise one (the `oneOf`/`anyOf`/`if` wrappers) are dropped.
 */
export function ajvDiagnostics(
  errors: readonly ErrorObject[],
  value: unknown,
  posOf: (path: FieldPath) => SourcePos,
  what: string,
  resource?: ResourceKey,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  // An "exactly one of" becomes one sentence: ajv also reports a `required` error per absent
  // alternative (seven "missing http/tcp/dns..." for a monitor without probe), which only confuse.
  const exactlyOne = errors.filter((e) => e.keyword === 'oneOf' && alternatives(e));
  const restates = (e: ErrorObject) =>
    e.keyword === 'required' &&
    exactlyOne.some((o) => o.instancePath === e.instancePath && e.schemaPath.startsWith(`${o.schemaPath}/`));
  const precise = errors.filter((e) => !['if', 'anyOf'].includes(e.keyword) && !restates(e));
  const list = precise.length > 0 ? precise : errors;
  for (const e of list) {
    const path = pointerToPath(e.instancePath, value);
    const d = exactlyOne.includes(e)
      ? exactlyOneDiagnostic(e, path, value, posOf, what, resource)
      : toDiagnostic(e, path, value, posOf, what, resource);
    if (!d) continue;
    const id = `${d.line}:${d.column}:${d.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(d);
    }
  }
  return out;
}

/** The field names of a `oneOf: [{required: [a]}, {required: [b]}, ...]` (needs `verbose`), else undefined. */
function alternatives(e: ErrorObject): string[] | undefined {
  const branches = e.schema as unknown;
  if (!Array.isArray(branches) || branches.length < 2) return undefined;
  const names = branches.map((b) =>
    Array.isArray(b?.required) &&
    b.required.length === 1 &&
    Object.keys(b).every((k) => k === 'required' || k === 'title' || k === 'description')
      ? String(b.required[0])
      : undefined,
  );
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}

const orList = (xs: readonly string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/**
 * "Monitor m needs exactly one probe: http, tcp, ... or ping." when none is set; "... has both
 * tcp and ping: keep exactly one probe." when several are. The noun comes
 * from the schema's own description ("Needs exactly one probe: ..."), so every kind says its word.
 */
function exactlyOneDiagnostic(
  e: ErrorObject,
  path: (string | number)[],
  value: unknown,
  posOf: (path: FieldPath) => SourcePos,
  what: string,
  resource?: ResourceKey,
): Diagnostic {
  const names = alternatives(e)!;
  const description = String((e.parentSchema as { description?: unknown } | undefined)?.description ?? '');
  const noun = /exactly one (probe|runner|provider)\b/i.exec(description)?.[1].toLowerCase();
  const subject = path.length ? fieldName(path) : what;
  const passing = (e.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (!passing) {
    const needs = noun ? `exactly one ${noun}: ${orList(names)}` : `exactly one of ${orList(names)}`;
    return error('missing-field', `${subject} needs ${needs}.`, posOf(path), resource);
  }
  // ajv stops at the second match; the value says which are really there.
  const here = valueAt(value, path) as Record<string, unknown> | undefined;
  const written = names.filter((n) => here && typeof here === 'object' && here[n] !== undefined);
  const present = written.length >= 2 ? written : passing.map((i) => names[i]);
  const both = present.length === 2 ? `both ${present.join(' and ')}` : orList(present).replace(/ or /, ' and ');
  const keep = noun ? `exactly one ${noun}` : `only one of ${orList(names)}`;
  // At the one written last: the extra one is most often the one just added.
  const at = present.map((n) => posOf([...path, n])).sort((a, b) => b.line - a.line || b.column - a.column)[0];
  return error('invalid-field', `${subject} has ${both}: keep ${keep}.`, at, resource);
}

/** The value at a field path (for messages that show what was written). */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const k of path)
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[k] : undefined;
  return node;
}

function toDiagnostic(
  e: ErrorObject,
  path: (string | number)[],
  value: unknown,
  posOf: (path: FieldPath) => SourcePos,
  what: string,
  resource?: ResourceKey,
): Diagnostic | undefined {
  const field = fieldName(path);
  const p = e.params as Record<string, any>;
  const parent = e.parentSchema as { properties?: Record<string, unknown>; description?: string } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const valid = Object.keys(parent?.properties ?? {});
      const where = path.length ? ` in ${field}` : '';
      return error(
        'unknown-field',
        `Unknown field "${name}"${where} of ${what}.${didYouMean(name, valid)}`,
        posOf([...path, name]),
        resource,
      );
    }
    case 'required': {
      const where = path.length ? ` in ${field}` : '';
      return error(
        'missing-field',
        `${what} is missing the required field "${p.missingProperty}"${where}.`,
        posOf(path),
        resource,
      );
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => String(v));
      const given = valueAt(value, path);
      const choices = allowed.map((v) => JSON.stringify(v)).join(', ');
      // Show what was written (a secret's template at most, never its value) and the likely intent.
      const hint = typeof given === 'string' ? didYouMean(given, allowed) : '';
      if ((e.parentSchema as { title?: string } | undefined)?.title === 'event') {
        return error(
          'unknown-event',
          `Unknown event "${String(given)}" in ${field}: the events are ${choices}.${hint}`,
          posOf(path),
          resource,
        );
      }
      const was = typeof given === 'string' ? ` "${given}" is not one of` : ' must be one of';
      return error('invalid-field', `${field}${was}: ${choices}.${hint}`, posOf(path), resource);
    }
    case 'const':
      return error('invalid-field', `${field} must be ${JSON.stringify(p.allowedValue)}.`, posOf(path), resource);
    case 'type': {
      const parent = e.parentSchema as { title?: string; examples?: unknown[] } | undefined;
      // `interval: 30` is a duration without unit far more often than a wish for a number.
      if (parent?.title === 'duration') {
        return error(
          'invalid-duration',
          `${field} is not a duration: write a number and a unit, like 500ms, 30s, 5m, 6h or 2d.`,
          posOf(path),
          resource,
        );
      }
      const examples = (parent?.examples ?? []).filter((x) => typeof x === 'string').map((x) => `"${x}"`);
      const like = examples.length ? `, like ${orList(examples)}` : '';
      return error('invalid-field', `${field} must be ${article(String(p.type))}${like}.`, posOf(path), resource);
    }
    case 'pattern': {
      const def = refName(e.schemaPath);
      const kind = (def?.[1] ?? def?.[2] ?? '').toLowerCase();
      if (kind === 'duration') {
        return error(
          'invalid-duration',
          `${field} is not a duration: write a number and a unit, like 500ms, 30s, 5m, 6h or 2d.`,
          posOf(path),
          resource,
        );
      }
      if (kind === 'name') {
        const given = valueAt(value, path);
        const was = typeof given === 'string' ? ` "${given}"` : '';
        return error(
          'invalid-name',
          `${field}${was} must be a lowercase DNS label: a-z, 0-9 and "-", starting and ending with a letter or digit, at most 63 characters.`,
          posOf(path),
          resource,
        );
      }
      const hint = parent?.description ? ` (${parent.description.replace(/\.$/, '')})` : '';
      return error('invalid-field', `${field} has an invalid format${hint}.`, posOf(path), resource);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      // ajv's message already reads "must be >= 1"; a range with both ends says it in words.
      const range = e.parentSchema as { minimum?: number; maximum?: number } | undefined;
      if (typeof range?.minimum === 'number' && typeof range.maximum === 'number') {
        return error('invalid-field', `${field} must be from ${range.minimum} to ${range.maximum}.`, posOf(path), resource);
      }
      return error('invalid-field', `${field} ${e.message}.`, posOf(path), resource);
    }
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'uniqueItems':
      return error('invalid-field', `${field} ${e.message}.`, posOf(path), resource);
    case 'oneOf':
    case 'not':
    case 'minProperties':
    case 'maxProperties':
      return error(
        'invalid-field',
        `${field === 'the document' ? what : field}: ${e.message ?? 'is not valid'}.`,
        posOf(path),
        resource,
      );
    case 'errorMessage':
      return error('invalid-field', `${e.message}`, posOf(path), resource);
    default:
      return error('invalid-field', `${field} ${e.message ?? 'is not valid'}.`, posOf(path), resource);
  }
}

const article = (t: string) =>
  t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : t === 'null' ? 'null' : `a ${t}`;
