/**
 * On-demand lexer for conditions. It is a cursor rather than a token array because the arguments
 * of `pat()` and `any()` are raw text (a glob may hold `<`, `[`, spaces, quotes): the parser asks
 * for that raw text when it reaches such a call, and for ordinary tokens everywhere else.
 */

/** Token kinds: comparison operators, single-character punctuation, words, end of input. */
export type TokenKind = 'op' | 'punct' | 'word' | 'eof';

/** One token with its source span (0-based, end exclusive). */
export interface Token {
  kind: TokenKind;
  value: string;
  start: number;
  end: number;
  /** Whether whitespace precedes the token: Gatus only sees an operator when spaces surround it. */
  spaceBefore: boolean;
}

const PUNCT = new Set(['[', ']', '(', ')', '.', ',']);
const TWO_CHAR_OPS = new Set(['==', '!=', '<=', '>=']);

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** Length of the operator starting at `i`, or 0. A lone `=` or `!` is text, as in Gatus. */
function opLengthAt(source: string, i: number): number {
  if (TWO_CHAR_OPS.has(source.slice(i, i + 2))) return 2;
  const ch = source[i];
  return ch === '<' || ch === '>' ? 1 : 0;
}

/** A cursor over the condition text. */
export class Lexer {
  private pos = 0;

  constructor(readonly source: string) {}

  /** The next token, consumed. */
  next(): Token {
    const { source } = this;
    let i = this.pos;
    while (i < source.length && isSpace(source[i]!)) i++;
    const spaceBefore = i > this.pos;
    const start = i;
    if (i >= source.length) {
      this.pos = i;
      return { kind: 'eof', value: '', start, end: start, spaceBefore };
    }
    const opLength = opLengthAt(source, i);
    if (opLength > 0) {
      this.pos = i + opLength;
      return { kind: 'op', value: source.slice(i, this.pos), start, end: this.pos, spaceBefore };
    }
    if (PUNCT.has(source[i]!)) {
      this.pos = i + 1;
      return { kind: 'punct', value: source[i]!, start, end: this.pos, spaceBefore };
    }
    while (i < source.length && !isSpace(source[i]!) && !PUNCT.has(source[i]!) && opLengthAt(source, i) === 0) i++;
    this.pos = i;
    return { kind: 'word', value: source.slice(start, i), start, end: i, spaceBefore };
  }

  /** The cursor position, to come back to with `reset` after looking ahead. */
  mark(): number {
    return this.pos;
  }

  /** Moves the cursor back to a position from `mark`. */
  reset(position: number): void {
    this.pos = position;
  }

  /** The next token, not consumed. */
  peek(): Token {
    const saved = this.pos;
    const token = this.next();
    this.pos = saved;
    return token;
  }

  /**
   * Reads the raw text after an opening parenthesis up to its matching `)`, which is consumed.
   * Nested parentheses balance, and a backslash escapes the next character (as in Go globs).
   * Returns undefined when the parenthesis is never closed.
   */
  readRawUntilClose(): { value: string; end: number } | undefined {
    const { source } = this;
    let depth = 1;
    for (let i = this.pos; i < source.length; i++) {
      const ch = source[i];
      if (ch === '\\') i++;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) {
        const value = source.slice(this.pos, i);
        this.pos = i + 1;
        return { value, end: this.pos };
      }
    }
    return undefined;
  }
}
