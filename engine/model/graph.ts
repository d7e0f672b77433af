/**
 * Directed graph helpers over string node ids. Edges point from a node to what it depends on.
 * Deterministic: ties are broken by the caller's `rank`, then by id. Both run in
 * O((nodes + edges) · log nodes): plans of ten thousand resources order in milliseconds.
 */

/** Every elementary cycle found by DFS, each as the path that closes it (`a → b → a`). */
export function findCycles(nodes: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const known = new Set(nodes);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 'open') {
        const cycle = [...stack.slice(stack.lastIndexOf(m)), m];
        // One report per cycle, whichever node it was entered from.
        const id = [...cycle.slice(0, -1)].sort().join('|');
        if (!seen.has(id)) {
          seen.add(id);
          cycles.push(cycle);
        }
      } else if (!state.has(m) && known.has(m)) {
        visit(m);
      }
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...nodes].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

/** A binary min-heap of node ids ordered by (rank, id). */
class ReadyQueue {
  readonly #items: Array<{ id: string; rank: number }> = [];
  get size(): number {
    return this.#items.length;
  }
  static #less(a: { id: string; rank: number }, b: { id: string; rank: number }): boolean {
    return a.rank < b.rank || (a.rank === b.rank && a.id < b.id);
  }
  push(item: { id: string; rank: number }): void {
    const h = this.#items;
    h.push(item);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!ReadyQueue.#less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): { id: string; rank: number } {
    const h = this.#items;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < h.length && ReadyQueue.#less(h[l], h[m])) m = l;
        if (r < h.length && ReadyQueue.#less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Dependencies first (Kahn's algorithm); among nodes that are ready, the lowest rank, then id,
 * goes first. Nodes caught in a cycle come last in rank order, so a plan of an invalid graph
 * still has an order; validation reports the cycle.
 */
export function topoSort(
  nodes: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
  rank: (id: string) => number = () => 0,
): string[] {
  const set = new Set(nodes);
  const ranks = new Map(nodes.map((n) => [n, rank(n)]));
  const pending = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  for (const n of nodes) {
    const deps = new Set((edges.get(n) ?? []).filter((d) => set.has(d) && d !== n));
    pending.set(n, deps.size);
    for (const d of deps) {
      const list = dependants.get(d);
      if (list) list.push(n);
      else dependants.set(d, [n]);
    }
  }
  const ready = new ReadyQueue();
  for (const n of nodes) if (pending.get(n) === 0) ready.push({ id: n, rank: ranks.get(n)! });
  const out: string[] = [];
  const done = new Set<string>();
  while (ready.size > 0) {
    const { id } = ready.pop();
    out.push(id);
    done.add(id);
    for (const m of dependants.get(id) ?? []) {
      const left = pending.get(m)! - 1;
      pending.set(m, left);
      if (left === 0) ready.push({ id: m, rank: ranks.get(m)! });
    }
  }
  const rest = nodes.filter((n) => !done.has(n)).sort((a, b) => ranks.get(a)! - ranks.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  return [...out, ...rest];
}
