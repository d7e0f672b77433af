import { type SourcePos } from '../model/source-pos.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import { DEFAULT_ENV_PREFIX, type EnvPolicy } from './env-policy.js';
import type { FieldPath } from './positions.js';
import { SECRET_MARK, Sensitive, sensitiveFromMarked } from '../model/sensitive.js';

/** Where interpolation finds values. */
export interface InterpolationContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Which variables `${env:NAME}` may read: `'any'` for ploy.config.yaml only (see env-policy.ts). */
  envPolicy: EnvPolicy;
  /** The value of a secret, or undefined when it does not exist. */
  secret(name: string): string | undefined;
  /**
   * `resolve` reads secret and env values; `reference` (ploy plan --base) reads neither: a secret
   * stays a Sensitive whose identity is its reference, and `${env:NAME}` stays as written, so two
   * revisions compare (and a plan prints) references, never values.
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
 * `byReference` lists the fields whose `${env:...}` were kept as written (reference mode): their
 * value is unknown, so what a schema or a kind check says about them is not the user's problem.
 */
export function interpolate(
  value: unknown,
  ctx: InterpolationContext,
  posOf: (path: FieldPath, token?: string) => SourcePos,
): { value: unknown; diagnostics: Diagnostic[]; byReference: SourcePos[] } {
  const diagnostics: Diagnostic[] = [];
  const byReference: SourcePos[] = [];
  // The path to a value is kept as a chain of links and spelled out only for a diagnostic:
  // copying it into a new array at every node of every document cost more than the rest.
  const walk = (v: unknown, trail: Trail | undefined): unknown => {
    if (typeof v === 'string') {
      const out = interpolateString(v, ctx, (token) => posOf(pathOf(trail), token), diagnostics);
      if (out.byReference) byReference.push(posOf(pathOf(trail)));
      return out.value;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, { up: trail, key: i }));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, { up: trail, key: k });
      return out;
    }
    return v;
  };
  return { value: walk(value, undefined), diagnostics, byReference };
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
): { value: string | Sensitive; byReference: boolean } {
  if (!s.includes('${')) return { value: s, byReference: false };
  const refs: string[] = [];
  // Each secret's value is marked in `out` and kept aside, so that a command can pass it by reference.
  const secrets: { secret: string; value: string }[] = [];
  const mark = !s.includes(SECRET_MARK);
  let byReference = false;
  const out = s.replace(TOKEN, (whole, source: string | undefined, name: string, fallback: string | undefined) => {
    if (whole === '$${') return '${';
    if (source === 'env') {
      const verdict = ctx.envPolicy === 'any' ? 'allowed' : ctx.envPolicy.check(name);
      if (verdict !== 'allowed') {
        diagnostics.push(error('env-not-allowed', notAllowed(name, verdict), at(whole)));
        return ctx.secrets === 'reference' ? whole : '';
      }
      // A pull request's plan never reads the CI's environment: the reference is the value.
      if (ctx.secrets === 'reference') {
        byReference = true;
        return whole;
      }
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
    if (!mark) return v;
    secrets.push({ secret: name, value: v });
    return SECRET_MARK;
  });
  if (refs.length === 0) return { value: out, byReference };
  // In reference mode the template stands in for the value, so equal references compare equal.
  if (ctx.secrets === 'reference') return { value: new Sensitive(s, s, refs), byReference };
  return { value: mark ? sensitiveFromMarked(out, secrets, s, refs) : new Sensitive(out, s, refs), byReference };
}

function notAllowed(name: string, verdict: 'reserved' | 'not-allowed'): string {
  if (verdict === 'reserved') {
    return (
      `\${env:${name}} reads one of Ploy's own settings, which resources may never read. ` +
      `For a secret write \${secret:NAME} (the file NAME in the secrets dir, or PLOY_SECRET_NAME).`
    );
  }
  return (
    `\${env:${name}} is not allowed: resources read only variables named ${DEFAULT_ENV_PREFIX}* and those listed ` +
    `in ploy.config.yaml, e.g. env: {allow: [${name}]} (or rename it ${DEFAULT_ENV_PREFIX}${name}). ` +
    `For a secret write \${secret:NAME}.`
  );
}
