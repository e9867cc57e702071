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
import { guest } from '../helpers.js';
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
export const anyHost = fc.oneof(
  composed,
  fc.constantFrom(...fileHosts, ...probeFixtureHosts),
  fc.constantFrom(...listHosts),
  fc.constantFrom(...idInputHosts),
  fc.constantFrom(...pointHosts),
);
let copies = 0;
/** the same host under another name (memo keys must not read names) */
export const renamed = (h: HostModel): HostModel => ({ ...h, name: `${h.name}-copy${copies++}` });
