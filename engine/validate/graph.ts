/**
 * Directed graph helpers over string node ids. Edges point from a node to what it depends on.
 * Deterministic: ties are broken by the caller's `rank`, then by id.
 */

/** Every elementary cycle found by DFS, each as the path that closes it (`a → b → a`). */
export function findCycles(nodes: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(m)), m];
        // One report per cycle, whichever node it was entered from.
        const id = [...cycle.slice(0, -1)].sort().join('|');
        if (!seen.has(id)) {
          seen.add(id);
          cycles.push(cycle);
        }
      } else if (!state.has(m) && nodes.includes(m)) {
        visit(m);
      }
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...nodes].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

/**
 * Dependencies first (Kahn's algorithm). Nodes caught in a cycle come last in rank order, so a
 * plan of an invalid graph still has an order; validation reports the cycle.
 */
export function topoSort(
  nodes: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
  rank: (id: string) => number = () => 0,
): string[] {
  const set = new Set(nodes);
  const pending = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  for (const n of nodes) {
    const deps = (edges.get(n) ?? []).filter((d) => set.has(d) && d !== n);
    pending.set(n, new Set(deps).size);
    for (const d of new Set(deps)) dependants.set(d, [...(dependants.get(d) ?? []), n]);
  }
  const cmp = (a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  const ready = nodes.filter((n) => pending.get(n) === 0).sort(cmp);
  const out: string[] = [];
  while (ready.length > 0) {
    const n = ready.shift()!;
    out.push(n);
    for (const m of dependants.get(n) ?? []) {
      const left = pending.get(m)! - 1;
      pending.set(m, left);
      if (left === 0) {
        ready.push(m);
        ready.sort(cmp);
      }
    }
  }
  const rest = nodes.filter((n) => !out.includes(n)).sort(cmp);
  return [...out, ...rest];
}
