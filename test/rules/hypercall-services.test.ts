import { ruleTable } from './table.js';

const a72 = { model: 'cortex-a72', revision: 'r0p3' };

const settingQemu = { extends: 'qemu-11.1', canSet: { hypercallBitmaps: true } };

ruleTable('hypercall-services', [
  { name: 'bitmaps carried between 6.6 hosts', from: { kernel: 'linux-6.6' }, to: { kernel: 'linux-6.6' }, verdict: 'clean', none: true },
  // Cortex-A72: N1's SPE is hidden from 5.13 (id-registers fails those pairs); A72 has none
  { name: '5.13 -> 5.12: PTP and KVM_FEATURES vanish', from: { kernel: 'linux-5.13', cpu: a72 }, to: { kernel: 'linux-5.12', cpu: a72 }, verdict: 'unsafe', expect: [{ severity: 'unsafe', subject: 'PTP' }, { severity: 'unsafe', subject: 'FUNC_FEAT' }] },
  { name: '5.12 -> 5.13: PTP appears', from: { kernel: 'linux-5.12', cpu: a72 }, to: { kernel: 'linux-5.13', cpu: a72 }, verdict: 'clean', expect: [{ severity: 'info', subject: 'PTP' }] },
  { name: '5.18 -> 5.19: no bitmap in the stream, defaults keep every service', from: { kernel: 'linux-5.18' }, to: { kernel: 'linux-5.19' }, verdict: 'clean', none: true },
  {
    name: 'carried STD_BMAP bit the destination does not implement',
    from: { kernel: 'linux-6.6' },
    to: { kernel: { extends: 'linux-6.6', hypercallBitmaps: { STD_BMAP: [], STD_HYP_BMAP: ['PV_TIME'], VENDOR_HYP_BMAP: ['FUNC_FEAT', 'PTP'] } } },
    verdict: 'fail',
    expect: [{ severity: 'fail', subject: 'STD_BMAP' }],
  },
  { name: 'a selection a QEMU cannot write', from: { kernel: 'linux-6.6' }, to: { kernel: 'linux-6.6' }, guest: { hypercallBitmaps: { STD_BMAP: [] } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'STD_BMAP' }] },
  { name: 'a selection on a kernel without bitmaps', from: { kernel: 'linux-5.18', vmm: settingQemu }, to: { kernel: 'linux-5.18', vmm: settingQemu }, guest: { hypercallBitmaps: { STD_BMAP: [] } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'STD_BMAP' }] },
  {
    name: 'a cleared TRNG bit travels in STD_BMAP: nothing vanishes on 6.6 -> 6.1 (which fails on other registers)',
    from: { kernel: 'linux-6.6', vmm: settingQemu },
    to: { kernel: 'linux-6.1', vmm: settingQemu },
    guest: { hypercallBitmaps: { STD_BMAP: [] } },
    verdict: 'fail',
    none: true,
  },
  // early kernels answer PV_TIME_FEATURES without stolen time set up; the guest's PV_TIME_ST then failed at boot
  { name: '5.5 -> 5.4 with QEMU 5.1 (no stolen time): PV_TIME vanishes unused, info', from: { kernel: 'linux-5.5', vmm: 'qemu-5.1' }, to: { kernel: 'linux-5.4', vmm: 'qemu-5.1' }, verdict: 'clean', expect: [{ severity: 'info', subject: 'PV_TIME' }] },
  // (the verdict is fail: stolen-time finds the source's pvtime RAM block missing on 5.4)
  { name: '5.5 -> 5.4 with QEMU 5.2 (stolen time on): PV_TIME vanishes under a guest that uses it', from: { kernel: 'linux-5.5', vmm: 'qemu-5.2' }, to: { kernel: 'linux-5.4', vmm: 'qemu-5.2' }, verdict: 'fail', expect: [{ severity: 'unsafe', subject: 'PV_TIME' }] },
]);
