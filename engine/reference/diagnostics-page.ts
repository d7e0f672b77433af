import { DIAGNOSTIC_CODES } from '../validate/diagnostic-codes.js';
import { anchorOf, code, GENERATED, page, table } from './markdown.js';

/** docs/reference/diagnostics.md: every diagnostic code, what causes it and how to fix it. */
export function diagnosticsPage(): string {
  const codes = Object.entries(DIAGNOSTIC_CODES);
  return page([
    GENERATED,
    '# Diagnostics',
    'A problem in the config is a diagnostic: a severity, a stable code, a message, and where it is (file relative to the source root, line, column). `ploy validate`, `ploy plan` and `ploy serve` report them; many are reported at once. An error stops a revision from being applied (the last good revision keeps running); a warning does not.',
    [
      'Text output, one per line: `apps/web.yaml:3:1: error: Duplicate key "name" in a mapping: each key may appear once.` ',
      'JSON output (`ploy validate --format json`, `ploy plan --format json`): `{"severity", "code", "message", "file", "line", "column"}`.',
      'Generated from [engine/validate/diagnostic-codes.ts](../../engine/validate/diagnostic-codes.ts), which the compiler keeps complete.',
    ].join(''),
    table(
      ['Code', 'Severity', 'Cause'],
      codes.map(([c, d]) => [`[${code(c)}](#${anchorOf(c)})`, d.severity, d.cause]),
    ),
    ...codes.map(([c, d]) => [`## ${c}`, `Severity: ${d.severity}.`, `Cause: ${d.cause}`, `Fix: ${d.fix}`].join('\n\n')),
  ]);
}
