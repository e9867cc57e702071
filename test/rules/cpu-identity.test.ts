import { describe, expect, it } from 'vitest';
import { ruleTable } from './table.js';
import { runCase } from '../helpers.js';

const writable = { extends: 'qemu-11.1', name: 'qemu + writable MIDR', canSet: { impIdRegs: true } };
const n1 = { model: 'neoverse-n1', revision: 'r3p1' };
const v1 = { model: 'neoverse-v1', revision: 'r1p1' };

ruleTable('cpu-identity', [
  { name: 'same implementation', from: { kernel: 'linux-6.6', cpu: n1 }, to: { kernel: 'linux-6.6', cpu: n1 }, verdict: 'clean', none: true },
  { name: 'N1 -> V1 on 6.6', from: { kernel: 'linux-6.6', cpu: n1 }, to: { kernel: 'linux-6.6', cpu: v1 }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'MIDR_EL1' }] },
  { name: 'two revisions of one model on 6.14', from: { kernel: 'linux-6.14', cpu: n1 }, to: { kernel: 'linux-6.14', cpu: { model: 'neoverse-n1', revision: 'r4p0' } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'MIDR_EL1' }] },
  { name: 'REVIDR differs', from: { kernel: 'linux-6.6', cpu: n1 }, to: { kernel: 'linux-6.6', cpu: { ...n1, revidr: '0x1' } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'REVIDR_EL1' }] },
  { name: '6.15 but the VMM does not enable the capability', from: { kernel: 'linux-6.15', vmm: 'qemu-11.1', cpu: n1 }, to: { kernel: 'linux-6.15', vmm: 'qemu-11.1', cpu: v1 }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'MIDR_EL1' }] },
  // MIDR is restored, but V1's ID registers (SVE, PAuth, ISAR0 …) are not N1's: the pair still fails (id-registers)
  { name: '6.15 with writable implementation ID registers', from: { kernel: 'linux-6.15', vmm: writable, cpu: v1 }, to: { kernel: 'linux-6.15', vmm: writable, cpu: n1 }, verdict: 'fail', expect: [{ severity: 'info', subject: 'MIDR_EL1' }] },
  { name: '6.15 with writable implementation ID registers, two revisions of N1', from: { kernel: 'linux-6.15', vmm: writable, cpu: { model: 'neoverse-n1', revision: 'r4p0' } }, to: { kernel: 'linux-6.15', vmm: writable, cpu: n1 }, verdict: 'unsafe', expect: [{ severity: 'info', subject: 'MIDR_EL1' }] },
]);

// the QEMU text a failing finding quotes is the destination QEMU's own (10.2 names the register)
describe('cpu-identity quotes the destination QEMU', () => {
  it.each([
    ['qemu-10.2', /Could not set register op0:3 op1:0 crn:0 crm:0 op2:0 to 413fd0c1 \(is 411fd401\)/],
    ['qemu-11.1', /Could not set register op0:3/],
    ['qemu-9.2', /error while loading state for instance 0x0 of device 'cpu'/],
  ])('%s', (vmm, text) => {
    const a = runCase({ name: vmm, from: { kernel: 'linux-6.6', vmm, cpu: n1 }, to: { kernel: 'linux-6.6', vmm, cpu: v1 }, verdict: 'fail' });
    const f = a.findings.find((x) => x.rule === 'cpu-identity' && x.subject === 'MIDR_EL1')!;
    expect(f.message).toMatch(text);
    if (vmm === 'qemu-9.2') expect(f.message).not.toMatch(/Could not set register/);
  });
});
