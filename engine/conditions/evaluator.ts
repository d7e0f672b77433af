/**
 * Evaluates a parsed condition against one probe result, Gatus-style: values are strings;
 * `==`/`!=` compare as integers when both sides are Go integers (`0x1 == 1`) and as exact text
 * otherwise; `<`/`<=`/`>`/`>=` compare numbers, durations counting as milliseconds (`48h`).
 * Unlike Gatus, a value that is missing (a JSON path that finds nothing) or not a number in an
 * ordering comparison fails the condition whatever the operator, instead of being compared as
 * the text "... (INVALID)" or as 0 — which made `[BODY].missing < 5` pass in Gatus.
 */

import { compileGlob, matchGlob } from './glob.js';
import { jsonLength, jsonText, lookup, type ParsedBody, parseBody } from './json-path.js';
import { DURATION_VALUED } from './placeholders.js';
import type {
  CallNode,
  ConditionAst,
  ConditionContext,
  EvaluateOptions,
  EvaluationResult,
  Operand,
  PlaceholderNode,
} from './types.js';
import { formatDuration, parseGoInt, toNumber } from './values.js';

/** A resolved operand: its text, or `undefined` when the value is missing. */
type Value = string | undefined;

/** Gatus truncates a value shown next to `pat()` to 25 characters; Ploy also caps any value. */
const PATTERN_DISPLAY_LIMIT = 25;
const DISPLAY_LIMIT = 200;

// Bodies are parsed once per probe result, however many conditions read them.
const bodies = new WeakMap<ConditionContext, ParsedBody>();

function parsedBody(ctx: ConditionContext): ParsedBody {
  let parsed = bodies.get(ctx);
  if (!parsed) {
    parsed = parseBody(ctx.body);
    bodies.set(ctx, parsed);
  }
  return parsed;
}

function trimmedBody(ctx: ConditionContext): string {
  return (ctx.body ?? '').trim();
}

/** A placeholder's value; absent probe fields resolve to Gatus's zero values (0, false, ""). */
function placeholderValue(node: PlaceholderNode, ctx: ConditionContext): Value {
  switch (node.name) {
    case 'STATUS':
      return String(ctx.status ?? 0);
    case 'RESPONSE_TIME':
      return String(Math.trunc(ctx.responseTimeMs ?? 0));
    case 'CONNECTED':
      return String(ctx.connected ?? false);
    case 'IP':
      return ctx.ip ?? '';
    case 'DNS_RCODE':
      return ctx.dnsRcode ?? '';
    case 'CERTIFICATE_EXPIRATION':
      return String(Math.trunc(ctx.certificateExpirationMs ?? 0));
    case 'DOMAIN_EXPIRATION':
      return String(Math.trunc(ctx.domainExpirationMs ?? 0));
    case 'BODY': {
      if (node.path.length === 0) return trimmedBody(ctx);
      const found = lookup(parsedBody(ctx), node.path);
      return found === undefined ? undefined : jsonText(found);
    }
  }
}

/** `len()`: array element count for JSON arrays, otherwise the number of characters. */
function lengthOf(arg: PlaceholderNode, ctx: ConditionContext): Value {
  if (arg.name === 'BODY') {
    if (arg.path.length === 0) {
      // A whole body counts elements only when it is a JSON array, as in Gatus; else characters.
      const body = parsedBody(ctx);
      if (body.ok && Array.isArray(body.value)) return String(body.value.length);
      return String(Array.from(trimmedBody(ctx)).length);
    }
    const found = lookup(parsedBody(ctx), arg.path);
    return found === undefined ? undefined : String(jsonLength(found));
  }
  const value = placeholderValue(arg, ctx);
  return value === undefined ? undefined : String(Array.from(value).length);
}

/** `has()`: whether a JSON path finds a non-null value; for other placeholders, non-empty. */
function hasValue(arg: PlaceholderNode, ctx: ConditionContext): string {
  if (arg.name === 'BODY' && arg.path.length > 0) return String(lookup(parsedBody(ctx), arg.path) !== undefined);
  if (arg.name === 'BODY') return String(trimmedBody(ctx) !== '');
  return String(placeholderValue(arg, ctx) !== '');
}

function callValue(node: CallNode, ctx: ConditionContext): Value {
  return node.fn === 'len' ? lengthOf(node.arg, ctx) : hasValue(node.arg, ctx);
}

/** The value of a side that has one (`pat()`/`any()` are matchers, not values). */
function operandValue(operand: Operand, ctx: ConditionContext): Value {
  if (operand.type === 'placeholder') return placeholderValue(operand, ctx);
  if (operand.type === 'call') return callValue(operand, ctx);
  if (operand.type === 'literal') return operand.value;
  return undefined;
}

/** `==` without negation: matchers first, then integers (Go syntax), then exact text. */
function equal(left: Operand, right: Operand, ctx: ConditionContext): boolean | undefined {
  const matcher = [left, right].find((o) => o.type === 'pattern' || o.type === 'any');
  if (matcher) {
    const value = operandValue(matcher === left ? right : left, ctx);
    if (value === undefined) return undefined;
    if (matcher.type === 'any') return matcher.options.includes(value);
    const glob = compileGlob(matcher.type === 'pattern' ? matcher.pattern : '');
    return glob.ok && matchGlob(glob.glob, value);
  }
  const a = operandValue(left, ctx);
  const b = operandValue(right, ctx);
  if (a === undefined || b === undefined) return undefined;
  const [x, y] = [parseGoInt(a), parseGoInt(b)];
  return x !== undefined && y !== undefined ? x === y : a === b;
}

function compare(ast: ConditionAst, ctx: ConditionContext): boolean {
  const { left, operator, right } = ast;
  if (operator === '==' || operator === '!=') {
    const same = equal(left, right, ctx);
    return same === undefined ? false : same === (operator === '==');
  }
  const l = operandValue(left, ctx);
  const r = operandValue(right, ctx);
  const a = l === undefined ? undefined : toNumber(l);
  const b = r === undefined ? undefined : toNumber(r);
  if (a === undefined || b === undefined) return false;
  if (operator === '<') return a < b;
  if (operator === '<=') return a <= b;
  if (operator === '>') return a > b;
  return a >= b;
}

function truncate(value: string, limit: number): string {
  const chars = Array.from(value);
  return chars.length > limit ? `${chars.slice(0, limit).join('')}...(truncated)` : value;
}

/** How one side is shown: `[STATUS] (503)`, `[BODY].x (INVALID)`, or as written. */
function display(side: Operand, other: Operand, ast: ConditionAst, ctx: ConditionContext): string {
  if (side.type !== 'placeholder' && side.type !== 'call') return side.text;
  const value = operandValue(side, ctx);
  if (value === undefined) return `${side.text} (INVALID)`;
  const ordering = ast.operator !== '==' && ast.operator !== '!=';
  let shown = value;
  if (ordering && side.type === 'placeholder' && DURATION_VALUED.has(side.name)) {
    shown = formatDuration(Number(value));
  }
  shown = truncate(shown, other.type === 'pattern' ? PATTERN_DISPLAY_LIMIT : DISPLAY_LIMIT);
  return shown === side.text ? side.text : `${side.text} (${shown})`;
}

/**
 * Evaluates a condition against a probe result. Never throws. `resolved` shows the values read
 * (`[STATUS] (503) == 200`); by default for passed conditions too, which Gatus only does with
 * `ui.resolve-successful-conditions`.
 */
export function evaluate(ast: ConditionAst, ctx: ConditionContext, options: EvaluateOptions = {}): EvaluationResult {
  const success = compare(ast, ctx);
  const show = success ? (options.resolveSuccessful ?? true) : (options.resolveFailed ?? true);
  if (!show) return { success, resolved: ast.text };
  const left = display(ast.left, ast.right, ast, ctx);
  const right = display(ast.right, ast.left, ast, ctx);
  return { success, resolved: `${left} ${ast.operator} ${right}` };
}
