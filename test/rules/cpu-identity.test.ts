import { ruleTable } from './table.js';

const writable = { extends: 'qemu-11.1', name: 'qemu + writable MIDR', canSet: { impIdRegs: true } };
const n1 = { model: 'neoverse-n1', revision: 'r3p1' };
const v1 = { model: 'neoverse-v1', revision: 'r1p1' };

ruleTable('cpu-identity', [
  { name: 'same implementation', from: { kernel: 'linux-6.6', cpu: n1 }, to: { kernel: 'linux-6.6', cpu: n1 }, verdict: 'clean', none: true },
  { name: 'N1 -> V1 on 6.6', from: { kernel: 'linux-6.6', cpu: n1 }, to: { kernel: 'linux-6.6', cpu: v1 }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'MIDR_EL1' }] },
  { name: 'two revisions of one model on 6.14', from: { kernel: 'linux-6.14', cpu: n1 }, to: { kernel: 'linux-6.14', cpu: { model: 'neoverse-n1', revision: 'r4p0' } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'MIDR_EL1' }] },
  { name: 'REVIDR differs', from: { kernel: 'linux-6.6', cpu: n1 }, to: { kernel: 'linux-6.6', cpu: { ...n1, revidr: '0x1' } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'REVIDR_EL1' }] },
  { name: '6.15 but the VMM does not enable the capability', from: { kernel: 'linux-6.15', vmm: 'qemu-11.1', cpu: n1 }, to: { kernel: 'linux-6.15', vmm: 'qemu-11.1', cpu: v1 }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'MIDR_EL1' }] },
  { name: '6.15 with writable implementation ID registers', from: { kernel: 'linux-6.15', vmm: writable, cpu: v1 }, to: { kernel: 'linux-6.15', vmm: writable, cpu: n1 }, verdict: 'unsafe', expect: [{ severity: 'info', subject: 'MIDR_EL1' }] },
]);
