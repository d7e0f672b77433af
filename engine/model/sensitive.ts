import { inspect } from 'node:util';

/**
 * A string that holds a secret (or was built from one). The value is reachable only through
 * `reveal()`; every other way of turning it into text (JSON, String(), console, pino) prints
 * `(sensitive)`, so a forgotten redaction still cannot leak it.
 */
export class Sensitive {
  readonly #value: string;
  readonly #parts: readonly SensitivePart[] | undefined;
  /** The string as written in the source, e.g. `postgres://app:${secret:DB_PW}@db/app`. */
  readonly template: string;
  /** Names of the secrets it was built from. */
  readonly refs: readonly string[];

  /** `parts`, when given, spell out `value`: its text pieces and its secrets' values, in order. */
  constructor(value: string, template: string, refs: readonly string[], parts?: readonly SensitivePart[]) {
    this.#value = value;
    this.template = template;
    this.refs = refs;
    this.#parts = parts;
  }

  reveal(): string {
    return this.#value;
  }

  /**
   * The value as text and secrets, for a command that passes its secrets by reference. Without
   * known parts the whole value counts as one secret: it is never mistaken for plain text.
   */
  revealParts(): readonly SensitivePart[] {
    return this.#parts ?? [{ secret: this.refs[0] ?? 'value', value: this.#value }];
  }

  toJSON(): string {
    return '(sensitive)';
  }

  toString(): string {
    return '(sensitive)';
  }

  [inspect.custom](): string {
    return '(sensitive)';
  }
}

/** A piece of a Sensitive string: text (env values and `$${` already resolved), or one secret's value. */
export type SensitivePart = string | { readonly secret: string; readonly value: string };

/**
 * Stands for a secret's value in interpolated text until the parts are split out. Only strings
 * without a NUL of their own are marked (the environment cannot hold one), so a mark is a secret.
 */
export const SECRET_MARK = '\u0000';

/** A Sensitive from interpolated text in which each secret's value is SECRET_MARK, with those secrets in order. */
export function sensitiveFromMarked(
  marked: string,
  secrets: readonly { secret: string; value: string }[],
  template: string,
  refs: readonly string[],
): Sensitive {
  const pieces = marked.split(SECRET_MARK);
  if (pieces.length !== secrets.length + 1) throw new Error('sensitiveFromMarked: marks and secrets differ in number');
  const parts: SensitivePart[] = [];
  let value = '';
  for (let i = 0; i < pieces.length; i++) {
    if (pieces[i]) parts.push(pieces[i]);
    value += pieces[i];
    if (i < secrets.length) {
      parts.push(secrets[i]);
      value += secrets[i].value;
    }
  }
  return new Sensitive(value, template, refs, parts);
}

/** A setting that may hold a secret: plain text, or a Sensitive when it came from `${secret:}`. */
export type Secretish = string | Sensitive;

export const isSensitive = (v: unknown): v is Sensitive => v instanceof Sensitive;

/** How a sensitive value is stored and compared: a digest, never the value. */
export interface SensitiveDigest {
  $sensitive: string;
}

export const isSensitiveDigest = (v: unknown): v is SensitiveDigest =>
  typeof v === 'object' && v !== null && typeof (v as SensitiveDigest).$sensitive === 'string';

/** Replaces every Sensitive in a value with its digest; the result is plain JSON, safe to store and print. */
export function redact(value: unknown, digest: (s: Sensitive) => string): unknown {
  if (value instanceof Sensitive) return { $sensitive: digest(value) } satisfies SensitiveDigest;
  if (Array.isArray(value)) return value.map((v) => redact(v, digest));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, digest);
    return out;
  }
  return value;
}

/** Replaces every Sensitive with its real value: only for the moment a runtime hands it to Docker or a provider. */
export function reveal(value: unknown): unknown {
  if (value instanceof Sensitive) return value.reveal();
  if (Array.isArray(value)) return value.map(reveal);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = reveal(v);
    return out;
  }
  return value;
}

/** The revealed values of every Sensitive in a value: what error texts must be scrubbed of. */
export function sensitiveValues(value: unknown): string[] {
  if (value instanceof Sensitive) return [value.reveal()];
  if (Array.isArray(value)) return value.flatMap(sensitiveValues);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(sensitiveValues);
  return [];
}

/**
 * Replaces every secret value (and its URL-encoded form) in a text with `mask`: for error
 * messages of libraries that quote what they were given (a URL, a host, a password).
 */
export function scrubSecrets(text: string, secrets: readonly string[], mask = '(sensitive)'): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join(mask);
  }
  return out;
}
