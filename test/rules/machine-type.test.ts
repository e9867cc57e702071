import { ruleTable } from './table.js';

// same kernel and CPU on both sides: only the QEMU / machine-type effect is tested
const at = (vmm: string | Record<string, unknown>) => ({ kernel: 'linux-6.6', vmm });
const RHEL = { extends: 'qemu-9.2', name: 'qemu-kvm-rhel9', machineTypes: { registered: ['virt-rhel9.2.0', 'virt-rhel9.4.0'] } };

ruleTable('machine-type', [
  { name: 'backward 9.2 -> 8.2 with the source newest type (assumed)', from: at('qemu-9.2'), to: at('qemu-8.2'), verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineType' }, { severity: 'info', subject: 'machineType' }] },
  { name: 'backward 9.2 -> 8.2 with virt-9.2 given', from: at('qemu-9.2'), to: at('qemu-8.2'), guest: { machineType: 'virt-9.2' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineType' }] },
  { name: 'backward 9.2 -> 8.2 pinned to virt-8.2', from: at('qemu-9.2'), to: at('qemu-8.2'), guest: { machineType: 'virt-8.2' }, verdict: 'clean', none: true },
  { name: 'forward 8.2 -> 9.2 with the source newest type', from: at('qemu-8.2'), to: at('qemu-9.2'), verdict: 'clean', expect: [{ severity: 'info', subject: 'machineType' }] },
  { name: 'one QEMU version: nothing to say about the assumed type', from: at('qemu-9.2'), to: at('qemu-9.2'), verdict: 'clean', none: true },
  { name: 'forward 10.0 -> 10.1 of virt-4.1: no longer registered', from: at('qemu-10.0'), to: at('qemu-10.1'), guest: { machineType: 'virt-4.1' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineType' }] },
  { name: 'forward 10.1 -> 10.2 of virt-4.2: no longer registered', from: at('qemu-10.1'), to: at('qemu-10.2'), guest: { machineType: 'virt-4.2' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineType' }] },
  { name: 'forward 10.2 -> 11.0 of virt-5.0: no longer registered', from: at('qemu-10.2'), to: at('qemu-11.0'), guest: { machineType: 'virt-5.0' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineType' }] },
  { name: 'forward 9.2 -> 10.0 of virt-4.1: hidden only from 10.1 (gate)', from: at('qemu-9.2'), to: at('qemu-10.0'), guest: { machineType: 'virt-4.1' }, verdict: 'clean', expect: [{ severity: 'info', subject: 'machineType' }] },
  { name: 'forward 10.2 -> 11.1 of virt-7.2: deprecated, clean + info', from: at('qemu-10.2'), to: at('qemu-11.1'), guest: { machineType: 'virt-7.2' }, verdict: 'clean', expect: [{ severity: 'info', subject: 'machineType' }] },
  { name: 'forward 8.2 -> 9.0 of virt-2.6: no policy yet, clean', from: at('qemu-8.2'), to: at('qemu-9.0'), guest: { machineType: 'virt-2.6' }, verdict: 'clean', none: true },
  { name: 'the alias across two versions', from: at('qemu-9.2'), to: at('qemu-10.0'), guest: { machineType: 'virt' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineType' }] },
  { name: 'the alias on one version', from: at('qemu-9.2'), to: at('qemu-9.2'), guest: { machineType: 'virt' }, verdict: 'clean', none: true },
  { name: 'a type the source does not register', from: at('qemu-8.2'), to: at('qemu-9.2'), guest: { machineType: 'virt-9.2' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'guest.machineType' }] },
  { name: 'upstream -> RHEL: no common type', from: at('qemu-9.2'), to: at(RHEL), verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineType' }] },
  { name: 'RHEL -> RHEL with its own type', from: at(RHEL), to: at(RHEL), guest: { machineType: 'virt-rhel9.2.0' }, verdict: 'clean', none: true },
  { name: 'MTE blocks migration with KVM (9.2+)', from: at('qemu-9.2'), to: at('qemu-9.2'), guest: { machineType: 'virt-9.2', machineOptions: { mte: true } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineOptions.mte' }] },
  { name: 'MTE with KVM cannot start before 9.2', from: at('qemu-9.1'), to: at('qemu-9.1'), guest: { machineType: 'virt-9.1', machineOptions: { mte: true } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineOptions.mte' }] },
  { name: 'nested virtualisation blocks migration with KVM (10.1+)', from: at('qemu-10.1'), to: at('qemu-11.1'), guest: { machineType: 'virt-10.1', machineOptions: { virtualization: true } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineOptions.virtualization' }] },
  { name: 'nested virtualisation with KVM cannot start before 10.1', from: at('qemu-10.0'), to: at('qemu-10.0'), guest: { machineType: 'virt-10.0', machineOptions: { virtualization: true } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'machineOptions.virtualization' }] },
  { name: 'mte and virtualization off change nothing', from: at('qemu-10.1'), to: at('qemu-10.1'), guest: { machineType: 'virt-10.1', machineOptions: { mte: false, virtualization: false, gicVersion: '3' } }, verdict: 'clean', none: true },
]);

// the compat setting pinned by the type, not the QEMU version (the qemu-5.2 -> qemu-5.1 case)
ruleTable('stolen-time', [
  { name: 'qemu-5.2 -> qemu-5.1 pinned to virt-5.1: off on both sides', from: at('qemu-5.2'), to: at('qemu-5.1'), guest: { machineType: 'virt-5.1' }, verdict: 'clean', none: true },
  { name: 'qemu-11.0 with virt-5.1 to a kernel without steal time: off on both sides', from: { kernel: 'linux-5.5', vmm: 'qemu-11.0' }, to: { kernel: 'linux-5.4', vmm: 'qemu-11.0' }, guest: { machineType: 'virt-5.1' }, verdict: 'clean', none: true },
  { name: 'qemu-11.0 with virt-5.2 to a kernel without steal time: pvtime block missing', from: { kernel: 'linux-5.5', vmm: 'qemu-11.0' }, to: { kernel: 'linux-5.4', vmm: 'qemu-11.0' }, guest: { machineType: 'virt-5.2' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'stolenTime' }] },
]);
