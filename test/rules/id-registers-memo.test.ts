// id-registers judges each register's pair of values once per process (src/rules/id-registers.ts
// registerFindings, for speed: fleets meet the same register pairs in hundreds of state pairs).
// On random knowledge-base hosts and guests, every comparison through the memo must equal the
// same comparison with every register judged afresh: the same findings, in order, worded alike.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GuestModel, HostModel } from '../../src/model.js';
import { compare } from '../../src/rules/id-registers.js';
import type { FindingInput } from '../../src/rules/rule.js';
import { withSourceMachineType } from '../../src/solver/machine-state.js';
import { vmState } from '../../src/solver/vm-state.js';
import { guest, host as specHost } from '../helpers.js';
import { composed as host, resolver as r } from '../property/arbitrary-hosts.js';

const guests: GuestModel[] = [r.guest('default'), guest({ cpu: { pauth: false, sve: false } }), guest({ cpu: { sveVectorLengths: [128, 256] } }), guest({ pmu: false }), guest({ machineType: 'virt-7.2' })];

// the point releases where entries change (MPAM 6.6.67/6.12.6, XS 6.12.2, the AArch32 registers
// 6.12.60) and hosts of one core whose own values differ (the 'host' judge reads them)
const pointReleases = ['6.6.66', '6.6.67', '6.12.1', '6.12.2', '6.12.5', '6.12.6', '6.12.59', '6.12.60'];
const v1 = { model: 'neoverse-v1', revision: 'r1p1' };
const sides: Record<string, unknown>[] = [{ cpu: v1 }, { cpu: v1, idRegisters: { 'ID_AA64PFR0_EL1.MPAM': 0 } }, { cpu: { model: 'neoverse-n2', revision: 'r0p3' } }];
const pointHost = fc.record({ k: fc.constantFrom(...pointReleases), side: fc.constantFrom(...sides) }).map(({ k, side }) => specHost({ kernel: `linux-${k}`, ...side }));

/** every ordered pair of the hosts (destinations in the order given), through the memo and afresh */
function memoEqualsFresh(hosts: HostModel[], destinations: HostModel[], g: GuestModel): void {
  for (const a of hosts)
    for (const b of destinations) {
      const gs = withSourceMachineType(g, a);
      const ctx = { src: vmState({ host: a, guest: gs }), dst: vmState({ host: b, guest: gs }) };
      const words = (fs: FindingInput[]) => JSON.stringify(fs.map((f) => ({ ...f, message: typeof f.message === 'function' ? f.message(ctx) : f.message })));
      expect(words(compare(ctx.src, ctx.dst)), `${a.name} -> ${b.name}`).toBe(words(compare(ctx.src, ctx.dst, false)));
    }
}

describe('id-registers: the register memo = every register judged afresh', () => {
  it('on random hosts and guests', () => {
    fc.assert(
      fc.property(fc.array(host, { minLength: 2, maxLength: 6 }), fc.constantFrom(...guests), (hosts, g) => memoEqualsFresh(hosts, [...hosts].reverse(), g)),
      { seed: 20261201, numRuns: 80 },
    );
  });
  it('across point releases and hosts whose own values differ', () => {
    fc.assert(
      fc.property(fc.array(pointHost, { minLength: 2, maxLength: 5 }), fc.constantFrom(...guests), (hosts, g) => memoEqualsFresh(hosts, hosts, g)),
      { seed: 20261202, numRuns: 30 },
    );
  });
});
