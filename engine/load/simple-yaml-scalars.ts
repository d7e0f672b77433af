/**
 * The scalars and keys of the simple YAML reader (simple-yaml.ts): how one token on one line
 * reads under the YAML 1.2 core schema, exactly as the yaml package reads it, and `bail` for
 * anything it is not sure of, which leaves the whole file to the full parser.
 */

/** Thrown by `bail`; parseSimpleYaml turns it into "use the full parser". */
export const BAIL = Symbol('not simple');

/** Gives the file up to the full parser. */
export const bail = (): never => {
  throw BAIL;
};

/** Character codes the reader compares with charCodeAt. */
export const SPACE = 32;
export const DASH = 45;

/** The full parser refuses implicit keys longer than this; leave them to it. */
const MAX_KEY_LENGTH = 1000;

/** The escapes a double-quoted scalar may use here; any other leaves the file to the full parser. */
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t' };

/** A one-line quoted scalar starting at `p`: its value and where it ends. */
export function quotedScalar(text: string, p: number, end: number): [string, number] {
  const q = text[p];
  let out = '';
  let from = p + 1;
  for (;;) {
    const close = text.indexOf(q, from);
    if (close < 0 || close >= end) bail(); // runs over a line: the full parser
    if (q === "'") {
      if (text[close + 1] === "'" && close + 1 < end) {
        out += text.slice(from, close + 1);
        from = close + 2;
        continue;
      }
      return [out + text.slice(from, close), close + 1];
    }
    const slash = text.indexOf('\\', from);
    if (slash < 0 || slash > close) return [out + text.slice(from, close), close + 1];
    const esc = ESCAPES[text[slash + 1]];
    if (esc === undefined || slash + 1 >= end) bail();
    out += text.slice(from, slash) + esc;
    from = slash + 2;
  }
}

/** Characters that end a plain scalar inside a flow collection. */
export const FLOW_STOP = new Set([',', '[', ']', '{', '}']);

/** The first position at or after `p` that is not a space (`end` at most). */
export function skipSpaces(text: string, p: number, end: number): number {
  while (p < end && text.charCodeAt(p) === SPACE) p++;
  return p;
}

/** Characters a plain key handled here may start with, and contain. */
export const isKeyStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
export const isKeyChar = (c: number) => isKeyStart(c) || (c >= 48 && c <= 57) || c === DASH || c === 46 || c === 47;

/** A plain key; one the core schema reads as anything but a string, or `__proto__`, is left to the full parser. */
export function keyOf(s: string): string {
  if (s.length > MAX_KEY_LENGTH || s === '__proto__' || typeof plainScalar(s) !== 'string') bail();
  return s;
}

// A plain scalar cannot start with an indicator; `-`, `?` and `:` only when followed by a non-space.
const INDICATORS = new Set([',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
/** Whether a plain scalar may start at `p`. */
export function plainStart(text: string, p: number, end: number): boolean {
  const c = text[p];
  if (INDICATORS.has(c)) return false;
  if (c === '-' || c === '?' || c === ':') return p + 1 < end && text.charCodeAt(p + 1) !== SPACE && !FLOW_STOP.has(text[p + 1]);
  return true;
}

// The yaml package's core schema (yaml/dist/schema/core), in its order: the first test that
// matches decides. Resolution is the package's own: parseInt with its radix, parseFloat.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the YAML 1.2 core schema, exactly as the yaml package resolves it. */
export function plainScalar(s: string): unknown {
  const c = s.charCodeAt(0);
  // Most scalars are words: only these first characters can start anything but a string.
  if (!(
    c === 126 ||
    c === 110 ||
    c === 78 ||
    c === 116 ||
    c === 84 ||
    c === 102 ||
    c === 70 ||
    c === 43 ||
    c === DASH ||
    c === 46 ||
    (c >= 48 && c <= 57) ||
    s === ''
  ))
    return s;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return c === 116 || c === 84;
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}
