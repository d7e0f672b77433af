import type { Plan } from '../plan/types.js';
import type { Store } from '../ports/store.js';

/**
 * The app changes to hold back: those whose exact spec already failed to roll out at this
 * revision (pushing it again would fail again, in a loop). A new commit, or `ploy apply`,
 * tries again.
 */
export async function heldBack(store: Store, plan: Plan, revision: string): Promise<Set<string>> {
  const failures = await store.listDeployFailures();
  if (failures.length === 0) return new Set();
  const failed = new Set(failures.filter((f) => f.revision === revision).map((f) => `App/${f.app}@${f.specHash}`));
  return new Set(plan.changes.filter((c) => c.kind === 'App' && failed.has(`${c.key}@${c.afterHash}`)).map((c) => c.key));
}
