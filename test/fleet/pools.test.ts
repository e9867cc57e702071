// The clique partition under pools, on random graphs: the pieces are cliques covering every
// vertex once; exact, each piece is the heaviest clique of what is left (brute force); out
// of budget (greedy), no two pieces could still be merged; the answer depends only on the graph.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliquePartition, mergeCliques } from '../../src/fleet/pools.js';

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

// cliquePartition searches on bit rows (src/fleet/pools.ts Graph) for speed; the plain search it
// was written from, on arrays and `ok`, must give the same cliques and run out of budget at the
// same step: the bit rows change nothing but the cost.
function plainPartition(vs: readonly number[], w: readonly number[], ok: (a: number, b: number) => boolean, budget: number) {
  const search = { steps: 0, exact: true, budget };
  const heaviest = (vs: readonly number[]): number[] => {
    const order = [...vs].sort((a, b) => w[b]! - w[a]! || a - b);
    let best: number[] = [];
    let bestW = -1;
    for (const s of order.slice(0, 8)) {
      const c = [s];
      let cw = w[s]!;
      for (const v of order) if (v !== s && c.every((x) => ok(x, v))) c.push(v), (cw += w[v]!);
      if (cw > bestW) (best = c), (bestW = cw);
    }
    if (!search.exact) return best;
    const expand = (c: number[], cw: number, cand: readonly number[]) => {
      if (++search.steps > search.budget) {
        search.exact = false;
        return;
      }
      if (cw > bestW) (best = [...c]), (bestW = cw);
      let rest = cand.reduce((n, v) => n + w[v]!, 0);
      for (let i = 0; i < cand.length && search.exact; i++) {
        if (cw + rest <= bestW) return;
        const v = cand[i]!;
        c.push(v);
        expand(c, cw + w[v]!, cand.slice(i + 1).filter((u) => ok(v, u)));
        c.pop();
        rest -= w[v]!;
      }
    };
    expand([], 0, order);
    return best;
  };
  let left = [...vs];
  const cliques: number[][] = [];
  while (left.length) {
    const c = heaviest(left);
    cliques.push(c);
    left = left.filter((i) => !c.includes(i));
  }
  // the merge after a greedy search is shared (its meaning is tested above: no two pools left could merge)
  if (!search.exact) mergeCliques(cliques, ok);
  return { cliques, exact: search.exact };
}

describe('cliquePartition = the plain search', () => {
  const big = fc.integer({ min: 1, max: 70 }).chain((n) =>
    fc.record({
      w: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: n, maxLength: n }),
      edges: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
      p: fc.double({ min: 0, max: 1, noNaN: true }),
      budget: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 }), fc.constant(200_000)),
    }),
  );
  it('on random graphs (words of 32 vertices and more), weights with ties, budgets that run out mid-search', () => {
    fc.assert(
      fc.property(big, ({ w, edges, p, budget }) => {
        const n = w.length;
        const ok = okOf(
          n,
          edges.map((x) => x < p),
        );
        expect(cliquePartition([...Array(n).keys()], w, ok, budget)).toEqual(plainPartition([...Array(n).keys()], w, ok, budget));
      }),
      { seed: 20261201, numRuns: 150 },
    );
  });
});
