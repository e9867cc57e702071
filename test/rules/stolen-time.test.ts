import { ruleTable } from './table.js';

ruleTable('stolen-time', [
  { name: 'used on both sides', from: { kernel: 'linux-6.6' }, to: { kernel: 'linux-6.6' }, verdict: 'clean', none: true },
  { name: '5.5 -> 5.4 with kvm-steal-time=auto: the pvtime RAM block is missing on the destination', from: { kernel: 'linux-5.5' }, to: { kernel: 'linux-5.4' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'stolenTime' }] },
  { name: 'explicitly on, destination without support', from: { kernel: 'linux-5.5' }, to: { kernel: 'linux-5.4' }, guest: { stolenTime: true }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'guest.stolenTime' }] },
  { name: 'a VMM that always enables it refuses a host without it', from: { kernel: 'linux-5.5', vmm: { extends: 'qemu-9.2', stealTime: { default: 'on' } } }, to: { kernel: 'linux-5.4', vmm: { extends: 'qemu-9.2', stealTime: { default: 'on' } } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'guest.stolenTime' }] },
  { name: 'appears at the destination', from: { kernel: 'linux-5.4' }, to: { kernel: 'linux-5.5' }, verdict: 'clean', expect: [{ severity: 'info', subject: 'stolenTime' }] },
  { name: 'disabled by the guest', from: { kernel: 'linux-5.5' }, to: { kernel: 'linux-5.4' }, guest: { stolenTime: false }, verdict: 'clean', none: true },
  { name: 'virt-5.1 machine type keeps it off', from: { kernel: 'linux-6.6' }, to: { kernel: 'linux-6.6', vmm: 'qemu-5.1' }, guest: { machineType: 'virt-5.1' }, verdict: 'clean', none: true },
  { name: 'a VMM without kvm-steal-time that registers the type: no pvtime RAM block', from: { kernel: 'linux-6.6' }, to: { kernel: 'linux-6.6', vmm: { extends: 'qemu-4.2', machineTypes: { registered: ['virt-9.2'] } } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'stolenTime' }] },
]);
