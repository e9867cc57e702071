// src/fleet/clean-pairs.ts (cleanRelation, and cleanMatrix for every pair at once) answers "clean or not" for every ordered pair of a fence grid by
// assessing each behaviour once per machine-type pin class and checking the destination's
// registration by name. It must equal assess(a, b, guest).verdict === 'clean' on the real
// hosts: random grids of kernels × QEMUs × CPUs, guests without a machine type (the case the
// decomposition serves), with one, and with the stolen-time and PSCI settings that read what a
// type pins.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanMatrix, cleanRelation } from '../../src/fleet/clean-pairs.js';
import { buildFence, freeGrid } from '../../src/fleet/fence.js';
import { kernelReleases } from '../../src/kb/kernels.js';
import { vmmReleases } from '../../src/kb/vmms.js';
import { Resolver } from '../../src/profile/resolve.js';
import { assess } from '../../src/solver/assess.js';
import { guest } from '../helpers.js';

const r = new Resolver();
const guests = [
  r.guest('default'),
  guest({ stolenTime: true }),
  guest({ stolenTime: false }),
  guest({ machineType: 'virt-7.2' }),
  guest({ machineType: 'virt' }),
];
const cpus = ['neoverse-n1:r3p1', 'neoverse-v1:r1p1', 'cortex-a72:r0p3'];

describe('cleanRelation and cleanMatrix = every pair assessed', () => {
  it('on random grids and guests', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...kernelReleases), { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(fc.constantFrom(...vmmReleases), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...cpus),
        fc.constantFrom(...guests),
        (kernels, vmms, cpu, g) => {
          const hosts = kernels.flatMap((k) => vmms.map((v) => r.composeHost(`linux-${k}`, `qemu-${v}`, cpu)));
          const clean = cleanRelation(hosts, g);
          // cleanMatrix (pools: every pair at once, row by row) is held to the same assessments
          const m = cleanMatrix(hosts, g);
          const S = hosts.length;
          for (let a = 0; a < S; a++)
            for (let b = 0; b < S; b++) {
              const want = assess(hosts[a]!, hosts[b]!, g).verdict === 'clean';
              expect(clean(a, b), `${hosts[a]!.name} -> ${hosts[b]!.name}`).toBe(want);
              expect(m[a * S + b], `matrix ${hosts[a]!.name} -> ${hosts[b]!.name}`).toBe(want ? 1 : 0);
            }
        },
      ),
      { seed: 20261201, numRuns: 60 },
    );
  });
});

// The fence merges combinations by verdictSignature and asks only the pairs its free test reaches: a signature that left out
// something a rule decides on (it once left out the ID-register tables' version gates: PAuth
// from QEMU 7.0 made qemu-6.0 'free' beside a failing step) shows here as a free grid that
// differs from assessing every pair of every upper set.
describe('the fence grid = every pair of every upper set assessed', () => {
  it('on random grids and guests', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...kernelReleases), { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fc.constantFrom(...vmmReleases), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...cpus),
        fc.constantFrom(...guests),
        (ks, vs, cpu, g) => {
          const kernels = ks.map((k) => `linux-${k}`);
          const vmms = vs.map((v) => `qemu-${v}`);
          const make = (k: string, v: string) => r.composeHost(k, v, cpu);
          const f = buildFence(kernels, vmms, make, g, cpu);
          const hosts = kernels.map((k) => vmms.map((v) => make(k, v)));
          const free = kernels.map((_, k) =>
            vmms.map((_, v) => {
              const set = hosts.slice(k).flatMap((row) => row.slice(v));
              return set.every((a) => set.every((b) => assess(a, b, f.guest).verdict === 'clean'));
            }),
          );
          expect(f.free).toEqual(free);
        },
      ),
      { seed: 20261201, numRuns: 40 },
    );
  });
});

// freeGrid asks only the pairs the upper sets of its free neighbours leave open; on any
// relation at all (not transitive, not symmetric) it must say what asking every pair says.
describe('freeGrid = every pair of every upper set asked', () => {
  it('on random relations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.double({ min: 0.5, max: 1, noNaN: true }), fc.integer(), (K, V, p, seed) => {
        let x = seed | 1;
        const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        const cell = Array.from({ length: (K * V) ** 2 }, () => rnd() < p);
        const clean = (k1: number, v1: number, k2: number, v2: number) => cell[(k1 * V + v1) * K * V + k2 * V + v2]!;
        const brute = Array.from({ length: K }, (_, k) =>
          Array.from({ length: V }, (_, v) => {
            const set: [number, number][] = [];
            for (let a = k; a < K; a++) for (let b = v; b < V; b++) set.push([a, b]);
            return set.every(([a, b]) => set.every(([c, d]) => clean(a, b, c, d)));
          }),
        );
        expect(freeGrid(K, V, clean)).toEqual(brute);
      }),
      { seed: 20261201, numRuns: 400 },
    );
  });
});
