import type { ErrorObject } from 'ajv';
import type { FieldPath } from '../load/positions.js';
import type { ResourceKey } from '../kinds/resource.js';
import { type Diagnostic, error, type SourcePos } from './diagnostic.js';
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
  const precise = errors.filter((e) => !['if', 'anyOf'].includes(e.keyword));
  const list = precise.length > 0 ? precise : errors;
  for (const e of list) {
    const path = pointerToPath(e.instancePath, value);
    const d = toDiagnostic(e, path, posOf, what, resource);
    if (!d) continue;
    const id = `${d.line}:${d.column}:${d.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(d);
    }
  }
  return out;
}

function toDiagnostic(
  e: ErrorObject,
  path: (string | number)[],
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
      return error('unknown-field', `Unknown field "${name}"${where} of ${what}.${didYouMean(name, valid)}`, posOf([...path, name]), resource);
    }
    case 'required': {
      const where = path.length ? ` in ${field}` : '';
      return error('missing-field', `${what} is missing the required field "${p.missingProperty}"${where}.`, posOf(path), resource);
    }
    case 'enum':
      return error('invalid-field', `${field} must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`, posOf(path), resource);
    case 'const':
      return error('invalid-field', `${field} must be ${JSON.stringify(p.allowedValue)}.`, posOf(path), resource);
    case 'type':
      return error('invalid-field', `${field} must be ${article(String(p.type))}.`, posOf(path), resource);
    case 'pattern': {
      const def = refName(e.schemaPath);
      const kind = (def?.[1] ?? def?.[2] ?? '').toLowerCase();
      if (kind === 'duration') {
        return error('invalid-duration', `${field} is not a duration: write a number and a unit, like 500ms, 30s, 5m, 6h or 2d.`, posOf(path), resource);
      }
      if (kind === 'name') {
        return error('invalid-name', `${field} must be a lowercase DNS label: a-z, 0-9 and "-", starting and ending with a letter or digit, at most 63 characters.`, posOf(path), resource);
      }
      const hint = parent?.description ? ` (${parent.description.replace(/\.$/, '')})` : '';
      return error('invalid-field', `${field} has an invalid format${hint}.`, posOf(path), resource);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return error('invalid-field', `${field} must be ${e.message}.`, posOf(path), resource);
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
      return error('invalid-field', `${field === 'the document' ? what : field}: ${e.message ?? 'is not valid'}.`, posOf(path), resource);
    case 'errorMessage':
      return error('invalid-field', `${e.message}`, posOf(path), resource);
    default:
      return error('invalid-field', `${field} ${e.message ?? 'is not valid'}.`, posOf(path), resource);
  }
}

const article = (t: string) => (t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : t === 'null' ? 'null' : `a ${t}`);
