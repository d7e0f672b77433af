import pc from 'picocolors';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Output } from '../ports/output.js';

/** One diagnostic per line, `file:line:column: error: message`, the form editors and CI link. */
export function printDiagnostics(out: Output, ds: readonly Diagnostic[], color: boolean): void {
  const c = color ? pc : pc.createColors(false);
  for (const d of ds) {
    const sev = d.severity === 'error' ? c.red('error') : c.yellow('warning');
    out.write(`${c.bold(`${d.file}:${d.line}:${d.column}`)}: ${sev}: ${d.message}\n`);
  }
}

/** A fault of the machine or the invocation (not of the user's config): one line, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
