/** The placeholder vocabulary, and which placeholders a parsed condition reads. */

import type { ConditionAst, Operand, PlaceholderName } from './types.js';

/** Every placeholder Ploy understands, in the order Gatus documents them. */
export const PLACEHOLDER_NAMES: readonly PlaceholderName[] = [
  'STATUS',
  'RESPONSE_TIME',
  'IP',
  'BODY',
  'CONNECTED',
  'CERTIFICATE_EXPIRATION',
  'DOMAIN_EXPIRATION',
  'DNS_RCODE',
];

/** Placeholders whose values are never numbers, so `<`/`>` on them is a config mistake. */
export const NON_NUMERIC: ReadonlySet<PlaceholderName> = new Set(['CONNECTED', 'IP', 'DNS_RCODE']);

/** Placeholders holding a time span in ms, shown as a duration (`336h`) in `<`/`>` results. */
export const DURATION_VALUED: ReadonlySet<PlaceholderName> = new Set(['CERTIFICATE_EXPIRATION', 'DOMAIN_EXPIRATION']);

/** The canonical name for a placeholder written in any case (Gatus accepts `[status]`). */
export function placeholderNamed(written: string): PlaceholderName | undefined {
  const upper = written.toUpperCase();
  return PLACEHOLDER_NAMES.find((name) => name === upper);
}

function operandPlaceholder(operand: Operand): PlaceholderName | undefined {
  if (operand.type === 'placeholder') return operand.name;
  if (operand.type === 'call') return operand.arg.name;
  return undefined;
}

/**
 * The placeholders a condition reads, so a probe fetches only what is needed: without `BODY`
 * there is no body download, without `DOMAIN_EXPIRATION` no WHOIS lookup.
 */
export function placeholdersOf(ast: ConditionAst): ReadonlySet<PlaceholderName> {
  const names = new Set<PlaceholderName>();
  for (const operand of [ast.left, ast.right]) {
    const name = operandPlaceholder(operand);
    if (name) names.add(name);
  }
  return names;
}
