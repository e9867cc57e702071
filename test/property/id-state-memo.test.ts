// idState interns what it computes (src/solver/id-state.ts): per (host, guest CPU settings), the
// host's own values per (core entry, ID-register inputs) and the guest-visible values per (own
// values, release, vCPU features). Every state must equal idStateFresh, which shares none of it,
// on random hosts, including those with probed values, boot options, hand-set fields and stated
// SVE lengths, asked in random order so the interned values are made by any of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idState, idStateFresh } from '../../src/solver/id-state.js';
import { withSourceMachineType } from '../../src/solver/machine-state.js';
import { anyHost, guests } from './arbitrary-hosts.js';
import { idInputHosts, pointHosts } from './special-hosts.js';

const flat = (s: ReturnType<typeof idState>) => ({ ...s, regs: [...s.regs].sort(), host: [...s.host].sort(), boot: [...s.boot].sort() });

describe('idState (interned) = idStateFresh', () => {
  it('on random hosts and guests', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyHost, fc.constantFrom(...idInputHosts, ...pointHosts)), { minLength: 1, maxLength: 8 }), fc.subarray([...guests], { minLength: 1, maxLength: 3 }), (hosts, gs) => {
        for (const g of gs)
          for (const h of hosts) {
            const e = { host: h, guest: withSourceMachineType(g, h) };
            expect(flat(idState(e)), `${h.name} / ${g.name}`).toEqual(flat(idStateFresh(e)));
          }
      }),
      { seed: 20261205, numRuns: 150 },
    );
  });
});
