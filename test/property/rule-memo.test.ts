// Rules memoise their findings on per-side keys of what they read (src/rules/rule.ts), word
// messages that name a host only for the pair asked, and fleet cells are built from those
// judged findings without any message (src/solver/assess.ts judgePair, src/fleet/cell.ts
// judgedCell). All of it must equal running every rule afresh: verdicts, findings (rule ids,
// subjects, messages, notes, references, sides, in order and with the same keys) and the
// cells' reasons, on random sets of knowledge-base hosts and guests. Each set also holds
// copies of its hosts under other names: a key that left out something a message or note
// reads would reuse the first copy's wording for the second.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GuestModel, HostModel } from '../../src/model.js';
import { compactCell, judgedCell } from '../../src/fleet/cell.js';
import { assessEndpoints, assessEndpointsFresh, judgePair, migratesCleanly } from '../../src/solver/assess.js';
import { rules } from '../../src/rules/index.js';
import { vmState } from '../../src/solver/vm-state.js';
import { guest } from '../helpers.js';
import { anyHost, guests, renamed } from './arbitrary-hosts.js';
import { pointHosts } from './special-hosts.js';


/** every ordered pair of the hosts and their renamed copies: memoised = fresh, as assessments, judged cells and with a second guest */
function memoEqualsFresh(picked: HostModel[], g: GuestModel, other: GuestModel): void {
  const hosts = [...picked, ...picked.map(renamed)];
  for (const a of hosts)
    for (const b of hosts) {
      const fresh = assessEndpointsFresh({ host: a, guest: g }, { host: b, guest: g });
      const memo = assessEndpoints({ host: a, guest: g }, { host: b, guest: g });
      // JSON: the same keys in the same order, as --format json prints them
      expect(JSON.stringify(memo), `${a.name} -> ${b.name}`).toBe(JSON.stringify(fresh));
      const j = judgePair(a, b, g);
      const cell = judgedCell(j, a.name, b.name, () => memo);
      const want = compactCell(fresh, () => fresh);
      expect({ verdict: cell.verdict, reasons: cell.reasons }).toEqual({ verdict: want.verdict, reasons: want.reasons });
      expect(migratesCleanly(a, b, g)).toBe(fresh.verdict === 'clean');
      // two configurations of the guest (the table's compat rows)
      const mixed = assessEndpoints({ host: a, guest: g }, { host: b, guest: other });
      expect(JSON.stringify(mixed)).toBe(JSON.stringify(assessEndpointsFresh({ host: a, guest: g }, { host: b, guest: other })));
    }
}

describe('memoised rules = every rule run afresh', () => {
  it('on random hosts (and renamed copies) and guests', () => {
    fc.assert(
      fc.property(fc.array(anyHost, { minLength: 1, maxLength: 4 }), fc.constantFrom(...guests), fc.constantFrom(...guests), memoEqualsFresh),
      { seed: 20261201, numRuns: 80 },
    );
  });
  // acceptance eras that only point releases reach (6.12.59 and 6.12.60 share kernel.release 6.12)
  it('on hosts of point releases', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(pointHosts, { minLength: 2, maxLength: 4 }), fc.constantFrom(...guests), fc.constantFrom(...guests), memoEqualsFresh),
      { seed: 20261206, numRuns: 25 },
    );
  });
  // fleets share memo entries only if keys are not one per host: a configuration problem's
  // message names the host, so a key holding it made every host's judgements fresh
  it("a host's name is in no key: a renamed copy has the host's side ids", () => {
    const pins = [guest({ psciVersion: '0.1' }), guest({ stolenTime: true, hypercallBitmaps: { STD_HYP_BMAP: [] } }), guest({ targetCpus: [{ midr: '0x410fd0c0' }] })];
    fc.assert(
      fc.property(anyHost, fc.constantFrom(...guests, ...pins), (h, g) => {
        const a = vmState({ host: h, guest: g });
        const b = vmState({ host: renamed(h), guest: g });
        // probed-facts names the host in its note (a string): what a probe found is one host's
        for (const r of rules.filter((r) => r.memo && r.id !== 'probed-facts')) for (const role of [0, 1] as const) expect(r.sideId(role, b), `${r.id} role ${role}`).toBe(r.sideId(role, a));
      }),
      { seed: 20261202, numRuns: 150 },
    );
  });
});
