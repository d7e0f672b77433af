import { kinds } from '../kinds/registry.js';
import { KINDS } from '../model/resource.js';
import { topoSort } from '../model/graph.js';
import type { Change, OmitEach } from '../model/change.js';

const RANK = new Map<string, number>(KINDS.map((k, i) => [k, i]));
const kindRank = (key: string) => RANK.get(key.slice(0, key.indexOf('/'))) ?? KINDS.length;

/**
 * Execution order. Creates, updates and replaces run dependencies first (a referenced
 * notification before the monitor that names it, `dependsOn` apps before their dependants).
 * Deletes run after all of them, in reverse, so nothing is removed while something still
 * depends on it.
 */
export function orderChanges(changes: OmitEach<Change, 'order'>[]): Change[] {
  const edges = new Map<string, string[]>();
  for (const c of changes) {
    const spec = c.action === 'delete' ? c.before : c.after;
    const deps = kinds[c.kind]
      .references(spec)
      .filter((r) => r.ordering)
      .map((r) => `${r.kind}/${r.name}`);
    edges.set(c.key, deps);
  }
  const byKey = new Map(changes.map((c) => [c.key as string, c]));
  const live = changes.filter((c) => c.action !== 'delete').map((c) => c.key as string);
  const gone = changes.filter((c) => c.action === 'delete').map((c) => c.key as string);
  const ordered = [...topoSort(live, edges, kindRank), ...topoSort(gone, edges, kindRank).reverse()];
  return ordered.map((key, order) => ({ ...byKey.get(key)!, order }));
}
