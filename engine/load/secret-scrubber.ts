/** What every secret value becomes wherever text leaves the engine. */
export const MASK = '(sensitive)';

/**
 * Values shorter than this are not masked: replacing `ok` or `1` everywhere would garble every
 * text without hiding anything worth hiding (GitHub Actions draws the same line).
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * The forms a value takes when a program prints it in passing: as it is, URL-encoded,
 * JSON-escaped (a value with quotes or newlines inside a JSON line), and base64 (standard and
 * URL-safe) at each of the three byte alignments, so that `user:TOKEN` inside a Basic header is
 * caught as well as `echo $TOKEN | base64`. Of each alignment only the characters that depend on
 * the value's bits alone are kept: they appear in any base64 text holding the value at that offset.
 */
export function encodedForms(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  const bytes = Buffer.from(value, 'utf8');
  for (let offset = 0; offset < 3; offset++) {
    const b64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Character j covers bits [6j, 6j + 6); it is the value's alone when those lie inside it.
    const core = b64.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The secret values an engine knows, and the one step that masks them: every text that enters the
 * store or leaves through a log, an API answer or a notification passes through `scrub`. Values
 * are added as they become known (secrets read for a revision, the engine's own token and
 * passwords) and never removed: a value that was a secret once stays masked in old output too.
 */
export class SecretScrubber {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;
  #dirty = false;

  constructor(values: Iterable<string> = []) {
    this.add(values);
  }

  /** Adds values to mask; ones shorter than MIN_SECRET_LENGTH are ignored. */
  add(values: Iterable<string | undefined>): this {
    for (const v of values) {
      if (v === undefined || v.length < MIN_SECRET_LENGTH || this.#values.has(v)) continue;
      this.#values.add(v);
      this.#dirty = true;
    }
    return this;
  }

  /** How many values it masks. */
  get size(): number {
    return this.#values.size;
  }

  /** The text with every known value, in any of its encoded forms, replaced by `(sensitive)`. */
  scrub(text: string): string {
    const pattern = this.#compiled();
    return pattern ? text.replace(pattern, MASK) : text;
  }

  /** Every string inside a JSON-like value scrubbed (keys too); other values as they are. */
  scrubDeep<T>(value: T): T {
    if (!this.#compiled()) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.scrub(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[this.scrub(k)] = walk(x);
        return out;
      }
      return v;
    };
    return walk(value) as T;
  }

  #compiled(): RegExp | undefined {
    if (this.#dirty) {
      // Longest first, so that a value containing another is masked whole.
      const forms = [...new Set([...this.#values].flatMap(encodedForms))].sort((a, b) => b.length - a.length);
      this.#pattern = forms.length ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : undefined;
      this.#dirty = false;
    }
    return this.#pattern;
  }
}
