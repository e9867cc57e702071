// A VM state's parts are shared objects (src/solver/psci-state.ts, target-state.ts,
// hypercall-state.ts, vm-state.ts workaroundsOf/valuesOf): one per host and the inputs each
// cache is keyed on, so that the baseline search's candidate guests, which differ in one setting,
// find them made. Rule keys stand on those objects' identity (hypercall-services on a state's
// bitmaps, register-list on its values), so a cache keyed on too little would give a wrong
// verdict that the memo tests cannot see (their fresh runs read the same states). Here every
// state built the way the search builds them, host by host and candidate by candidate, is held
// to the same state built with no cache hit: a copy of the host object and a deep copy of the
// guest. The hosts include VMMs that can pin PSCI, write bitmaps and advertise target CPUs
// (arbitrary-hosts.ts ableHosts), the guests pins some of them refuse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GuestModel, HostModel } from '../../src/model.js';
import { candidates, withSettings, type GuestSettings } from '../../src/fleet/baseline.js';
import { withSourceMachineType } from '../../src/solver/machine-state.js';
import { vmState, type VmState } from '../../src/solver/vm-state.js';
import { anyHost, guests } from './arbitrary-hosts.js';
import { modelJson } from '../../src/fleet/groups.js';

/** every part a rule key or check reads, as text (the ID state has its own test: id-state-memo) */
const view = (s: VmState) =>
  JSON.stringify(
    {
      listed: s.listedInOrder,
      values: [...s.values],
      psci: s.psci,
      services: [...s.services].sort(),
      bitmaps: [...s.bitmaps],
      bitmapProblems: s.bitmapProblems,
      stolenTime: s.stolenTime,
      workarounds: [...s.workarounds],
      targets: s.targets,
      machine: s.machine,
    },
    (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v),
  );

const settingsOf = (g: GuestModel): GuestSettings => ({ psciVersion: g.psciVersion, hypercallBitmaps: g.hypercallBitmaps, stolenTime: g.stolenTime, targetCpus: g.targetCpus, machineType: g.machineType, cpu: g.cpu });

describe('shared VM-state parts = the parts built afresh', () => {
  it('for every host under the baseline candidates of random fleets', () => {
    fc.assert(
      fc.property(fc.array(anyHost, { minLength: 1, maxLength: 5 }), fc.constantFrom(...guests), (hosts, base) => {
        const start = settingsOf(base);
        const c = candidates(hosts, start);
        // each field's values once, the start's first (a value twice is a setting scored twice, and
        // counted twice against the exhaustive search's budget)
        for (const vs of Object.values(c)) {
          const keys = vs.map((v) => modelJson(v));
          expect(new Set(keys).size, keys.join(' | ')).toBe(keys.length);
        }
        for (const f of Object.keys(c) as (keyof GuestSettings)[]) expect(modelJson(c[f][0])).toBe(modelJson(start[f]));
        // the search's settings: one field off the start, as each candidate is (sharing its objects)
        const settings = (Object.keys(c) as (keyof GuestSettings)[]).flatMap((f) => c[f].map((v) => ({ ...start, [f]: v })));
        // and each with other guest kernels (the same target list object: a part keyed on the list must see them)
        const gs = settings.flatMap((s, k) => {
          const g = withSettings(base, s, `cand-${k}`);
          return [g, { ...g, guestKernel: '6.6' }, { ...g, guestKernel: '6.15' }];
        });
        for (const g of gs)
          for (const h of hosts) {
            // the guest as given, and as defined on this host (its machine type filled in: a derived guest)
            const copy = { ...h };
            const g2 = structuredClone(g);
            for (const [e, fresh] of [
              [g, g2],
              [withSourceMachineType(g, h), withSourceMachineType(g2, copy)],
            ] as const)
              expect(view(vmState({ host: h, guest: e })), `${h.name} ${JSON.stringify(settingsOf(e), (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`).toBe(view(vmState({ host: copy, guest: fresh })));
          }
      }),
      { seed: 20261204, numRuns: 60 },
    );
  });
});
