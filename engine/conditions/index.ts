/**
 * The Gatus-compatible conditions language: `parseCondition` (used by validation, never throws),
 * `evaluate` (used by probes) and `placeholdersOf` (so a probe reads only what conditions need).
 */

export { evaluate } from './evaluator.js';
export { parseCondition } from './parser.js';
export { PLACEHOLDER_NAMES, placeholdersOf } from './placeholders.js';
export type {
  AnyNode,
  CallNode,
  ConditionAst,
  ConditionContext,
  EvaluateOptions,
  EvaluationResult,
  LiteralNode,
  Operand,
  Operator,
  ParseResult,
  PathSegment,
  PatternNode,
  PlaceholderName,
  PlaceholderNode,
} from './types.js';
