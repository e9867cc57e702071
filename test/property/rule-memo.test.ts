// Rules memoise their findings on per-side keys of what they read (src/rules/rule.ts), word
// messages that name a host only for the pair asked, and fleet cells are built from those
// judged findings without any message (src/solver/assess.ts judgePair, src/fleet/cell.ts
// judgedCell). All of it must equal running every rule afresh: verdicts, findings (rule ids,
// subjects, messages, notes, references, sides, in order and with the same keys) and the
// cells' reasons, on random sets of knowledge-base hosts and guests. Each set also holds
// copies of its hosts under other names: a key that left out something a message or note
// reads would reuse the first copy's wording for the second.
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GuestModel, HostModel } from '../../src/model.js';
import { compactCell, judgedCell } from '../../src/fleet/cell.js';
import { kernelReleases } from '../../src/kb/kernels.js';
import { vmmReleases } from '../../src/kb/vmms.js';
import { Resolver } from '../../src/profile/resolve.js';
import { assessEndpoints, assessEndpointsFresh, judgePair, migratesCleanly } from '../../src/solver/assess.js';
import { guest } from '../helpers.js';

const r = new Resolver();
const ROOT = join(import.meta.dirname, '..', '..');
const files = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, dir, f));
const fileHosts = [...files('test/fixtures/hosts'), ...files('profiles/examples/fleet/hosts'), ...files('profiles/examples/backports'), ...files('profiles/examples/custom-vmm')]
  .flatMap((f) => {
    try {
      return [r.host(f)];
    } catch {
      return []; // a Guest or Fleet file in the folder
    }
  });
const guests: GuestModel[] = [
  r.guest('default'),
  ...[...files('test/fixtures/guests'), ...files('profiles/examples/fleet/guests')].map((f) => r.guest(f)),
  guest({ stolenTime: true }),
  guest({ stolenTime: false, psciVersion: '1.0' }),
  guest({ machineType: 'virt-7.2' }),
  guest({ machineType: 'virt' }),
  guest({ cpu: { pauth: false, sve: false } }),
  guest({ cpu: { sveVectorLengths: [128, 256] } }),
  guest({ pmu: false, hypercallBitmaps: { VENDOR_HYP_BMAP: ['FUNC_FEAT'] } }),
  guest({ machineOptions: { mte: true } }),
];
const cpus = ['neoverse-n1:r3p1', 'neoverse-v1:r1p1', 'neoverse-n2:r0p3', 'cortex-a72:r0p3', 'neoverse-n1', 'ampereone'];

const composed = fc.record({ k: fc.constantFrom(...kernelReleases), v: fc.constantFrom(...vmmReleases), c: fc.constantFrom(...cpus) }).map(({ k, v, c }) => {
  try {
    return r.composeHost(`linux-${k}`, `qemu-${v}`, c);
  } catch {
    return r.composeHost(`linux-${k}`, `qemu-${v}`, 'neoverse-n1:r3p1');
  }
});
const anyHost = fc.oneof(composed, fc.constantFrom(...fileHosts));
let copies = 0;
const renamed = (h: HostModel): HostModel => ({ ...h, name: `${h.name}-copy${copies++}` });

describe('memoised rules = every rule run afresh', () => {
  it('on random hosts (and renamed copies) and guests', () => {
    fc.assert(
      fc.property(fc.array(anyHost, { minLength: 1, maxLength: 4 }), fc.constantFrom(...guests), fc.constantFrom(...guests), (picked, g, other) => {
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
      }),
      { seed: 20261201, numRuns: 80 },
    );
  });
});
