// The clique partition under pools, on random graphs: the pieces are cliques covering every
// vertex once; exact, each piece is the heaviest clique of what is left (brute force); out
// of budget (greedy), no two pieces could still be merged; the answer depends only on the graph.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliquePartition } from '../../src/fleet/pools.js';

const graph = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    w: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: n, maxLength: n }),
    edges: fc.array(fc.boolean(), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
  }),
);
function okOf(n: number, edges: readonly boolean[]) {
  const m = new Map<string, boolean>();
  let k = 0;
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) m.set(`${a},${b}`, edges[k++]!);
  return (a: number, b: number) => a === b || m.get(a < b ? `${a},${b}` : `${b},${a}`)!;
}
const isClique = (c: readonly number[], ok: (a: number, b: number) => boolean) => c.every((a) => c.every((b) => ok(a, b)));
function heaviest(vs: readonly number[], w: readonly number[], ok: (a: number, b: number) => boolean): number {
  let best = 0;
  for (let mask = 1; mask < 1 << vs.length; mask++) {
    const set = vs.filter((_, i) => mask & (1 << i));
    if (isClique(set, ok)) best = Math.max(best, set.reduce((s, v) => s + w[v]!, 0));
  }
  return best;
}

describe('cliquePartition', () => {
  it('exact: a partition into cliques, each the heaviest of what is left', () => {
    fc.assert(
      fc.property(graph, ({ w, edges }) => {
        const n = w.length;
        const ok = okOf(n, edges);
        const { cliques, exact } = cliquePartition([...Array(n).keys()], w, ok);
        expect(exact).toBe(true);
        expect(cliques.flat().sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
        let left = [...Array(n).keys()];
        for (const c of cliques) {
          expect(isClique(c, ok)).toBe(true);
          expect(c.reduce((s, v) => s + w[v]!, 0)).toBe(heaviest(left, w, ok));
          left = left.filter((v) => !c.includes(v));
        }
      }),
      { seed: 20261201, numRuns: 200 },
    );
  });

  it('out of budget: still cliques covering every vertex once, none two of which could merge', () => {
    fc.assert(
      fc.property(graph, ({ w, edges }) => {
        const n = w.length;
        const ok = okOf(n, edges);
        const { cliques, exact } = cliquePartition([...Array(n).keys()], w, ok, 0);
        expect(exact).toBe(false);
        expect(cliques.flat().sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
        for (const c of cliques) expect(isClique(c, ok)).toBe(true);
        for (let i = 0; i < cliques.length; i++) for (let j = i + 1; j < cliques.length; j++) expect(isClique([...cliques[i]!, ...cliques[j]!], ok)).toBe(false);
        expect(cliquePartition([...Array(n).keys()], w, ok, 0)).toEqual({ cliques, exact });
      }),
      { seed: 20261201, numRuns: 200 },
    );
  });
});
