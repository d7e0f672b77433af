import type { DesiredState } from '../kinds/desired.js';
import { hmacDigest } from '../kinds/digest.js';
import type { Kind } from '../kinds/resource.js';
import type { Store } from '../ports/store.js';
import { actualFromApplied } from './actual.js';
import { computePlan } from './compute.js';
import type { Plan } from './types.js';

/**
 * Desired versus the store's last-applied state. Live Docker state is not observed yet, so
 * apps are compared with what was last applied, and the plan says so.
 */
export async function planAgainstStore(desired: DesiredState, store: Store, opts: { prune: boolean }): Promise<Plan> {
  const [key, applied] = await Promise.all([store.secretKey(), store.listApplied()]);
  const hasApps = desired.resources.some((r) => r.kind === 'App') || applied.some((a) => a.kind === 'App');
  const unobserved: Kind[] = hasApps ? ['App'] : [];
  return computePlan({
    revision: desired.revision,
    desired: desired.resources,
    actual: actualFromApplied(applied, unobserved),
    digest: hmacDigest(key),
    prune: opts.prune,
    diagnostics: desired.diagnostics,
  });
}
