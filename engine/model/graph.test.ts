import { describe, expect, it } from 'vitest';
import { findCycles, topoSort } from './graph.js';

const edges = (o: Record<string, string[]>) => new Map(Object.entries(o));

describe('topoSort', () => {
  it('puts dependencies first and breaks ties by rank, then name', () => {
    const order = topoSort(['web', 'db', 'cache', 'alert'], edges({ web: ['db', 'cache'] }), (id) => (id === 'alert' ? 0 : 1));
    expect(order).toEqual(['alert', 'cache', 'db', 'web']);
  });

  it('still orders every node of a cycle, after the rest', () => {
    expect(topoSort(['a', 'b', 'c'], edges({ a: ['b'], b: ['a'] }))).toEqual(['c', 'a', 'b']);
  });

  it('orders ten thousand nodes with chains in well under a second', () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) => `n${String(i).padStart(5, '0')}`);
    const e = new Map(nodes.map((n, i) => [n, i % 10 ? [nodes[i - 1]] : []]));
    const started = performance.now();
    const order = topoSort(nodes, e, (id) => Number(id.slice(1)) % 4);
    expect(performance.now() - started).toBeLessThan(500);
    const at = new Map(order.map((n, i) => [n, i]));
    for (const [n, deps] of e) for (const d of deps) expect(at.get(d)!).toBeLessThan(at.get(n)!);
  });
});

describe('findCycles', () => {
  it('names each cycle once, as the path that closes it', () => {
    expect(findCycles(['a', 'b', 'c', 'd'], edges({ a: ['b'], b: ['c'], c: ['a'], d: ['d'] }))).toEqual([
      ['a', 'b', 'c', 'a'],
      ['d', 'd'],
    ]);
  });
});
