import { publicDiagnostic } from '../validate/diagnostic.js';
import type { Plan, PlanDocument } from '../plan/types.js';
import { summarize } from '../plan/types.js';

/**
 * The versioned JSON form of a plan (FORMAT.md): no-ops left out, `formatVersion: 1`. The other
 * renderers, the store, the API and golden tests all read this form.
 */
export function planDocument(plan: Plan): PlanDocument {
  const changes = plan.changes
    .filter((c) => c.action !== 'noop')
    .map(({ key: _key, ...c }) => c as PlanDocument['changes'][number]);
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

export const renderJson = (plan: Plan): string => `${JSON.stringify(planDocument(plan), null, 2)}\n`;
