import { ruleTable } from './table.js';

// what linux-6.6 lists for a default vCPU on Neoverse-N1, as the probe maps KVM_GET_REG_LIST
const SYS_66 = ['MIDR_EL1', 'REVIDR_EL1', 'AIDR_EL1', 'PMU_REGS', 'PMCR_EL0', 'DEMUX_CCSIDR_HOST', 'DEMUX_CCSIDR_REST', 'ID_REG_SPACE', 'ID_AA64ZFR0_EL1', 'DISR_EL1', 'OSLSR_EL1', 'PTIMER_CTL', 'PTIMER_CVAL', 'PTIMER_CNT', 'TCR2_EL1', 'PIRE0_EL1', 'PIR_EL1'];

const q10 = 'qemu-10.2';
const q11 = 'qemu-11.1';

ruleTable('register-list', [
  { name: 'same kernel on both sides', from: { kernel: 'linux-6.6' }, to: { kernel: 'linux-6.6' }, verdict: 'clean', none: true },
  { name: 'forward 5.17 -> 5.18: extra registers at the destination are fine', from: { kernel: 'linux-5.17' }, to: { kernel: 'linux-5.18' }, verdict: 'clean', none: true },
  { name: '5.18 -> 5.17: OSLSR_EL1 unknown', from: { kernel: 'linux-5.18' }, to: { kernel: 'linux-5.17' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'OSLSR_EL1' }] },
  {
    name: '5.19 -> 5.18: hypercall bitmaps unknown',
    from: { kernel: 'linux-5.19' },
    to: { kernel: 'linux-5.18' },
    verdict: 'fail',
    expect: ['STD_BMAP', 'STD_HYP_BMAP', 'VENDOR_HYP_BMAP'].map((subject) => ({ severity: 'fail' as const, subject })),
  },
  { name: '6.12 -> 6.13 without FEAT_TCR2, QEMU 10.2', from: { kernel: 'linux-6.12', vmm: q10 }, to: { kernel: 'linux-6.13', vmm: q10 }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'TCR2_EL1' }, { severity: 'fail', subject: 'PIR_EL1' }] },
  { name: '6.12 -> 6.13 without FEAT_TCR2, QEMU 11.1 tolerates', from: { kernel: 'linux-6.12', vmm: q11 }, to: { kernel: 'linux-6.13', vmm: q11 }, verdict: 'clean', expect: [{ severity: 'info', subject: 'TCR2_EL1' }] },
  {
    name: '6.12 -> 6.13 on a CPU with FEAT_TCR2 and FEAT_S1PIE lists them on both sides',
    from: { kernel: 'linux-6.12', vmm: q10, cpu: { model: 'neoverse-n1', revision: 'r3p1', features: ['TCR2', 'S1PIE'] } },
    to: { kernel: 'linux-6.13', vmm: q10, cpu: { model: 'neoverse-n1', revision: 'r3p1', features: ['TCR2', 'S1PIE'] } },
    verdict: 'clean',
    none: true,
  },
  { name: '6.15 -> 6.14, QEMU 10.2: VENDOR_HYP_BMAP_2 unknown', from: { kernel: 'linux-6.15', vmm: q10 }, to: { kernel: 'linux-6.14', vmm: q10 }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'VENDOR_HYP_BMAP_2' }] },
  { name: '6.15 -> 6.14, QEMU 11.1: VENDOR_HYP_BMAP_2 is 0, tolerated', from: { kernel: 'linux-6.15', vmm: q11 }, to: { kernel: 'linux-6.14', vmm: q11 }, verdict: 'clean', expect: [{ severity: 'info', subject: 'VENDOR_HYP_BMAP_2' }] },
  {
    name: '6.15 -> 6.14, QEMU 11.1: VENDOR_HYP_BMAP_2 non-zero is not tolerated',
    from: { kernel: 'linux-6.15', vmm: { extends: q11, canSet: { hypercallBitmaps: true } } },
    to: { kernel: 'linux-6.14', vmm: q11 },
    guest: { hypercallBitmaps: { VENDOR_HYP_BMAP_2: ['DISCOVER_IMPL_VER'] } },
    verdict: 'fail',
    expect: [{ severity: 'fail', subject: 'VENDOR_HYP_BMAP_2' }],
  },
  { name: '5.10 -> 5.11 with the PMU on (QEMU default): PMU registers on both sides', from: { kernel: 'linux-5.10', cpu: 'cortex-a72:r0p3' }, to: { kernel: 'linux-5.11', cpu: 'cortex-a72:r0p3' }, verdict: 'clean', none: true },
  {
    name: '5.10 -> 5.11 without a PMU: 5.11 hides the PMU registers',
    from: { kernel: 'linux-5.10', cpu: 'cortex-a72:r0p3' },
    to: { kernel: 'linux-5.11', cpu: 'cortex-a72:r0p3' },
    guest: { pmu: false },
    verdict: 'fail',
    expect: [{ severity: 'fail', subject: 'PMU_REGS' }, { severity: 'fail', subject: 'PMCR_EL0' }],
  },
  // a register the catalogue does not know (SCTLR2_EL1, 3,0,1,0,3), seen only by a probe
  {
    name: 'an uncatalogued register probed on the source, destination not probed: cannot tell',
    from: { kernel: { version: '6.6.0', systemRegisters: [...SYS_66, '0x603000000013c083'] }, probe: { kvm: true, evidence: { 'kernel.systemRegisters': 'KVM_GET_REG_LIST' } } },
    to: { kernel: 'linux-6.6' },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: '0x603000000013c083' }],
  },
  {
    name: 'an uncatalogued register probed on the source, missing from a probed destination: fail',
    from: { kernel: { version: '6.6.0', systemRegisters: [...SYS_66, '0x603000000013c083'] }, probe: { kvm: true, evidence: { 'kernel.systemRegisters': 'KVM_GET_REG_LIST' } } },
    to: { kernel: { version: '6.6.0', systemRegisters: SYS_66 }, probe: { kvm: true, evidence: { 'kernel.systemRegisters': 'KVM_GET_REG_LIST' } } },
    verdict: 'fail',
    expect: [{ severity: 'fail', subject: '0x603000000013c083' }],
  },
  // 'Don't write junk to sysregs on reset' (PMCR_EL0 listed) reached 4.19.y at 4.19.69
  { name: 'PMCR_EL0: 4.19.69 -> 4.19.68 (before the stable backport)', from: { kernel: 'linux-4.19.69', vmm: 'qemu-4.2' }, to: { kernel: 'linux-4.19.68', vmm: 'qemu-4.2' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'PMCR_EL0' }] },
  { name: 'PMCR_EL0: 4.19.68 -> 4.19.69 is forward', from: { kernel: 'linux-4.19.68', vmm: 'qemu-4.2' }, to: { kernel: 'linux-4.19.69', vmm: 'qemu-4.2' }, verdict: 'clean', none: true },
]);

