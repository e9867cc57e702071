import { ruleTable } from './table.js';

const FW_54 = ['PSCI_VERSION', 'SMCCC_ARCH_WORKAROUND_1', 'SMCCC_ARCH_WORKAROUND_2'];
const probed = (kernel: Record<string, unknown>, evidence: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  kernel,
  cpu: 'neoverse-n1:r3p1',
  probe: { kvm: true, evidence },
  ...extra,
});

ruleTable('probed-facts', [
  {
    name: 'a probed WA3 backport on 5.4 is named, with the evidence',
    from: probed({ version: '5.4.0', firmwareRegisters: [...FW_54, 'SMCCC_ARCH_WORKAROUND_3'] }, { 'kernel.firmwareRegisters': 'KVM_GET_REG_LIST' }),
    to: { kernel: 'linux-5.4.190' },
    verdict: 'clean',
    expect: [{ severity: 'info', subject: 'kernel.firmwareRegisters' }],
  },
  {
    name: 'the same probe onto a mainline 5.4 without the backport fails on the register, and says why',
    from: probed({ version: '5.4.0', firmwareRegisters: [...FW_54, 'SMCCC_ARCH_WORKAROUND_3'] }, { 'kernel.firmwareRegisters': 'KVM_GET_REG_LIST' }),
    to: { kernel: 'linux-5.4' },
    verdict: 'fail',
    expect: [{ severity: 'info', subject: 'kernel.firmwareRegisters' }],
  },
  {
    name: 'a probed mitigation state that differs from the CPU classification (mitigations=off)',
    from: { kernel: 'linux-6.6' },
    to: probed({ version: '6.6.0' }, { 'mitigations.WORKAROUND_1': '/sys/devices/system/cpu/vulnerabilities/spectre_v2: Vulnerable' }, { cpu: 'cortex-a72:r0p2', mitigations: { WORKAROUND_1: 'vulnerable' } }),
    verdict: 'fail',
    expect: [{ severity: 'info', subject: 'mitigations.WORKAROUND_1' }],
  },
  {
    name: 'probed values equal to the version-derived ones are not reported',
    from: probed({ version: '6.6.0', firmwareRegisters: ['PSCI_VERSION', 'SMCCC_ARCH_WORKAROUND_1', 'SMCCC_ARCH_WORKAROUND_2', 'SMCCC_ARCH_WORKAROUND_3', 'STD_BMAP', 'STD_HYP_BMAP', 'VENDOR_HYP_BMAP'] }, { 'kernel.firmwareRegisters': 'KVM_GET_REG_LIST' }),
    to: { kernel: 'linux-6.6' },
    verdict: 'clean',
    none: true,
  },
  {
    name: 'a hand-written override (no probe) is the author\'s, not reported',
    from: { kernel: { version: '5.4.0', firmwareRegisters: [...FW_54, 'SMCCC_ARCH_WORKAROUND_3'] } },
    to: { kernel: 'linux-5.4.190' },
    verdict: 'clean',
    none: true,
  },
]);
