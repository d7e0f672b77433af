/**
 * Checks on a parsed condition that need both sides: what its operator can compare. Gatus
 * accepts these conditions and then compares nonsense (`< potato` is `< 0`, `pat()` with `<` is
 * 0); Ploy rejects them at validation, where the column still points at the mistake.
 */

import { NON_NUMERIC } from './placeholders.js';
import type { ConditionAst, Operand } from './types.js';
import { toNumber } from './values.js';

function isMatcher(operand: Operand): boolean {
  return operand.type === 'pattern' || operand.type === 'any';
}

/** Why the condition cannot be meant, with the 1-based column of the culprit; undefined if fine. */
export function meaningProblem(ast: ConditionAst): { message: string; column: number } | undefined {
  const { left, operator, right } = ast;
  if (isMatcher(left) && isMatcher(right)) {
    return {
      message: `compare ${right.text} with a placeholder or a value, not with ${left.text}`,
      column: right.column,
    };
  }
  if (operator === '==' || operator === '!=') return undefined;
  for (const side of [left, right]) {
    const at = (message: string) => ({ message, column: side.column });
    if (isMatcher(side)) return at(`${side.text.slice(0, 3)}() only works with == and !=`);
    if (side.type === 'literal' && toNumber(side.value) === undefined) {
      return at(`'${side.value}' is not a number or a duration, so '${operator}' cannot compare it`);
    }
    if (side.type === 'call' && side.fn === 'has') return at('has() is true or false: use == or !=');
    if (side.type === 'placeholder' && NON_NUMERIC.has(side.name)) {
      return at(`${side.text} is not a number: use == or !=`);
    }
  }
  return undefined;
}
