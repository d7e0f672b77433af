/**
 * Glob patterns for `pat()`, with the semantics Gatus gets from Go's `filepath.Match`:
 * `*` any run of characters, `?` one character, `[a-z]` / `[^a-z]` classes, `\` escapes.
 * Gatus removes every slash from both the pattern and the value first (Go's star stops at a
 * slash), so slashes are ignored and `pat(a/b)` matches `ab`; kept here for compatibility.
 *
 * Matching is a two-pointer scan that only backtracks to the last `*`: O(pattern x value) even
 * for a large response body, where a RegExp with several `.*` could backtrack for seconds.
 */

type GlobToken =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; code: number }
  | { kind: 'class'; negated: boolean; ranges: Array<[number, number]> };

/** A compiled glob, ready to match. */
export interface Glob {
  tokens: GlobToken[];
}

/** Compiles a glob, or explains why it is malformed (what Go reports as ErrBadPattern). */
export function compileGlob(pattern: string): { ok: true; glob: Glob } | { ok: false; error: string } {
  const chars = Array.from(pattern.replaceAll('/', ''), (c) => c.codePointAt(0)!);
  const tokens: GlobToken[] = [];
  let i = 0;
  const bad = (why: string) => ({ ok: false as const, error: `malformed pattern "${pattern}": ${why}` });
  while (i < chars.length) {
    const c = String.fromCodePoint(chars[i]!);
    if (c === '*') {
      // Consecutive stars match the same as one; collapsing them keeps the scan simple.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
      i++;
    } else if (c === '\\') {
      if (i + 1 >= chars.length) return bad('it ends with a lone backslash');
      tokens.push({ kind: 'char', code: chars[i + 1]! });
      i += 2;
    } else if (c === '[') {
      const parsed = parseClass(chars, i + 1);
      if ('error' in parsed) return bad(parsed.error);
      tokens.push(parsed.token);
      i = parsed.next;
    } else {
      tokens.push({ kind: 'char', code: chars[i]! });
      i++;
    }
  }
  return { ok: true, glob: { tokens } };
}

/** Parses a class body starting after `[`; Go rejects an empty class and an unescaped `-` or `]`. */
function parseClass(chars: number[], start: number): { token: GlobToken; next: number } | { error: string } {
  let i = start;
  const negated = chars[i] === 0x5e; // ^
  if (negated) i++;
  const ranges: Array<[number, number]> = [];
  const readChar = (): number | undefined => {
    const c = chars[i];
    if (c === undefined || c === 0x2d || c === 0x5d) return undefined; // end, '-', ']'
    if (c === 0x5c) {
      i++;
      const escaped = chars[i];
      if (escaped !== undefined) i++;
      return escaped;
    }
    i++;
    return c;
  };
  while (true) {
    if (i >= chars.length) return { error: "a '[' is never closed" };
    if (chars[i] === 0x5d && ranges.length > 0) return { token: { kind: 'class', negated, ranges }, next: i + 1 };
    const lo = readChar();
    if (lo === undefined) return { error: "a class needs characters, and '-' or ']' must be escaped" };
    let hi = lo;
    if (chars[i] === 0x2d) {
      i++;
      const end = readChar();
      if (end === undefined) return { error: "a range like 'a-z' needs an end" };
      hi = end;
    }
    ranges.push([lo, hi]);
  }
}

function matchesToken(token: GlobToken, code: number): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.code === code;
    case 'class':
      return token.ranges.some(([lo, hi]) => lo <= code && code <= hi) !== token.negated;
    default:
      return false;
  }
}

/** Whether `value` matches the whole glob (after removing `/`, as Gatus does). */
export function matchGlob(glob: Glob, value: string): boolean {
  const { tokens } = glob;
  const text = Array.from(value.replaceAll('/', ''), (c) => c.codePointAt(0)!);
  let p = 0;
  let s = 0;
  let starAt = -1;
  let starS = 0;
  while (s < text.length) {
    const token = tokens[p];
    if (token?.kind === 'star') {
      starAt = p++;
      starS = s;
    } else if (token !== undefined && matchesToken(token, text[s]!)) {
      p++;
      s++;
    } else if (starAt >= 0) {
      // Let the last star swallow one more character and retry the rest from there.
      p = starAt + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (tokens[p]?.kind === 'star') p++;
  return p === tokens.length;
}
