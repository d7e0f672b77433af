import type { ResourceKey } from '../model/resource.js';
import type { AppliedResource } from '../ports/store.js';
import { hashOf } from '../model/canonical.js';
import type { ActualResource, ActualState } from './compute.js';

/**
 * The actual state as the store remembers it: the last-applied spec of every resource. Apps'
 * live Docker state refines this when a runtime is connected.
 */
export function actualFromApplied(applied: readonly AppliedResource[], unobserved?: ActualState['unobserved']): ActualState {
  const resources = new Map<ResourceKey, ActualResource>();
  for (const a of applied) {
    resources.set(`${a.kind}/${a.name}`, {
      kind: a.kind,
      name: a.name,
      spec: a.spec as Record<string, unknown>,
      protect: a.protect,
    });
  }
  return { resources, hash: actualHash(resources), unobserved };
}

/** Hash of what the plan compares against; a saved plan is only applied while this is unchanged. */
export function actualHash(resources: ReadonlyMap<ResourceKey, ActualResource>): string {
  const entries = [...resources.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, r]) => [key, r.spec, r.protect, r.drift ?? null]);
  return hashOf(entries);
}
