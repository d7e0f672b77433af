import { KINDS } from '../../model/resource.js';
import { hasErrors, publicDiagnostic } from '../../model/diagnostic.js';
import type { CliDeps } from '../deps.js';
import { printDiagnostics } from '../output.js';
import { type CommonFlags, configFrom, desiredFrom } from '../prepare.js';

export interface ValidateFlags extends CommonFlags {
  format: 'text' | 'json';
}

/** `ploy validate`: exit 0 valid, 1 invalid. Never opens the store or Docker. */
export async function validateCommand(deps: CliDeps, flags: ValidateFlags): Promise<number> {
  const { config, diagnostics: configDs } = configFrom(deps, flags);
  const desired = config ? await desiredFrom(deps, config) : undefined;
  const diagnostics = [...configDs, ...(desired?.diagnostics ?? [])];
  const valid = !hasErrors(diagnostics);
  if (flags.format === 'json') {
    const shown = diagnostics.map(publicDiagnostic);
    deps.stdout.write(`${JSON.stringify({ valid, diagnostics: shown }, null, 2)}\n`);
    return valid ? 0 : 1;
  }
  printDiagnostics(valid ? deps.stdout : deps.stderr, diagnostics, !!deps.stdout.isTTY);
  if (valid && desired) {
    const counts = KINDS.map((k) => [k, desired.resources.filter((r) => r.kind === k).length] as const)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`);
    deps.stdout.write(`Valid: ${desired.resources.length} resources${counts.length ? ` (${counts.join(', ')})` : ''}.\n`);
  } else {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    deps.stderr.write(`Invalid: ${n} error${n === 1 ? '' : 's'}.\n`);
  }
  return valid ? 0 : 1;
}
