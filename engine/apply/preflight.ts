import type { Plan } from '../plan/types.js';
import { hasErrors } from '../model/diagnostic.js';

/**
 * Every check that can refuse an apply, run before anything changes. Returns the reasons;
 * empty means go.
 */
export function preflight(plan: Plan, opts: { expected?: { revision: string; actualHash: string } }): string[] {
  const problems: string[] = [];
  if (hasErrors(plan.diagnostics)) problems.push('the source has errors; nothing was applied');
  const expected = opts.expected;
  if (expected && expected.revision !== plan.basis.revision) {
    problems.push(
      `the source changed since the plan was made (plan: ${short(expected.revision)}, now: ${short(plan.basis.revision)}); run ploy plan again`,
    );
  }
  if (expected && expected.actualHash !== plan.basis.actualHash) {
    problems.push(
      'the actual state changed since the plan was made (another apply ran, or something drifted); run ploy plan again',
    );
  }
  return problems;
}

const short = (rev: string) => rev.replace(/^sha256:/, '').slice(0, 12);
