// Drain (src/fleet/drain.ts) keeps each pool's wave-size sum and moves it as waves upgrade
// hosts; written for speed, so it is held here to waveSizeOf, the sum counted afresh, on random
// pools, clean relations and sequences of waves (including pools asked late and waves of 0).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Drain, waveSizeOf, type CleanTo } from '../../src/fleet/drain.js';

const plans = fc
  .integer({ min: 1, max: 7 })
  .chain((n) =>
    fc.record({
      pools: fc.array(fc.record({ count: fc.integer({ min: 0, max: 9 }), target: fc.boolean() }), { minLength: n, maxLength: n }),
      // relation[i][q][side]
      relation: fc.array(fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
      headroom: fc.constantFrom(0, 0.25, 0.5, 1, 3),
      steps: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(9), fc.boolean()), { maxLength: 25 }),
    }),
  );

describe('Drain', () => {
  it('gives every pool the wave size counted afresh, after any waves', () => {
    fc.assert(
      fc.property(plans, ({ pools, relation, headroom, steps }) => {
        const ps = pools.map((p) => (p.target ? { count: p.count, target: true } : { count: p.count }));
        const cleanFrom = (i: number): CleanTo => (q, side) => relation[i]![q]![side];
        const drain = new Drain(ps, cleanFrom);
        const upgraded = ps.map(() => 0);
        for (const [i, k0, ask] of steps) {
          // a pool is asked when the plan considers it; some never are until late
          if (ask) expect(drain.size(i, headroom)).toBe(waveSizeOf(i, ps, upgraded, headroom, cleanFrom(i)));
          const k = Math.min(k0, ps[i]!.count - upgraded[i]!);
          drain.upgrade(i, k);
          upgraded[i]! += k;
          expect(drain.upgraded).toEqual(upgraded);
        }
        for (let i = 0; i < ps.length; i++) expect(drain.size(i, headroom)).toBe(waveSizeOf(i, ps, upgraded, headroom, cleanFrom(i)));
      }),
      { numRuns: 400 },
    );
  });
});
