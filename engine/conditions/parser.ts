/**
 * Parser for Gatus conditions: `OPERAND OPERATOR OPERAND`, where an operand is a placeholder with
 * an optional JSON path, `len()`/`has()` of one, `pat()`/`any()` with raw arguments, or literal
 * text (unquoted, may contain spaces, e.g. `[BODY].message == all good`). Stricter than Gatus
 * where Gatus would silently compare nonsense (an unknown placeholder, `< potato`), because a
 * config mistake found at validation beats a monitor that can never pass.
 */

import { compileGlob } from './glob.js';
import { Lexer, type Token } from './lexer.js';
import { PLACEHOLDER_NAMES, placeholderNamed } from './placeholders.js';
import { meaningProblem } from './semantics.js';
import type { ConditionAst, Operand, Operator, ParseResult, PathSegment, PlaceholderNode } from './types.js';

const OPERATORS = '==, !=, <, <=, >, >=';
const FUNCTIONS = ['len', 'has', 'pat', 'any'] as const;

/** A syntax error at a 0-based offset; turned into a result at the API boundary. */
class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Parses one condition. Never throws: a bad condition comes back as `{ ok: false, error, column }`
 * with a 1-based column, so validation can point at the exact character.
 */
export function parseCondition(text: string): ParseResult {
  if (typeof text !== 'string') return { ok: false, error: 'a condition must be a string', column: 1 };
  try {
    return { ok: true, ast: new Parser(text).parse() };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message, column: e.offset + 1 };
    return { ok: false, error: `cannot parse condition: ${String(e)}`, column: 1 };
  }
}

class Parser {
  private readonly lexer: Lexer;

  constructor(private readonly source: string) {
    this.lexer = new Lexer(source);
  }

  parse(): ConditionAst {
    if (this.source.trim() === '') throw new ParseError('the condition is empty', 0);
    const left = this.operand('left');
    const op = this.lexer.next();
    if (op.kind === 'eof') throw new ParseError(`missing an operator (${OPERATORS}) after ${left.text}`, op.start);
    if (op.kind !== 'op') {
      throw new ParseError(`expected an operator (${OPERATORS}) after ${left.text}, found '${op.value}'`, op.start);
    }
    if (!this.isSpacedOperator(op)) throw this.unspaced(op);
    if (this.lexer.peek().kind === 'eof') throw new ParseError(`missing a value after '${op.value}'`, op.start);
    const right = this.operand('right');
    const rest = this.lexer.next();
    if (rest.kind !== 'eof') {
      const why = rest.kind === 'op' ? 'a condition has exactly one operator' : `unexpected '${rest.value}'`;
      throw new ParseError(`${why} (after ${right.text})`, rest.start);
    }
    const ast: ConditionAst = {
      type: 'condition',
      left,
      operator: op.value as Operator,
      right,
      text: this.source,
    };
    const problem = meaningProblem(ast);
    if (problem) throw new ParseError(problem.message, problem.column - 1);
    return ast;
  }

  /** Gatus only sees an operator with whitespace on both sides (or at the very end). */
  private isSpacedOperator(op: Token): boolean {
    return op.spaceBefore && this.spacedAfter(op);
  }

  private spacedAfter(op: Token): boolean {
    const mark = this.lexer.mark();
    this.lexer.reset(op.end);
    const after = this.lexer.peek();
    this.lexer.reset(mark);
    return after.spaceBefore || after.kind === 'eof';
  }

  private unspaced(op: Token): ParseError {
    return new ParseError(`put spaces around '${op.value}': Gatus needs them to see the operator`, op.start);
  }

  private operand(side: 'left' | 'right'): Operand {
    const first = this.lexer.peek();
    if (first.kind === 'op' && this.spacedAfter(first)) {
      throw new ParseError(`expected a value, found the operator '${first.value}'`, first.start);
    }
    const mark = this.lexer.mark();
    this.lexer.next();
    const second = this.lexer.peek();
    this.lexer.reset(mark);
    const glued = !second.spaceBefore;
    let node: Operand;
    if (first.value === '[' && second.kind === 'word' && glued && /^[A-Za-z_]\w*$/.test(second.value)) {
      node = this.placeholder();
    } else if (first.kind === 'word' && second.value === '(' && glued && /^[A-Za-z_]\w*$/.test(first.value)) {
      node = this.call();
    } else {
      return this.literal(side);
    }
    const next = this.lexer.peek();
    if (next.kind !== 'eof' && !next.spaceBefore) {
      if (next.kind === 'op') throw this.unspaced(next);
      throw new ParseError(`unexpected '${next.value}' after ${node.text}`, next.start);
    }
    return node;
  }

  /** `[NAME]` then `.key` / `[index]` steps written without spaces. */
  private placeholder(): PlaceholderNode {
    const open = this.lexer.next();
    const word = this.lexer.next();
    const close = this.lexer.next();
    if (close.value !== ']' || close.spaceBefore) {
      throw new ParseError(`'[' is never closed: expected ']' after '[${word.value}'`, open.start);
    }
    const name = placeholderNamed(word.value);
    if (!name) {
      const known = PLACEHOLDER_NAMES.map((n) => `[${n}]`).join(', ');
      throw new ParseError(`unknown placeholder [${word.value}] (known: ${known})`, open.start);
    }
    const path: PathSegment[] = [];
    let end = close.end;
    for (let step = this.lexer.peek(); !step.spaceBefore && (step.value === '.' || step.value === '[');) {
      if (name !== 'BODY') throw new ParseError(`only [BODY] takes a JSON path, not [${word.value}]`, step.start);
      this.lexer.next();
      const inner = this.lexer.next();
      if (step.value === '.') {
        if (inner.kind !== 'word' || inner.spaceBefore) {
          throw new ParseError(`expected a key after '.' in the JSON path`, step.end);
        }
        path.push({ kind: 'key', key: inner.value });
        end = inner.end;
      } else {
        if (inner.kind !== 'word' || inner.spaceBefore || !/^\d+$/.test(inner.value)) {
          throw new ParseError(`expected an array index (0, 1, ...) after '['`, inner.kind === 'eof' ? step.start : inner.start);
        }
        const indexClose = this.lexer.next();
        if (indexClose.value !== ']' || indexClose.spaceBefore) {
          throw new ParseError(`'[' is never closed: expected ']' after '[${inner.value}'`, step.start);
        }
        path.push({ kind: 'index', index: Number(inner.value) });
        end = indexClose.end;
      }
      step = this.lexer.peek();
    }
    return {
      type: 'placeholder',
      name,
      path,
      text: this.source.slice(open.start, end),
      column: open.start + 1,
    };
  }

  /** `len(placeholder)`, `has(placeholder)`, `pat(raw glob)`, `any(raw, comma, list)`. */
  private call(): Operand {
    const name = this.lexer.next();
    const paren = this.lexer.next();
    const column = name.start + 1;
    const fn = FUNCTIONS.find((f) => f === name.value);
    if (!fn) throw new ParseError(`unknown function '${name.value}' (known: len, has, pat, any)`, name.start);
    if (fn === 'pat' || fn === 'any') {
      const raw = this.lexer.readRawUntilClose();
      if (!raw) throw new ParseError(`'(' of ${fn}( is never closed: expected ')'`, paren.start);
      const text = this.source.slice(name.start, raw.end);
      if (fn === 'any') return { type: 'any', options: raw.value.split(',').map((o) => o.trim()), text, column };
      const glob = compileGlob(raw.value);
      if (!glob.ok) throw new ParseError(glob.error, paren.end);
      return { type: 'pattern', pattern: raw.value, text, column };
    }
    const start = this.lexer.peek();
    const mark = this.lexer.mark();
    this.lexer.next();
    const word = this.lexer.peek();
    this.lexer.reset(mark);
    if (start.value !== '[' || word.kind !== 'word' || word.spaceBefore) {
      throw new ParseError(`${fn}() takes a placeholder, such as ${fn}([BODY].items)`, start.start);
    }
    const arg = this.placeholder();
    const close = this.lexer.next();
    if (close.value !== ')') {
      if (close.kind === 'eof' || close.spaceBefore) {
        throw new ParseError(`'(' of ${fn}( is never closed: expected ')' after ${arg.text}`, paren.start);
      }
      throw new ParseError(`unexpected '${close.value}' in ${fn}(): expected ')'`, close.start);
    }
    return { type: 'call', fn, arg, text: this.source.slice(name.start, close.end), column };
  }

  /**
   * Raw text up to the operator or the end. On the left, reaching the end means the operator is
   * missing; a glued `==` seen on the way is then the likely culprit, so the error points at it.
   */
  private literal(side: 'left' | 'right'): Operand {
    const first = this.lexer.next();
    let end = first.end;
    let unspaced: Token | undefined = first.kind === 'op' ? first : undefined;
    for (let next = this.lexer.peek(); next.kind !== 'eof'; next = this.lexer.peek()) {
      if (next.kind === 'op' && this.isSpacedOperator(next)) break;
      if (next.kind === 'op') unspaced ??= next;
      this.lexer.next();
      end = next.end;
    }
    const atEnd = this.lexer.peek().kind === 'eof';
    if (side === 'left' && atEnd && unspaced && unspaced.value.length === 2) throw this.unspaced(unspaced);
    const text = this.source.slice(first.start, end);
    return { type: 'literal', value: text, text, column: first.start + 1 };
  }
}
