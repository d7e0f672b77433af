import { type Diagnostic, error, type SourcePos } from '../validate/diagnostic.js';
import type { FieldPath } from './positions.js';
import { Sensitive } from './sensitive.js';

/** Where interpolation finds values. */
export interface InterpolationContext {
  env: Readonly<Record<string, string | undefined>>;
  /** The value of a secret, or undefined when it does not exist. */
  secret(name: string): string | undefined;
  /**
   * `resolve` reads secret values; `reference` (ploy plan --base) needs none: a secret stays a
   * Sensitive whose identity is its reference, so two revisions compare by secret name.
   */
  secrets: 'resolve' | 'reference';
}

// `$${` escapes; `${env:NAME}`, `${env:NAME:-default}` and `${secret:NAME}` interpolate; any other
// `${...}` (a shell's `${HOME}`) is left exactly as written.
const TOKEN = /\$\$\{|\$\{(env|secret):([A-Za-z_][A-Za-z0-9_.-]*)(?::-([^}]*))?\}/g;

/**
 * Interpolates every string in a value (never keys). Problems are diagnostics at the string's
 * position; `posOf` also gets the offending `${...}` as written, so a multi-line string can be
 * reported at the line that holds it. A string that used a secret becomes a `Sensitive`.
 */
export function interpolate(
  value: unknown,
  ctx: InterpolationContext,
  posOf: (path: FieldPath, token?: string) => SourcePos,
): { value: unknown; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // The path to a value is kept as a chain of links and spelled out only for a diagnostic:
  // copying it into a new array at every node of every document cost more than the rest.
  const walk = (v: unknown, trail: Trail | undefined): unknown => {
    if (typeof v === 'string') return interpolateString(v, ctx, (token) => posOf(pathOf(trail), token), diagnostics);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, { up: trail, key: i }));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, { up: trail, key: k });
      return out;
    }
    return v;
  };
  return { value: walk(value, undefined), diagnostics };
}

interface Trail {
  up: Trail | undefined;
  key: string | number;
}

function pathOf(trail: Trail | undefined): FieldPath {
  const path: (string | number)[] = [];
  for (let t = trail; t; t = t.up) path.push(t.key);
  return path.reverse();
}

function interpolateString(
  s: string,
  ctx: InterpolationContext,
  at: (token: string) => SourcePos,
  diagnostics: Diagnostic[],
): string | Sensitive {
  if (!s.includes('${')) return s;
  const refs: string[] = [];
  const out = s.replace(TOKEN, (whole, source: string | undefined, name: string, fallback: string | undefined) => {
    if (whole === '$${') return '${';
    if (source === 'env') {
      const v = ctx.env[name];
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      diagnostics.push(
        error(
          'missing-env',
          `Environment variable ${name} is not set (write \${env:${name}:-default} for a default).`,
          at(whole),
        ),
      );
      return '';
    }
    if (fallback !== undefined) {
      diagnostics.push(error('invalid-interpolation', `A secret has no default: \${secret:${name}} must exist.`, at(whole)));
    }
    refs.push(name);
    if (ctx.secrets === 'reference') return '';
    const v = ctx.secret(name);
    if (v === undefined) {
      diagnostics.push(
        error(
          'missing-secret',
          `Secret ${name} not found: add the file ${name} to the secrets dir or set PLOY_SECRET_${name}.`,
          at(whole),
        ),
      );
      return '';
    }
    return v;
  });
  if (refs.length === 0) return out;
  // In reference mode the template stands in for the value, so equal references compare equal.
  return new Sensitive(ctx.secrets === 'reference' ? s : out, s, refs);
}
