import { kinds } from '../../engine/kinds/registry.js';
import type { Kind } from '../../engine/model/resource.js';
import { hashOf } from '../../engine/model/canonical.js';
import type { Store } from '../../engine/ports/store.js';

/** Records resources as applied (defaulted, as an apply would), without a source. */
export async function markApplied(
  store: Store,
  resources: Array<{ kind: Kind; name: string; spec: Record<string, unknown> }>,
): Promise<void> {
  const plan = await store.recordPlan({
    revisionId: null,
    plan: {},
    actualHash: 'test',
    summary: { create: 0, update: 0, replace: 0, delete: 0 },
  });
  const now = new Date();
  const apply = await store.startApply({ planId: plan.id, revisionId: null, trigger: 'test', startedAt: now });
  for (const r of resources) {
    const spec = kinds[r.kind].withDefaults({ kind: r.kind, name: r.name, ...r.spec });
    await store.recordChangeResult(
      apply.id,
      { kind: r.kind, name: r.name, action: 'create', status: 'succeeded', startedAt: now, finishedAt: now },
      { put: { kind: r.kind, name: r.name, spec, specHash: hashOf(spec), revisionId: null, appliedAt: now, protect: false } },
    );
  }
  await store.finishApply(apply.id, 'succeeded', now);
}
