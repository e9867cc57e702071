// Hosts and guests for the property tests that hold a fast path to `assess` (rule memo, verdict
// grid): every shipped and fixture host file, knowledge-base compositions of kernel × QEMU ×
// CPU, and guests that switch on each rule's inputs. Besides, hosts for the inputs compositions
// never have (test/property/special-hosts.ts): the probe fixtures, probed register lists with
// uncatalogued registers, ID-register inputs (boot options, probed values, stated SVE lengths)
// and the point releases where acceptance entries change.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { GuestModel, HostModel } from '../../src/model.js';
import { kernelReleases } from '../../src/kb/kernels.js';
import { vmmReleases } from '../../src/kb/vmms.js';
import { Resolver } from '../../src/profile/resolve.js';
import { guest, writeProfile } from '../helpers.js';
import { idInputHosts, listHosts, pointHosts } from './special-hosts.js';

export const resolver = new Resolver();
const ROOT = join(import.meta.dirname, '..', '..');
const files = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, dir, f));
const fileHosts = [...files('test/fixtures/hosts'), ...files('profiles/examples/fleet/hosts'), ...files('profiles/examples/backports'), ...files('profiles/examples/custom-vmm')].flatMap((f) => {
  try {
    return [resolver.host(f)];
  } catch {
    return []; // a Guest or Fleet file in the folder
  }
});
export const guests: GuestModel[] = [
  resolver.guest('default'),
  ...[...files('test/fixtures/guests'), ...files('profiles/examples/fleet/guests')].map((f) => resolver.guest(f)),
  guest({ stolenTime: true }),
  guest({ stolenTime: false, psciVersion: '1.0' }),
  guest({ machineType: 'virt-7.2' }),
  guest({ machineType: 'virt' }),
  guest({ cpu: { pauth: false, sve: false } }),
  guest({ cpu: { sveVectorLengths: [128, 256] } }),
  guest({ pmu: false, hypercallBitmaps: { VENDOR_HYP_BMAP: ['FUNC_FEAT'] } }),
  guest({ machineOptions: { mte: true } }),
  // pins and selections some kernels or VMMs refuse (configuration problems on some sides only)
  guest({ psciVersion: '0.1' }),
  guest({ psciVersion: '1.3', stolenTime: true }),
  guest({ hypercallBitmaps: { STD_HYP_BMAP: [] }, stolenTime: true }),
  guest({ hypercallBitmaps: { STD_BMAP: [], STD_HYP_BMAP: [], VENDOR_HYP_BMAP: [] }, psciVersion: '1.1' }),
  guest({ targetCpus: [{ midr: '0x410fd0c0' }, { midr: '0x411fd401' }], guestKernel: '6.6' }),
  guest({ targetCpus: [{ midr: '0x410fd0c0' }] }),
  guest({ targetCpus: [{ midr: '0x410fd0c0' }], guestKernel: '6.15' }),
];
/** knowledge-base hosts: kernel × QEMU × CPU (a CPU model some kernel cannot take falls back to N1); TSV110 at two revisions: its own ID values, errata and BHB loop */
const cpus = ['neoverse-n1:r3p1', 'neoverse-v1:r1p1', 'neoverse-n2:r0p3', 'cortex-a72:r0p3', 'neoverse-n1', 'ampereone', 'kunpeng-920', 'tsv110'];
export const composed = fc.record({ k: fc.constantFrom(...kernelReleases), v: fc.constantFrom(...vmmReleases), c: fc.constantFrom(...cpus) }).map(({ k, v, c }) => {
  try {
    return resolver.composeHost(`linux-${k}`, `qemu-${v}`, c);
  } catch {
    return resolver.composeHost(`linux-${k}`, `qemu-${v}`, 'neoverse-n1:r3p1');
  }
});
/** the probe fixtures (test/fixtures/hosts/<dir>/expected: with and without --kvm; rk3399 has otherCpus) */
export const probeFixtureHosts = readdirSync(join(ROOT, 'test/fixtures/hosts'))
  .filter((d) => existsSync(join(ROOT, 'test/fixtures/hosts', d, 'expected')))
  .flatMap((d) => files(join('test/fixtures/hosts', d, 'expected')))
  .map((f) => resolver.host(f));
/** hosts whose QEMU can set what a guest asks for (PSCI pin, bitmaps, target CPUs): kb QEMUs cannot all */
const able = { extends: 'qemu-11.1', name: 'qemu-able', canSet: { targetCpus: true, psciVersion: true, hypercallBitmaps: true } };
export const ableHosts: HostModel[] = ['5.10', '5.15', '6.1', '6.6', '6.12', '6.15', '6.18'].flatMap((k) =>
  ['neoverse-n1:r3p1', 'neoverse-v1:r1p1'].map((cpu, j) => resolver.host(writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: `able-${k}-${j}`, kernel: `linux-${k}`, vmm: able, cpu }))),
);
export const anyHost = fc.oneof(
  composed,
  fc.constantFrom(...ableHosts),
  fc.constantFrom(...fileHosts, ...probeFixtureHosts),
  fc.constantFrom(...listHosts),
  fc.constantFrom(...idInputHosts),
  fc.constantFrom(...pointHosts),
);
let copies = 0;
/** the same host under another name (memo keys must not read names) */
export const renamed = (h: HostModel): HostModel => ({ ...h, name: `${h.name}-copy${copies++}` });
