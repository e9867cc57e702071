import { ruleTable } from './table.js';

const pinningQemu = { extends: 'qemu-11.1', name: 'qemu + kvm-psci-version', canSet: { psciVersion: true } };
const k415 = 'linux-4.15';
const vcpuFeature = { extends: k415, psci: { versions: ['0.1', '0.2', '1.0'], default: '1.0', pinnable: true, pinVia: 'vcpu-feature' } };

ruleTable('psci-version', [
  { name: 'carried, destination implements the value (5.17 -> 5.18)', from: { kernel: 'linux-5.17' }, to: { kernel: 'linux-5.18' }, verdict: 'clean', none: true },
  { name: 'carried 1.1 onto 5.17 (5.18 -> 5.17)', from: { kernel: 'linux-5.18' }, to: { kernel: 'linux-5.17' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'PSCI_VERSION' }] },
  { name: 'carried 1.3 onto 6.12 (6.13 -> 6.12)', from: { kernel: 'linux-6.13' }, to: { kernel: 'linux-6.12' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'PSCI_VERSION' }] },
  {
    name: 'pinned to 1.1 on the source, 6.13 -> 6.12 restores',
    from: { kernel: 'linux-6.13', vmm: pinningQemu },
    to: { kernel: 'linux-6.12', vmm: pinningQemu },
    guest: { psciVersion: '1.1' },
    verdict: 'clean',
    none: true,
  },
  { name: 'a pin the VMM cannot set', from: { kernel: 'linux-6.6' }, to: { kernel: 'linux-6.6' }, guest: { psciVersion: '1.0' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'guest.psciVersion' }] },
  { name: 'a pin the kernel does not implement', from: { kernel: 'linux-6.6', vmm: pinningQemu }, to: { kernel: 'linux-6.6', vmm: pinningQemu }, guest: { psciVersion: '1.3' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'guest.psciVersion' }] },
  { name: 'a pin equal to the default needs nothing', from: { kernel: 'linux-6.6' }, to: { kernel: 'linux-6.6' }, guest: { psciVersion: '1.1' }, verdict: 'clean', none: true },
  { name: 'not carried, version drops (vCPU-feature kernel -> 4.15)', from: { kernel: vcpuFeature }, to: { kernel: k415 }, verdict: 'unsafe', expect: [{ severity: 'unsafe', subject: 'PSCI_VERSION' }] },
  { name: 'not carried, version rises (4.15 -> vCPU-feature kernel)', from: { kernel: k415 }, to: { kernel: vcpuFeature }, verdict: 'clean', expect: [{ severity: 'info', subject: 'PSCI_VERSION' }] },
  { name: 'not carried, rises onto a register kernel (4.15 -> 4.16)', from: { kernel: k415 }, to: { kernel: 'linux-4.16' }, verdict: 'clean', expect: [{ severity: 'info', subject: 'PSCI_VERSION' }] },
]);
