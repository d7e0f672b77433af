import { publicDiagnostic } from '../model/diagnostic.js';
import type { Plan, PlanDocument } from './types.js';
import { summarize } from './types.js';

/**
 * The versioned JSON form of a plan (formatVersion 1, no-ops left out), kept beside the plan data
 * as Terraform keeps its plan format: the store records it, the API returns it, every renderer
 * and the golden tests read it, and `ploy plan --format json` prints it.
 */
export function planDocument(plan: Plan): PlanDocument {
  const changes = plan.changes.filter((c) => c.action !== 'noop').map(({ key: _key, ...c }) => c);
  return {
    formatVersion: 1,
    revision: plan.basis.revision,
    actualHash: plan.basis.actualHash,
    ...(plan.basis.unobserved ? { unobserved: plan.basis.unobserved } : {}),
    summary: summarize(plan.changes),
    changes,
    kept: plan.kept,
    diagnostics: plan.diagnostics.map(publicDiagnostic),
  };
}
