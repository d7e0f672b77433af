/**
 * Types of the Gatus-compatible conditions language: the AST the parser builds, the probe result
 * the evaluator reads, and the results both return. Plain data only, so an AST can be cached
 * per monitor and shared between checks.
 */

/** A comparison operator. Gatus requires whitespace around it (`[STATUS]==200` is invalid). */
export type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** The placeholders Ploy understands, by canonical (upper-case) name, without brackets. */
export type PlaceholderName =
  'STATUS' | 'RESPONSE_TIME' | 'BODY' | 'CONNECTED' | 'IP' | 'DNS_RCODE' | 'CERTIFICATE_EXPIRATION' | 'DOMAIN_EXPIRATION';

/** One step of a `[BODY]` JSON path: `.key` or `[index]`. */
export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number };

/** Fields every operand node carries: its source text as written and its 1-based column. */
interface NodeBase {
  /** The operand exactly as written in the condition (used when displaying the resolved form). */
  text: string;
  /** 1-based column of the operand's first character in the condition text. */
  column: number;
}

/** `[NAME]` optionally followed by a JSON path (only `[BODY]` takes one). */
export interface PlaceholderNode extends NodeBase {
  type: 'placeholder';
  name: PlaceholderName;
  path: PathSegment[];
}

/** `len(placeholder)` or `has(placeholder)`: a value computed from a placeholder. */
export interface CallNode extends NodeBase {
  type: 'call';
  fn: 'len' | 'has';
  arg: PlaceholderNode;
}

/** `pat(glob)`: matches the other side against a glob (`*`, `?`, `[a-z]`); only with `==`/`!=`. */
export interface PatternNode extends NodeBase {
  type: 'pattern';
  /** The glob as written between the parentheses, untrimmed (spaces are part of it). */
  pattern: string;
}

/** `any(a, b, c)`: the other side equals one of the (trimmed) options; only with `==`/`!=`. */
export interface AnyNode extends NodeBase {
  type: 'any';
  options: string[];
}

/** Anything else: Gatus values are unquoted, so a literal is the raw text (quotes included). */
export interface LiteralNode extends NodeBase {
  type: 'literal';
  value: string;
}

/** One side of a comparison. */
export type Operand = PlaceholderNode | CallNode | PatternNode | AnyNode | LiteralNode;

/** A parsed condition: exactly one comparison. */
export interface ConditionAst {
  type: 'condition';
  left: Operand;
  operator: Operator;
  right: Operand;
  /** The condition text as given to the parser. */
  text: string;
}

/** What `parseCondition` returns; it never throws. `column` is 1-based. */
export type ParseResult = { ok: true; ast: ConditionAst } | { ok: false; error: string; column: number };

/**
 * The result of one probe, as the evaluator sees it. Absent values resolve like Gatus's zero
 * values (`[STATUS]` → 0, `[CONNECTED]` → false, `[IP]` → empty) so a condition that does not fit
 * the probe fails visibly instead of throwing.
 */
export interface ConditionContext {
  status?: number;
  responseTimeMs?: number;
  /** The response body as text; parsed as JSON lazily, at most once per context object. */
  body?: string;
  connected?: boolean;
  ip?: string;
  /** DNS response code name: NOERROR, NXDOMAIN, SERVFAIL, ... */
  dnsRcode?: string;
  /** Time left before the certificate expires, in milliseconds. */
  certificateExpirationMs?: number;
  /** Time left before the domain registration expires, in milliseconds. */
  domainExpirationMs?: number;
}

/** Outcome of evaluating one condition. */
export interface EvaluationResult {
  success: boolean;
  /** The condition with placeholder values shown Gatus-style: `[STATUS] (503) == 200`. */
  resolved: string;
}

/** Display options for `evaluate`, mirroring Gatus's `ui.*-resolve-*-conditions` settings. */
export interface EvaluateOptions {
  /** Show values in passed conditions too (Gatus default: false; Ploy default: true). */
  resolveSuccessful?: boolean;
  /** Show values in failed conditions (default true). */
  resolveFailed?: boolean;
}
