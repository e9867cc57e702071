// register-list memoises twice below its rule key (src/rules/register-list.ts): the missing
// registers per pair of lists, and each finding per (VMM, register, probing, value). The rule's
// own `fresh` shares both, so here every pair is held to registerListFindings(…, false), which
// shares nothing: on probed and stated register lists with uncatalogued registers (whose
// judgement turns on whether the destination was probed) and on random hosts, in both orders.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GuestModel, HostModel } from '../../src/model.js';
import registerList, { registerListFindings } from '../../src/rules/register-list.js';
import { worded, type Judged } from '../../src/rules/rule.js';
import { withSourceMachineType } from '../../src/solver/machine-state.js';
import { vmState } from '../../src/solver/vm-state.js';
import { anyHost, guests } from './arbitrary-hosts.js';
import { listHosts } from './special-hosts.js';

function memoEqualsFresh(hosts: HostModel[], g: GuestModel): void {
  for (const a of hosts)
    for (const b of hosts) {
      const gs = withSourceMachineType(g, a);
      const ctx = { src: vmState({ host: a, guest: gs }), dst: vmState({ host: b, guest: gs }) };
      const fresh = JSON.stringify(registerListFindings(ctx.src, ctx.dst, false).map((f) => worded(f as Judged, ctx)));
      expect(JSON.stringify(registerList.check(ctx)), `${a.name} -> ${b.name}`).toBe(fresh);
      expect(JSON.stringify(registerList.judge(ctx).map((f) => worded(f, ctx)))).toBe(fresh);
    }
}

describe('register-list: memoised findings = findings made afresh', () => {
  it('on probed and stated register lists with uncatalogued registers', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(listHosts, { minLength: 2, maxLength: 6 }), fc.constantFrom(...guests), (hosts, g) => memoEqualsFresh(hosts, g)),
      { seed: 20261203, numRuns: 40 },
    );
  });
  it('on random hosts', () => {
    fc.assert(
      fc.property(fc.array(anyHost, { minLength: 2, maxLength: 5 }), fc.constantFrom(...guests), (hosts, g) => memoEqualsFresh(hosts, g)),
      { seed: 20261204, numRuns: 40 },
    );
  });
});
