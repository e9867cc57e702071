// The baseline's claim, checked independently: random fleets drawn from the knowledge
// base; the baseline Guest is saved as YAML, loaded back through the profile layer, and
// every host pair (host by host, not by group) the report calls clean is clean.
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelReleases } from '../../src/kb/kernels.js';
import { groupHosts } from '../../src/fleet/groups.js';
import { buildBaseline } from '../../src/fleet/baseline.js';
import { guestYaml } from '../../src/render/guest-doc.js';
import { Resolver } from '../../src/profile/resolve.js';
import { assess } from '../../src/solver/assess.js';
import { TMP, writeProfile } from '../helpers.js';

const SEED = 20261122;
const KERNELS = kernelReleases.filter((k) => !/^4\./.test(k));
const VMMS = ['qemu-5.2', 'qemu-7.2', 'qemu-9.2', 'qemu-10.1', 'qemu-11.1'];
const CPUS = ['neoverse-n1:r3p1', 'neoverse-v1:r1p1', 'cortex-a72:r0p3'];

const hostArb = fc.record({
  kernel: fc.constantFrom(...KERNELS).map((k) => `linux-${k}`),
  vmm: fc.oneof(fc.constantFrom(...VMMS), fc.constant('targets')),
  cpu: fc.constantFrom(...CPUS),
  count: fc.integer({ min: 1, max: 4 }),
});

let n = 0;
describe('baseline', () => {
  it('every host pair it reports clean is clean with the saved baseline Guest', () => {
    fc.assert(
      fc.property(fc.array(hostArb, { minLength: 2, maxLength: 5 }), fc.constantFrom('default', 'pinned'), (specs, start) => {
        const r = new Resolver();
        const hosts = specs.map((s, i) => {
          // 'targets': a 6.15-style VMM that can advertise target CPUs and pin PSCI
          const vmm = s.vmm === 'targets' ? { extends: 'qemu-11.1', name: 'qemu+targets', canSet: { targetCpus: true, psciVersion: true, hypercallBitmaps: true } } : s.vmm;
          return { host: r.host(writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: `p${n}-${i}`, kernel: s.kernel, vmm, cpu: s.cpu })), count: s.count };
        });
        const base = start === 'default' ? r.guest('default') : r.guest(writeProfile({ apiVersion: 'migcheck/v1', kind: 'Guest', name: 'pinned', psciVersion: '1.0', stolenTime: false }));
        const groups = groupHosts(hosts);
        const report = buildBaseline(groups, base, { name: `baseline-${n}` });
        const file = join(TMP, `baseline-${process.pid}-${n++}.yaml`);
        writeFileSync(file, guestYaml(report.guest));
        const saved = r.guest(file);
        // never worse than where it started
        expect(report.after.clean).toBeGreaterThanOrEqual(report.before.clean);
        for (const [i, a] of groups.entries())
          for (const [j, b] of groups.entries()) {
            const claimed = report.cells[i]![j]!.verdict;
            for (const ha of a.hosts) for (const hb of b.hosts) expect(assess(ha, hb, saved).verdict, `${ha.name} -> ${hb.name}`).toBe(claimed);
          }
      }),
      { seed: SEED, numRuns: 40 },
    );
    // 40 baseline searches, each re-checked host by host: 13-20 s on a loaded 2-core machine,
    // so the 20 s default would fail on load, not on a wrong answer
  }, 90_000);

  // the search drops a setting once the clean weight left after some rules is below the best's
  // (VerdictGrid.weightedTally); scoring every setting whole must choose and report the same
  it('the bounded search = scoring every setting whole', () => {
    fc.assert(
      fc.property(fc.array(hostArb, { minLength: 2, maxLength: 6 }), fc.constantFrom('default', 'pinned'), (specs, start) => {
        const r = new Resolver();
        const hosts = specs.map((s, i) => ({ host: r.host(writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: `q${n}-${i}`, kernel: s.kernel, vmm: s.vmm === 'targets' ? 'qemu-11.1' : s.vmm, cpu: s.cpu })), count: s.count }));
        const base = start === 'default' ? r.guest('default') : r.guest(writeProfile({ apiVersion: 'migcheck/v1', kind: 'Guest', name: 'pinned', psciVersion: '1.0', stolenTime: false }));
        const groups = groupHosts(hosts);
        const { cells: _a, ...bounded } = buildBaseline(groups, base, { name: `b${n}` });
        const { cells: _b, ...whole } = buildBaseline(groups, base, { name: `b${n++}`, unbounded: true });
        expect(JSON.stringify(bounded, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))).toBe(JSON.stringify(whole, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)));
      }),
      { seed: SEED + 1, numRuns: 40 },
    );
  }, 90_000);
});
