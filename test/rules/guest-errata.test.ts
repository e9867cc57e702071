import { ruleTable } from './table.js';

const vmm = { extends: 'qemu-11.1', name: 'qemu + writable MIDR + target CPUs', canSet: { impIdRegs: true, targetCpus: true } };
const at = (cpu: Record<string, string>, kernel = 'linux-6.15') => ({ kernel, vmm, cpu });
const n1 = { model: 'neoverse-n1', revision: 'r3p1' };
const v1 = { model: 'neoverse-v1', revision: 'r1p1' };
const a53 = { model: 'cortex-a53', revision: 'r0p4' };
const a72 = { model: 'cortex-a72', revision: 'r0p2' };

// V1 -> N1 fails on the ID registers (id-registers: SVE, PAuth, ISAR0 … differ) whatever the
// errata: those cases assert this rule's findings with the pair's real verdict.
ruleTable('guest-errata', [
  { name: 'same CPU', from: at(n1), to: at(n1), verdict: 'clean', none: true },
  { name: 'V1 -> N1: N1 errata the guest never enabled', from: at(v1), to: at(n1), verdict: 'fail', expect: [{ severity: 'unsafe', subject: 'erratum 1418040' }, { severity: 'unsafe', subject: 'erratum 1542419' }] },
  { name: 'N1 r4p0 -> r3p1: 1418040 ends at r3p1 (last affected revision)', from: at({ model: 'neoverse-n1', revision: 'r4p0' }), to: at(n1), verdict: 'unsafe', expect: [{ severity: 'unsafe', subject: 'erratum 1418040' }] },
  { name: 'N1 r3p1 -> r4p0: the first fixed revision needs nothing new', from: at(n1), to: at({ model: 'neoverse-n1', revision: 'r4p0' }), verdict: 'clean', none: true },
  { name: 'A53 r0p4 with the REVIDR fix bit -> without it: 843419 appears', from: at({ model: 'cortex-a53', revision: 'r0p4', revidr: '0x100' }), to: at({ model: 'cortex-a53', revision: 'r0p4' }), verdict: 'unsafe', expect: [{ severity: 'unsafe', subject: 'erratum 843419' }] },
  { name: 'A53 r0p4 without the fix bit -> with it', from: at({ model: 'cortex-a53', revision: 'r0p4' }), to: at({ model: 'cortex-a53', revision: 'r0p4', revidr: '0x100' }), verdict: 'clean', none: true },
  { name: 'A53 r0p0 (range start) -> r0p4 with the fix bit', from: at({ model: 'cortex-a53', revision: 'r0p0' }), to: at({ model: 'cortex-a53', revision: 'r0p4', revidr: '0x100' }), verdict: 'clean', none: true },
  { name: 'target CPU list covering the destination', from: at(v1), to: at(n1), guest: { targetCpus: [v1, n1], guestKernel: 'linux-6.15' }, verdict: 'fail', none: true },
  { name: 'target CPU list covering the destination, two revisions of N1', from: at({ model: 'neoverse-n1', revision: 'r4p0' }), to: at(n1), guest: { targetCpus: [{ model: 'neoverse-n1', revision: 'r4p0' }, n1], guestKernel: 'linux-6.15' }, verdict: 'clean', none: true },
  { name: 'target CPU list with a 6.14 guest kernel is ignored', from: at(v1), to: at(n1), guest: { targetCpus: [v1, n1], guestKernel: 'linux-6.14' }, verdict: 'fail', expect: [{ severity: 'unsafe', subject: 'erratum 1418040' }] },
  { name: 'target CPU list on a 6.6 host cannot be applied', from: at(n1, 'linux-6.6'), to: at(n1, 'linux-6.6'), guest: { targetCpus: [n1] }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'guest.targetCpus' }] },
  // big.LITTLE (RK3399: Cortex-A53 r0p4 cpu0-3, Cortex-A72 r0p2 cpu4-5): vCPUs may run on either cluster
  { name: 'big.LITTLE -> a 6.15 host of its big cores (MIDR rewritten): the guest may have seen both, nothing new', from: { kernel: 'linux-6.6', cpu: a53, otherCpus: [a72] }, to: at(a72), verdict: 'clean', none: true },
  { name: 'big cores only -> big.LITTLE: the little cores bring A53 errata the guest never enabled', from: { kernel: 'linux-6.6', cpu: a72, otherCpus: [] }, to: { kernel: 'linux-6.6', cpu: a72, otherCpus: [a53] }, verdict: 'unsafe', expect: [{ severity: 'unsafe', subject: 'erratum 845719' }] },
  { name: 'big.LITTLE -> the same big.LITTLE', from: { kernel: 'linux-6.6', cpu: a53, otherCpus: [a72] }, to: { kernel: 'linux-6.6', cpu: a53, otherCpus: [a72] }, verdict: 'clean', none: true },
]);

