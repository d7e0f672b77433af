import { inspect } from 'node:util';

/**
 * A string that holds a secret (or was built from one). The value is reachable only through
 * `reveal()`; every other way of turning it into text (JSON, String(), console, pino) prints
 * `(sensitive)`, so a forgotten redaction still cannot leak it.
 */
export class Sensitive {
  readonly #value: string;
  /** The string as written in the source, e.g. `postgres://app:${secret:DB_PW}@db/app`. */
  readonly template: string;
  /** Names of the secrets it was built from. */
  readonly refs: readonly string[];

  constructor(value: string, template: string, refs: readonly string[]) {
    this.#value = value;
    this.template = template;
    this.refs = refs;
  }

  reveal(): string {
    return this.#value;
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
