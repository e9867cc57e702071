// Real histories: which ID-register values each kernel refuses (kb/id-registers.yaml).
import { describe, expect, it } from 'vitest';
import { ruleFindings, runCase } from '../helpers.js';
import { ruleTable } from './table.js';

const n1 = { model: 'neoverse-n1', revision: 'r3p1' };
const v1 = { model: 'neoverse-v1', revision: 'r1p1' };
const a72 = { model: 'cortex-a72', revision: 'r0p3' };
const n2 = { model: 'neoverse-n2', revision: 'r0p3' };
const a76 = { model: 'cortex-a76', revision: 'r4p1' };
const ampere = { model: 'ampereone-a192', revision: 'r0p0' };
// QEMU 10.0's -cpu max as the lab booted it (test/ground-truth/cpu-models.yaml)
const max = { midr: '0x000f0510', features: ['CSV2', 'CSV2_3', 'SSBS', 'SVE', 'PAUTH'] };
const on = (kernel: string, cpu: Record<string, unknown>, more: Record<string, unknown> = {}) => ({ kernel, cpu, vmm: 'qemu-9.2', ...more });

ruleTable('id-registers', [
  // the LTS upgrade across 5.12 (DebugVer forced to v8.0) and 5.13 (SPE hidden) on an Armv8.2 core
  {
    name: 'N1 5.10 -> 5.15: DebugVer 8 -> 6 and SPE hidden',
    from: on('linux-5.10', n1),
    to: on('linux-5.15', n1),
    verdict: 'fail',
    expect: [
      { severity: 'fail', subject: 'ID_AA64DFR0_EL1.DebugVer' },
      { severity: 'fail', subject: 'ID_AA64DFR0_EL1.PMSVer' },
    ],
  },
  {
    name: 'N1 5.15 -> 5.10 rollback',
    from: on('linux-5.15', n1),
    to: on('linux-5.10', n1),
    verdict: 'fail',
    expect: [
      { severity: 'fail', subject: 'ID_AA64DFR0_EL1.DebugVer' },
      { severity: 'fail', subject: 'ID_AA64DFR0_EL1.PMSVer' },
    ],
  },
  // 6.7 raises DebugVer to the core's own (v8p2 on N1) and makes it writable, lower-safe
  { name: 'N1 6.6 -> 6.12: a lower DebugVer is accepted', from: on('linux-6.6', n1), to: on('linux-6.12', n1), verdict: 'clean', none: true },
  { name: 'N1 6.12 -> 6.6 rollback across 6.7', from: on('linux-6.12', n1), to: on('linux-6.6', n1), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64DFR0_EL1.DebugVer' }] },
  { name: 'N1 6.7 -> 6.6 rollback', from: on('linux-6.7', n1), to: on('linux-6.6', n1), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64DFR0_EL1.DebugVer' }] },
  // QEMU 7.0 turns PAuth on for -cpu host, with no machine-type switch
  {
    name: 'V1 QEMU 6.2 -> 7.0 on 6.6: the PAuth fields appear (not writable)',
    from: on('linux-6.6', v1, { vmm: 'qemu-6.2' }),
    to: on('linux-6.6', v1, { vmm: 'qemu-7.0' }),
    verdict: 'fail',
    expect: [
      { severity: 'fail', subject: 'ID_AA64ISAR1_EL1.API' },
      { severity: 'fail', subject: 'ID_AA64ISAR1_EL1.GPI' },
    ],
  },
  {
    name: 'V1 QEMU 7.0 -> 6.2 on 6.6: the PAuth fields vanish',
    from: on('linux-6.6', v1, { vmm: 'qemu-7.0' }),
    to: on('linux-6.6', v1, { vmm: 'qemu-6.2' }),
    verdict: 'fail',
    expect: [{ severity: 'fail', subject: 'ID_AA64ISAR1_EL1.API' }],
  },
  // KVM offers a PAuth vCPU only with one algorithm for both kinds of authentication from 6.10
  // (kb pauthOffer): hand-set QARMA5 address beside the core's IMPLEMENTATION DEFINED generic
  {
    name: 'V1 -> V1 with mixed PAuth algorithms on 6.12: no PAuth vCPU there',
    from: on('linux-6.12', v1),
    to: on('linux-6.12', v1, { idRegisters: { 'ID_AA64ISAR1_EL1.API': 0, 'ID_AA64ISAR1_EL1.APA': 5 } }),
    verdict: 'fail',
    expect: [
      { severity: 'fail', subject: 'ID_AA64ISAR1_EL1.API' },
      { severity: 'fail', subject: 'ID_AA64ISAR1_EL1.GPI' },
    ],
  },
  { name: 'V1 QEMU 6.2 -> 7.0 with a Guest pauth: off', from: on('linux-6.6', v1, { vmm: 'qemu-6.2' }), to: on('linux-6.6', v1, { vmm: 'qemu-7.0' }), guest: { cpu: { pauth: false } }, verdict: 'clean', none: true },
  // backward QEMU moves need the guest defined with a type the older one registers (machine-type)
  { name: 'V1 QEMU 7.0 -> 6.2 with a Guest pauth: off', from: on('linux-6.6', v1, { vmm: 'qemu-7.0' }), to: on('linux-6.6', v1, { vmm: 'qemu-6.2' }), guest: { cpu: { pauth: false }, machineType: 'virt-6.2' }, verdict: 'clean', none: true },
  { name: 'N1 QEMU 6.2 -> 7.0: no PAuth, nothing changes', from: on('linux-6.6', n1, { vmm: 'qemu-6.2' }), to: on('linux-6.6', n1, { vmm: 'qemu-7.0' }), verdict: 'clean', none: true },
  { name: 'N1 QEMU 7.0 -> 6.2', from: on('linux-6.6', n1, { vmm: 'qemu-7.0' }), to: on('linux-6.6', n1, { vmm: 'qemu-6.2' }), guest: { machineType: 'virt-6.2' }, verdict: 'clean', none: true },
  // kvm-arm.mode: ID_AA64MMFR1_EL1.VH is 1 under VHE, 0 under nVHE, and never writable
  { name: 'VHE host -> nVHE host on 6.6', from: on('linux-6.6', n1), to: on('linux-6.6', n1, { bootOptions: ['kvm-arm.mode=nvhe'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64MMFR1_EL1.VH' }] },
  { name: 'nVHE host -> VHE host on 6.18', from: on('linux-6.18', n1, { bootOptions: ['kvm-arm.mode=nvhe'] }), to: on('linux-6.18', n1), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64MMFR1_EL1.VH' }] },
  { name: 'two nVHE hosts', from: on('linux-6.6', n1, { bootOptions: ['kvm-arm.mode=nvhe'] }), to: on('linux-6.6', n1, { bootOptions: ['kvm-arm.mode=nvhe'] }), verdict: 'clean', none: true },
  // FEAT_HCX: hidden on 6.1, exposed and not writable on 6.12 ... 6.17, lower-safe from 6.18
  { name: '-cpu max 6.1 -> 6.12 fails on HCX', from: on('linux-6.1.192', max, { vmm: 'qemu-10.0' }), to: on('linux-6.12.118', max, { vmm: 'qemu-10.0' }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64MMFR1_EL1.HCX' }] },
  // cpufeature.c describes HCX from 6.5 (the FEAT_MOPS series): a 6.4 guest saw HCX 0, 6.6 refuses it (exact before 6.7)
  { name: '-cpu max 6.4 -> 6.6 fails on HCX', from: on('linux-6.4', max, { vmm: 'qemu-10.0' }), to: on('linux-6.6', max, { vmm: 'qemu-10.0' }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64MMFR1_EL1.HCX' }] },
  { name: '-cpu max 6.1 -> 6.18 is clean', from: on('linux-6.1.192', max, { vmm: 'qemu-10.0' }), to: on('linux-6.18.15', max, { vmm: 'qemu-10.0' }), verdict: 'clean', none: true },
  // FEAT_CCIDX hidden from 6.3 (normalised cache geometry), not writable
  { name: 'V1 6.1 -> 6.12 fails on CCIDX', from: on('linux-6.1', v1), to: on('linux-6.12', v1), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64MMFR2_EL1.CCIDX' }, { severity: 'fail', subject: 'ID_MMFR4_EL1.CCIDX' }] },
  // CSV3 is writable (lower-safe) from 5.11: KVM shows CSV3=1 on Meltdown-safe A72 from then on
  { name: 'A72 5.10 -> 6.1: a lower CSV3 is accepted', from: on('linux-5.10', a72), to: on('linux-6.1', a72), verdict: 'clean', none: true },
  // a host that says what its SKU's caches are: invariant before 6.3
  {
    name: 'two cache geometries of one core on 6.1',
    from: on('linux-6.1', n1, { idRegisters: { CLIDR_EL1: '0x82000023' } }),
    to: on('linux-6.1', n1, { idRegisters: { CLIDR_EL1: '0x82000123' } }),
    verdict: 'fail',
    expect: [{ severity: 'fail', subject: 'CLIDR_EL1.Ctype3' }],
  },
  { name: 'two cache geometries of one core on 6.6', from: on('linux-6.6', n1, { idRegisters: { CLIDR_EL1: '0x82000023' } }), to: on('linux-6.6', n1, { idRegisters: { CLIDR_EL1: '0x82000123' } }), verdict: 'clean', none: true },
  // boot options and overrides
  { name: 'arm64.nopauth on the destination only', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { bootOptions: ['arm64.nopauth'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64ISAR1_EL1.API' }] },
  // no kernel has an id_aa64dfr0 override table (kb bootOverrideFields): the option is ignored
  { name: 'id_aa64dfr0.pmuver=4 on the source changes nothing: no kernel parses an id_aa64dfr0 override', from: on('linux-6.12', v1, { bootOptions: ['id_aa64dfr0.pmuver=4'] }), to: on('linux-6.12', v1), verdict: 'clean', none: true },
  { name: 'probed-style hand-set field: a higher DebugVer on the source', from: on('linux-6.12', n1, { idRegisters: { 'ID_AA64DFR0_EL1.DebugVer': 9 } }), to: on('linux-6.12', n1), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64DFR0_EL1.DebugVer' }] },
  // SVE vector lengths: each side's QEMU sets its own host's with KVM_REG_ARM64_SVE_VLS; the stream carries none
  { name: 'V1 -> N2 with SVE on: the guest loses its 256-bit vectors', from: on('linux-6.6', v1), to: on('linux-6.6', n2), verdict: 'fail', expect: [{ severity: 'unsafe', subject: 'sveVectorLengths' }] },
  // two V1 hosts that differ only in the lengths their KVM offers (firmware capping ZCR_EL3.LEN)
  { name: 'V1 256-bit -> V1 128-bit host: vectors shrink', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { sveVectorLengths: [128] }), verdict: 'unsafe', expect: [{ severity: 'unsafe', subject: 'sveVectorLengths' }] },
  { name: 'V1 128-bit -> V1 256-bit host: longer vectors offered, unused', from: on('linux-6.6', v1, { sveVectorLengths: [128] }), to: on('linux-6.6', v1), verdict: 'clean', expect: [{ severity: 'info', subject: 'sveVectorLengths' }] },
  { name: 'V1 256-bit -> 128-bit with the Guest pinned to 128', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { sveVectorLengths: [128] }), guest: { cpu: { sveVectorLengths: [128] } }, verdict: 'clean', none: true },
  { name: 'a pinned length the destination lacks fails', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { sveVectorLengths: [128] }), guest: { cpu: { sveVectorLengths: [128, 256] } }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'cpu.sveVectorLengths' }] },
  // PMUVer: capped at PMUv3p1 from 5.7 (c854188ea010); before, the host's PMUv3p4 on V1 showed through
  {
    name: 'V1 5.4 -> 5.10: 5.7 capped PMUVer and PerfMon at PMUv3p1',
    from: on('linux-5.4', v1),
    to: on('linux-5.10', v1),
    verdict: 'fail',
    expect: [
      { severity: 'fail', subject: 'ID_AA64DFR0_EL1.PMUVer' },
      { severity: 'fail', subject: 'ID_DFR0_EL1.PerfMon' },
    ],
  },
  // a vCPU without a PMU reads PMUVer 0 from 5.11 (04355e41a603) and the AArch32 PerfMon 0 only
  // from 5.12 ('Fix AArch32 PMUv3 capping', cb95914685ca); the capped host value before
  {
    name: 'V1 5.10 -> 5.11 with the Guest pmu: off: PMUVer 4 -> 0',
    from: on('linux-5.10', v1),
    to: on('linux-5.11', v1),
    guest: { cpu: { pmu: false } },
    verdict: 'fail',
    expect: [{ severity: 'fail', subject: 'ID_AA64DFR0_EL1.PMUVer' }],
    absent: [{ severity: 'fail', subject: 'ID_DFR0_EL1.PerfMon' }],
  },
  {
    name: 'V1 5.11 -> 5.12 with the Guest pmu: off: PerfMon 4 -> 0 (and DebugVer limited to v8.0)',
    from: on('linux-5.11', v1),
    to: on('linux-5.12', v1),
    guest: { cpu: { pmu: false } },
    verdict: 'fail',
    expect: [
      { severity: 'fail', subject: 'ID_AA64DFR0_EL1.DebugVer' },
      { severity: 'fail', subject: 'ID_DFR0_EL1.PerfMon' },
    ],
  },
  // kvm-arm.mode=protected is nVHE from 5.12 and hVHE from 6.10 (5053c3f0519c): VH stays 1
  { name: 'VHE host -> pKVM host on 6.6 (nVHE)', from: on('linux-6.6', n1), to: on('linux-6.6', n1, { bootOptions: ['kvm-arm.mode=protected'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64MMFR1_EL1.VH' }] },
  { name: 'VHE host -> pKVM host on 6.12 (hVHE)', from: on('linux-6.12', n1), to: on('linux-6.12', n1, { bootOptions: ['kvm-arm.mode=protected'] }), verdict: 'clean', none: true },
  // arm64.nosve exists from 6.0; an older kernel ignores it
  { name: 'arm64.nosve on a 6.6 destination: SVE 1 -> 0', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { bootOptions: ['arm64.nosve'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.SVE' }] },
  { name: 'arm64.nosve on a 5.15 destination is ignored', from: on('linux-5.15', v1), to: on('linux-5.15', v1, { bootOptions: ['arm64.nosve'] }), verdict: 'clean', none: true },
  // the explicit override arm64.nosve stands for (idreg-override.c) is the same option: no SVE vCPU either
  { name: 'id_aa64pfr0.sve=0 on a 6.6 destination: SVE 1 -> 0', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { bootOptions: ['id_aa64pfr0.sve=0'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.SVE' }] },
  { name: 'id_aa64pfr0.sve=0 -> arm64.nosve on 6.6: neither vCPU has SVE', from: on('linux-6.6', v1, { bootOptions: ['id_aa64pfr0.sve=0'] }), to: on('linux-6.6', v1, { bootOptions: ['arm64.nosve'] }), verdict: 'clean', none: true },
  // the kernel reads the value as a number: 0x0 is 0 (final review: it kept the SVE vCPU, a false NO)
  { name: 'id_aa64pfr0.sve=0x0 -> arm64.nosve on 6.6: neither vCPU has SVE', from: on('linux-6.6', v1, { bootOptions: ['id_aa64pfr0.sve=0x0'] }), to: on('linux-6.6', v1, { bootOptions: ['arm64.nosve'] }), verdict: 'clean', none: true },
  // the kernel reads '-' as '_' in a boot option (parameq before 6.8, a copy with '-' -> '_' from 6.8):
  // id-aa64pfr0.sve=0 and kvm_arm.mode=nvhe are the options they look like (both were read as no option)
  { name: 'id-aa64pfr0.sve=0 on a 6.6 destination: the dash is an underscore, SVE 1 -> 0', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { bootOptions: ['id-aa64pfr0.sve=0'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.SVE' }] },
  { name: 'kvm_arm.mode=nvhe on a 6.6 destination is kvm-arm.mode=nvhe: VH 1 -> 0', from: on('linux-6.6', n1), to: on('linux-6.6', n1, { bootOptions: ['kvm_arm.mode=nvhe'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64MMFR1_EL1.VH' }] },
  // the value: a C integer before 6.8 (kstrtou64), one hex digit after an optional 0x from 6.8 (ea48626f8f0e):
  // 00 is 0 on 6.6 and no override on 6.12; 01 the same for EL0 (the old reading lowered both on 6.12)
  { name: 'id_aa64isar1.api=00 id_aa64isar1.apa=00 on a 6.6 destination: read as 0 before 6.8', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { bootOptions: ['id_aa64isar1.api=00', 'id_aa64isar1.apa=00'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64ISAR1_EL1.API' }] },
  { name: 'id_aa64isar1.api=00 id_aa64isar1.apa=00 on a 6.12 destination: not one hex digit, ignored', from: on('linux-6.12', v1), to: on('linux-6.12', v1, { bootOptions: ['id_aa64isar1.api=00', 'id_aa64isar1.apa=00'] }), verdict: 'clean', none: true },
  { name: 'id_aa64pfr0.el0=01 on a 6.12 destination: not one hex digit, ignored', from: on('linux-6.12', n1), to: on('linux-6.12', n1, { bootOptions: ['id_aa64pfr0.el0=01'] }), verdict: 'clean', none: true },
  // before 6.8 the value is shifted into the field and cut to its 4 bits: sve=16 (0x10) is sve=0 (it was read as 16, above 1, and kept SVE)
  { name: 'id_aa64pfr0.sve=16 on a 6.6 destination: cut to the field, 0, SVE 1 -> 0', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { bootOptions: ['id_aa64pfr0.sve=16'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.SVE' }] },
  { name: 'id_aa64pfr0.sve=0x10 on a 6.12 destination: not one hex digit, ignored', from: on('linux-6.12', v1), to: on('linux-6.12', v1, { bootOptions: ['id_aa64pfr0.sve=0x10'] }), verdict: 'clean', none: true },
  { name: 'id_aa64pfr0.el0=0x1 on a 6.12 destination: one hex digit after 0x, EL0 lowered', from: on('linux-6.12', n1), to: on('linux-6.12', n1, { bootOptions: ['id_aa64pfr0.el0=0x1'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.EL0' }] },
  // an explicit override counts only where the kernel's idreg-override.c has its table and field
  // (kb bootOverrideFields): 5.15 has no id_aa64pfr0 table (6.0), so the option changes nothing
  { name: 'id_aa64pfr0.sve=0 on a 5.15 destination is ignored', from: on('linux-5.15', v1), to: on('linux-5.15', v1, { bootOptions: ['id_aa64pfr0.sve=0'] }), verdict: 'clean', none: true },
  { name: 'id_aa64pfr0.sve=0 on a 5.15 source is ignored', from: on('linux-5.15', v1, { bootOptions: ['id_aa64pfr0.sve=0'] }), to: on('linux-5.15', v1), verdict: 'clean', none: true },
  { name: 'id_aa64pfr0.sve=0 on 5.15 -> 6.6: parsed on the destination only', from: on('linux-5.15', v1, { bootOptions: ['id_aa64pfr0.sve=0'] }), to: on('linux-6.6', v1, { bootOptions: ['id_aa64pfr0.sve=0'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.SVE' }] },
  // the id_aa64isar1 table is 5.12's: 5.15 parses the PAuth overrides and 5.10 does not
  { name: 'PAuth host -> PAuth fields overridden to 0 on 5.15', from: on('linux-5.15', v1), to: on('linux-5.15', v1, { bootOptions: ['id_aa64isar1.api=0', 'id_aa64isar1.apa=0'] }), verdict: 'fail' },
  { name: 'PAuth fields overridden to 0 on a 5.10 destination are ignored', from: on('linux-5.10', v1), to: on('linux-5.10', v1, { bootOptions: ['id_aa64isar1.api=0', 'id_aa64isar1.apa=0'] }), verdict: 'clean', none: true },
  // id_aa64pfr0.el0 (arm64.no32bit_el0) from 6.10: AArch32 EL0 2 -> 1 on 6.12, ignored on 6.6
  { name: 'id_aa64pfr0.el0=1 on a 6.12 destination: EL0 lowered', from: on('linux-6.12', n1), to: on('linux-6.12', n1, { bootOptions: ['id_aa64pfr0.el0=1'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.EL0' }] },
  { name: 'id_aa64pfr0.el0=1 on a 6.6 destination is ignored', from: on('linux-6.6', n1), to: on('linux-6.6', n1, { bootOptions: ['id_aa64pfr0.el0=1'] }), verdict: 'clean', none: true },
  // ... and on 6.9: 1279e8d0dcea came with the arm64 pull for 6.10, not 6.9 (the kb said 6.9, a false NO)
  { name: 'id_aa64pfr0.el0=1 on a 6.9 destination is ignored: the el0 field is 6.10\'s', from: on('linux-6.9', n1), to: on('linux-6.9', n1, { bootOptions: ['id_aa64pfr0.el0=1'] }), verdict: 'clean', none: true },
  { name: 'id_aa64pfr0.el0=1 on a 6.10 destination: EL0 lowered', from: on('linux-6.10', n1), to: on('linux-6.10', n1, { bootOptions: ['id_aa64pfr0.el0=1'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.EL0' }] },
  // id_aa64mmfr0.ecv (358dd4a9bdac) came with the arm64 pull for 6.13, not with the pi/ move of 6.9:
  // -cpu max shows ECV 2, which 6.12 keeps under the option and 6.13 lowers (the kb said 6.9, a false NO on 6.9-6.12)
  { name: '-cpu max, id_aa64mmfr0.ecv=1 on a 6.12 destination is ignored', from: on('linux-6.12.118', max, { vmm: 'qemu-10.0' }), to: on('linux-6.12.118', max, { vmm: 'qemu-10.0', bootOptions: ['id_aa64mmfr0.ecv=1'] }), verdict: 'clean', none: true },
  { name: '-cpu max, id_aa64mmfr0.ecv=1 on a 6.13 destination: ECV 2 -> 1 refused', from: on('linux-6.13', max, { vmm: 'qemu-10.0' }), to: on('linux-6.13', max, { vmm: 'qemu-10.0', bootOptions: ['id_aa64mmfr0.ecv=1'] }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64MMFR0_EL1.ECV' }] },
  // arm64.nopauth exists from 5.12
  { name: 'arm64.nopauth on a 5.10 destination is ignored', from: on('linux-5.10', v1, { vmm: 'qemu-7.0' }), to: on('linux-5.10', v1, { vmm: 'qemu-7.0', bootOptions: ['arm64.nopauth'] }), verdict: 'clean', none: true },
  // arm64.nopauth's own overrides: zeroing either authentication group takes the PAuth vCPU away
  // (KVM needs address and generic authentication both), as the alias does, from 5.12
  { name: 'PAuth fields overridden to 0 -> arm64.nopauth on 6.6: neither vCPU has PAuth', from: on('linux-6.6', v1, { bootOptions: ['id_aa64isar1.gpi=0', 'id_aa64isar1.gpa=0', 'id_aa64isar1.api=0', 'id_aa64isar1.apa=0'] }), to: on('linux-6.6', v1, { bootOptions: ['arm64.nopauth'] }), verdict: 'clean', none: true },
  { name: 'address authentication overridden to 0 -> arm64.nopauth on 6.6: no PAuth vCPU, generic fields hidden too', from: on('linux-6.6', v1, { bootOptions: ['id_aa64isar1.api=0', 'id_aa64isar1.apa=0'] }), to: on('linux-6.6', v1, { bootOptions: ['arm64.nopauth'] }), verdict: 'clean', none: true },
  { name: 'PAuth host -> PAuth fields overridden to 0 on 6.6', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { bootOptions: ['id_aa64isar1.api=0', 'id_aa64isar1.apa=0'] }), verdict: 'fail' },
  // AmpereOne has PAuth (paca/pacg in a real A192-32X's /proc/cpuinfo): QEMU 7.0 turns it on
  { name: 'AmpereOne QEMU 6.2 -> 7.0 on 6.6: the PAuth fields appear', from: on('linux-6.6', ampere, { vmm: 'qemu-6.2' }), to: on('linux-6.6', ampere, { vmm: 'qemu-7.0' }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64ISAR1_EL1.API' }] },
  // Cortex-A76 has no SPE (TRM r3p0 B2.54: ID_AA64DFR0_EL1[63:32] RES0): only DebugVer moves at 5.12
  { name: 'A76 5.10 -> 5.15: DebugVer 8 -> 6', from: on('linux-5.10', a76), to: on('linux-5.15', a76), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64DFR0_EL1.DebugVer' }] },
  // ID_AA64PFR1_EL1 is writable from 6.12 (BT, SSBS, CSV2_frac lower-safe), exact before:
  // a source that saw no BTI (V1 -> N2 in the lab, 6.12.118 accepts BT 0 under 1)
  // the lab's writable masks (test/lab/writable-masks.test.ts): CTR_EL0's cache geometry beyond
  // IminLine/DminLine/IDC/DIC must equal; WRPs is writable, lower-safe, from 6.12
  { name: 'N1 CTR_EL0 CWG 3 -> CWG 4 on 6.12: a smaller CWG is refused too (not writable)', from: on('linux-6.12', n1, { idRegisters: { 'CTR_EL0.CWG': 3 } }), to: on('linux-6.12', n1, { idRegisters: { 'CTR_EL0.CWG': 4 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'CTR_EL0.CWG' }] },
  { name: 'N1 CTR_EL0 DminLine 4 -> 3 on 6.12: a smaller line is accepted', from: on('linux-6.12', n1, { idRegisters: { 'CTR_EL0.DminLine': 3 } }), to: on('linux-6.12', n1, { idRegisters: { 'CTR_EL0.DminLine': 4 } }), verdict: 'clean', none: true },
  { name: 'N1 WRPs 3 -> WRPs 1 on 6.12: refused, more watchpoints than the destination has', from: on('linux-6.12', n1, { idRegisters: { 'ID_AA64DFR0_EL1.WRPs': 3 } }), to: on('linux-6.12', n1, { idRegisters: { 'ID_AA64DFR0_EL1.WRPs': 1 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64DFR0_EL1.WRPs' }] },
  { name: 'N1 WRPs 1 -> WRPs 3 on 6.12: fewer watchpoints are accepted', from: on('linux-6.12', n1, { idRegisters: { 'ID_AA64DFR0_EL1.WRPs': 1 } }), to: on('linux-6.12', n1, { idRegisters: { 'ID_AA64DFR0_EL1.WRPs': 3 } }), verdict: 'clean', none: true },
  { name: 'N1 WRPs 1 -> WRPs 3 on 6.11: ID_AA64DFR0_EL1.WRPs not writable yet', from: on('linux-6.11', n1, { idRegisters: { 'ID_AA64DFR0_EL1.WRPs': 1 } }), to: on('linux-6.11', n1, { idRegisters: { 'ID_AA64DFR0_EL1.WRPs': 3 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64DFR0_EL1.WRPs' }] },
  // CLIDR_EL1 (the cross-CPU replay, test/lab/cross-cpu.test.ts): compared whole before 6.3, a
  // Ttype bit included; from 6.3 any geometry, unless it implies IDC on a destination without it
  { name: 'CLIDR_EL1 Ttype differs on 6.1: refused (invariant)', from: on('linux-6.1', n1, { idRegisters: { CLIDR_EL1: '0x82000023' } }), to: on('linux-6.1', n1, { idRegisters: { CLIDR_EL1: '0x1482000023' } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'CLIDR_EL1.Ttype1' }] },
  { name: 'CLIDR_EL1 Ttype differs on 6.12: KVM takes the geometry', from: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x82000023' } }), to: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x1482000023' } }), verdict: 'clean', none: true },
  { name: 'an IDC geometry onto CTR_EL0.IDC 0 on 6.12: refused', from: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x1000004', 'CTR_EL0.IDC': 0 } }), to: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x9200003', 'CTR_EL0.IDC': 0 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'CLIDR_EL1' }] },
  { name: 'the same geometry onto CTR_EL0.IDC 1 on 6.12: taken', from: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x1000004', 'CTR_EL0.IDC': 1 } }), to: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x9200003', 'CTR_EL0.IDC': 1 } }), verdict: 'clean', none: true },
  { name: 'a non-IDC geometry onto CTR_EL0.IDC 0 on 6.12: taken', from: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x9200003', 'CTR_EL0.IDC': 0 } }), to: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x1000004', 'CTR_EL0.IDC': 0 } }), verdict: 'clean', none: true },
  { name: 'a CLIDR_EL1 with a RES0 bit on 6.12: refused', from: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x800082000023' } }), to: on('linux-6.12', n1, { idRegisters: { CLIDR_EL1: '0x82000023' } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'CLIDR_EL1' }] },
  // DoubleLock is signed (0xf: not implemented, the lowest) and writable from 6.12
  { name: 'DoubleLock 0xf under 0 on 6.12: accepted', from: on('linux-6.12', n1, { idRegisters: { 'ID_AA64DFR0_EL1.DoubleLock': 15 } }), to: on('linux-6.12', n1, { idRegisters: { 'ID_AA64DFR0_EL1.DoubleLock': 0 } }), verdict: 'clean', none: true },
  { name: 'DoubleLock 0 under 0xf on 6.12: refused', from: on('linux-6.12', n1, { idRegisters: { 'ID_AA64DFR0_EL1.DoubleLock': 0 } }), to: on('linux-6.12', n1, { idRegisters: { 'ID_AA64DFR0_EL1.DoubleLock': 15 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64DFR0_EL1.DoubleLock' }] },
  { name: 'CopDbg 8 under 9 on 6.7: accepted', from: on('linux-6.7', n1, { idRegisters: { 'ID_DFR0_EL1.CopDbg': 8 } }), to: on('linux-6.7', n1, { idRegisters: { 'ID_DFR0_EL1.CopDbg': 9 } }), verdict: 'clean', none: true },
  // RAS and RAS_frac: writable, lower-safe, from 6.17 (kvmarm-fixes-6.17-1)
  { name: 'RAS 1 under 2 on 6.17: accepted', from: on('linux-6.17', n1, { idRegisters: { 'ID_AA64PFR0_EL1.RAS': 1 } }), to: on('linux-6.17', n1, { idRegisters: { 'ID_AA64PFR0_EL1.RAS': 2 } }), verdict: 'clean', none: true },
  { name: 'RAS 1 under 2 on 6.16: refused', from: on('linux-6.16', n1, { idRegisters: { 'ID_AA64PFR0_EL1.RAS': 1 } }), to: on('linux-6.16', n1, { idRegisters: { 'ID_AA64PFR0_EL1.RAS': 2 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.RAS' }] },
  { name: 'RAS 2 under 1 on 6.17: refused', from: on('linux-6.17', n1, { idRegisters: { 'ID_AA64PFR0_EL1.RAS': 2 } }), to: on('linux-6.17', n1, { idRegisters: { 'ID_AA64PFR0_EL1.RAS': 1 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.RAS' }] },
  // Ampere1 (AC03) has no PAuth, Ampere1A (AC04) has: QEMU 7.0 gives only the second a PAuth vCPU
  { name: 'AmpereOne AC03 -> AC04 on 6.12: the PAuth fields appear, not writable', from: on('linux-6.12', { midr: '0xc00fac31' }), to: on('linux-6.12', ampere), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64ISAR1_EL1.API' }, { severity: 'fail', subject: 'ID_AA64ISAR1_EL1.GPI' }] },
  // Graviton4's V2 signs with the standard algorithm (APA 5), QEMU's V1 model with an IMPLEMENTATION DEFINED one: KVM holds both equal
  { name: 'V1 (QEMU model) -> V2 on 6.12: the PAuth algorithm differs', from: on('linux-6.12', v1), to: on('linux-6.12', { model: 'graviton4', revision: 'r0p1' }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64ISAR1_EL1.APA' }, { severity: 'fail', subject: 'ID_AA64ISAR1_EL1.GPA' }] },
  { name: 'N2 BT 0 -> N2 on 6.12: a lower ID_AA64PFR1_EL1.BT is accepted', from: on('linux-6.12', n2, { idRegisters: { 'ID_AA64PFR1_EL1.BT': 0 } }), to: on('linux-6.12', n2), verdict: 'clean', none: true },
  { name: 'N2 BT 0 -> N2 on 6.11: ID_AA64PFR1_EL1 is not writable yet', from: on('linux-6.11', n2, { idRegisters: { 'ID_AA64PFR1_EL1.BT': 0 } }), to: on('linux-6.11', n2), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR1_EL1.BT' }] },
  { name: 'N2 -> N2 BT 0 on 6.12: a higher BT is refused', from: on('linux-6.12', n2), to: on('linux-6.12', n2, { idRegisters: { 'ID_AA64PFR1_EL1.BT': 0 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR1_EL1.BT' }] },
  // ID_AA64PFR0_EL1 beyond CSV2/CSV3 is writable from 6.7 (all but AMU, MPAM, SVE, RAS, GIC, AdvSIMD, FP)
  { name: 'N2 SEL2 0 -> N2 on 6.7: a lower SEL2 is accepted', from: on('linux-6.7', n2, { idRegisters: { 'ID_AA64PFR0_EL1.SEL2': 0 } }), to: on('linux-6.7', n2), verdict: 'clean', none: true },
  { name: 'N2 SEL2 0 -> N2 on 6.6: SEL2 is exact', from: on('linux-6.6', n2, { idRegisters: { 'ID_AA64PFR0_EL1.SEL2': 0 } }), to: on('linux-6.6', n2), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.SEL2' }] },
  // GIC is writable from 6.12 (Marc Zyngier, 2025-10-13: 'its 64bit equivalent is [writable]. I broke
  // that in 6.12'): 0 (no GICv3 for the guest) is accepted under 1, exact before
  { name: 'N2 GIC 0 -> N2 on 6.12: GIC 0 is accepted (writable, safe value 0)', from: on('linux-6.12', n2, { idRegisters: { 'ID_AA64PFR0_EL1.GIC': 0 } }), to: on('linux-6.12', n2), verdict: 'clean', none: true },
  { name: 'N2 GIC 0 -> N2 on 6.11: GIC is exact', from: on('linux-6.11', n2, { idRegisters: { 'ID_AA64PFR0_EL1.GIC': 0 } }), to: on('linux-6.11', n2), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.GIC' }] },
  { name: 'N2 -> N2 GIC 0 on 6.12: GIC 1 is refused where KVM shows 0', from: on('linux-6.12', n2), to: on('linux-6.12', n2, { idRegisters: { 'ID_AA64PFR0_EL1.GIC': 0 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.GIC' }] },
  // the AArch32 ID registers: exact until 3f9eacf4f070 (6.18; in 6.12.60 and 6.17.9), lower-safe after;
  // the stable version decides, so 6.12.59 (and bare 6.12, i.e. 6.12.0) still refuse
  ...(['linux-6.12.60', 'linux-6.12.118', 'linux-6.17.9', 'linux-6.18'] as const).map((k) => ({
    name: `ID_ISAR6_EL1 0x1100111 -> 0x1111111 on ${k}: accepted (AArch32 ID registers writable)`,
    from: on(k, n2, { idRegisters: { ID_ISAR6_EL1: '0x1100111' } }),
    to: on(k, n2, { idRegisters: { ID_ISAR6_EL1: '0x1111111' } }),
    verdict: 'clean' as const,
    none: true,
  })),
  ...(['linux-6.11', 'linux-6.12', 'linux-6.12.59', 'linux-6.16', 'linux-6.17.8'] as const).map((k) => ({
    name: `ID_ISAR6_EL1 0x1100111 -> 0x1111111 on ${k}: refused (exact)`,
    from: on(k, n2, { idRegisters: { ID_ISAR6_EL1: '0x1100111' } }),
    to: on(k, n2, { idRegisters: { ID_ISAR6_EL1: '0x1111111' } }),
    verdict: 'fail' as const,
    expect: [{ severity: 'fail' as const, subject: 'ID_ISAR6_EL1.bits[19:16]' }],
  })),
  { name: 'ID_ISAR6_EL1 0x1111111 -> 0x1100111 on 6.18: a higher value is refused', from: on('linux-6.18', n2, { idRegisters: { ID_ISAR6_EL1: '0x1111111' } }), to: on('linux-6.18', n2, { idRegisters: { ID_ISAR6_EL1: '0x1100111' } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_ISAR6_EL1.bits[19:16]' }] },
  // FEAT_XS: exposed from 2287a4c1e118 (6.13), backported to 6.11.11 and 6.12.2; the stable point
  // release decides, so 6.12.0/6.12.1 (and 6.11.10) still hide it. ID_AA64ISAR1_EL1 is lower-safe (6.7)
  ...([['linux-6.12.1', 'linux-6.12.2'], ['linux-6.12', 'linux-6.12.118'], ['linux-6.11.10', 'linux-6.11.11']] as const).flatMap(([before, after]) => [
    { name: `-cpu max ${before} -> ${after}: XS 0 under 1 is accepted`, from: on(before, max, { vmm: 'qemu-10.0' }), to: on(after, max, { vmm: 'qemu-10.0' }), verdict: 'clean' as const, none: true },
    { name: `-cpu max ${after} -> ${before}: the guest saw XS 1, ${before} hides it`, from: on(after, max, { vmm: 'qemu-10.0' }), to: on(before, max, { vmm: 'qemu-10.0' }), verdict: 'fail' as const, expect: [{ severity: 'fail' as const, subject: 'ID_AA64ISAR1_EL1.XS' }] },
  ]),
  { name: '-cpu max 6.12.2 -> 6.12.118: both expose XS', from: on('linux-6.12.2', max, { vmm: 'qemu-10.0' }), to: on('linux-6.12.118', max, { vmm: 'qemu-10.0' }), verdict: 'clean', none: true },
  // MPAM (Neoverse V1 reads ID_AA64PFR0_EL1.MPAM 1): passed on from 5.8, hidden by 6685f5d572c2
  // in 6.13, 6.12.6 and 6.6.67, which also ignore a written MPAM equal to the host's own value
  // (6.1.192 -> 6.6.67 fails on CCIDX, so its MPAM case is the describe block below, by subject)
  ...([['linux-6.12.5', 'linux-6.12.6'], ['linux-6.6.66', 'linux-6.6.67']] as const).map(([before, after]) => ({
    name: `V1 ${before} -> ${after}: the written MPAM 1 equals the host's, so it is ignored`,
    from: on(before, v1),
    to: on(after, v1),
    verdict: 'clean' as const,
    none: true,
  })),
  ...([['linux-6.12.6', 'linux-6.12.5'], ['linux-6.6.67', 'linux-6.6.66'], ['linux-6.6.67', 'linux-6.6'], ['linux-6.12.6', 'linux-6.12']] as const).map(([after, before]) => ({
    name: `V1 ${after} -> ${before}: the guest saw MPAM 0, ${before} shows and requires the host's 1`,
    from: on(after, v1),
    to: on(before, v1),
    verdict: 'fail' as const,
    expect: [{ severity: 'fail' as const, subject: 'ID_AA64PFR0_EL1.MPAM' }],
  })),
  // the written value must be the destination host's own: a V1 without MPAM (stated by hand) refuses MPAM 1
  { name: 'V1 6.12.5 -> V1 without MPAM on 6.12.6: MPAM 1 is not the host\'s value', from: on('linux-6.12.5', v1), to: on('linux-6.12.6', v1, { idRegisters: { 'ID_AA64PFR0_EL1.MPAM': 0 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.MPAM' }] },
  { name: 'V1 6.12.5 -> V1 without MPAM on 6.12.5: exact before the fix', from: on('linux-6.12.5', v1), to: on('linux-6.12.5', v1, { idRegisters: { 'ID_AA64PFR0_EL1.MPAM': 0 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.MPAM' }] },
  { name: 'V1 6.12.6 -> V1 without MPAM on 6.12.6: both show 0', from: on('linux-6.12.6', v1), to: on('linux-6.12.6', v1, { idRegisters: { 'ID_AA64PFR0_EL1.MPAM': 0 } }), verdict: 'clean', none: true },
  // before 011e5f5bf529 (5.8) cpufeature.c did not describe MPAM: 5.4 shows 0, 5.10 the host's 1
  { name: 'N1 has no MPAM: 6.12.6 -> 6.12.5 is clean', from: on('linux-6.12.6', n1), to: on('linux-6.12.5', n1), verdict: 'clean', none: true },
  // EL3: KVM passes the host's ID_AA64PFR0_EL1.EL3 on (silicon N1/V1: 1; QEMU's models without
  // EL3: 0); exact before 6.7, lower-safe from 6.7 (the PFR0 writable mask includes EL0-EL3)
  { name: 'N1 EL3 0 (a QEMU model) -> N1 silicon on 6.6: EL3 is exact', from: on('linux-6.6', n1, { idRegisters: { 'ID_AA64PFR0_EL1.EL3': 0 } }), to: on('linux-6.6', n1), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.EL3' }] },
  { name: 'N1 EL3 0 -> N1 silicon on 6.7: a lower EL3 is accepted', from: on('linux-6.7', n1, { idRegisters: { 'ID_AA64PFR0_EL1.EL3': 0 } }), to: on('linux-6.7', n1), verdict: 'clean', none: true },
  { name: 'N1 silicon -> N1 EL3 0 on 6.12: a higher EL3 is refused', from: on('linux-6.12', n1), to: on('linux-6.12', n1, { idRegisters: { 'ID_AA64PFR0_EL1.EL3': 0 } }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'ID_AA64PFR0_EL1.EL3' }] },
  { name: 'SVE off: lengths do not matter', from: on('linux-6.6', v1), to: on('linux-6.6', v1, { sveVectorLengths: [128] }), guest: { cpu: { sve: false } }, verdict: 'clean', none: true },
]);

describe('id-registers: MPAM where the kernels agree', () => {
  // id_aa64pfr0.mpam (10f885d63a0e) is in the arm64 fixes pull for 6.16-rc1, not 6.17 (the kb said 6.17, a false YES on 6.16):
  // a 6.16 host booted with it reads MPAM 0, so the MPAM 1 a 6.12.5 guest writes is not the host's value
  const mpam = (to: ReturnType<typeof on>) => ruleFindings(runCase({ name: 'mpam override', from: on('linux-6.12.5', v1), to, verdict: 'fail' }), 'id-registers').map((f) => f.subject);
  it('V1 6.12.5 -> V1 6.16 booted with id_aa64pfr0.mpam=0: MPAM 1 is refused', () => expect(mpam(on('linux-6.16', v1, { bootOptions: ['id_aa64pfr0.mpam=0'] }))).toContain('ID_AA64PFR0_EL1.MPAM'));
  it('V1 6.12.5 -> V1 6.15 booted with id_aa64pfr0.mpam=0: 6.15 ignores the option, MPAM 1 is the host\'s', () => expect(mpam(on('linux-6.15', v1, { bootOptions: ['id_aa64pfr0.mpam=0'] }))).not.toContain('ID_AA64PFR0_EL1.MPAM'));
  it('V1 5.4 -> 5.10: MPAM 0 (not described before 5.8) -> 1 is one of the refused fields', () => {
    const r = runCase({ name: 'mpam 5.8', from: on('linux-5.4', v1), to: on('linux-5.10', v1), verdict: 'fail' });
    expect(ruleFindings(r, 'id-registers').map((f) => f.subject)).toContain('ID_AA64PFR0_EL1.MPAM');
  });
  it('V1 6.1.192 -> 6.6.67: no MPAM finding (the CCIDX fields fail)', () => {
    const r = runCase({ name: 'mpam 6.1', from: on('linux-6.1.192', v1), to: on('linux-6.6.67', v1), verdict: 'fail' });
    expect(ruleFindings(r, 'id-registers').map((f) => f.subject)).not.toContain('ID_AA64PFR0_EL1.MPAM');
  });
});

// NV: hidden from 6.15 (9d6745572899); from 6.16 (lab) a written NV equal to the host's own is ignored, any other refused;
// 6.15 is not shown to ignore it, so it judges NV exact (errs towards fail)
describe('id-registers: ID_AA64MMFR2_EL1.NV', () => {
  const nv = (to: ReturnType<typeof on>) => ruleFindings(runCase({ name: 'nv', from: on('linux-6.12', v1), to, verdict: 'fail' }), 'id-registers').map((f) => f.subject);
  it('V1 6.12 (NV 2) -> V1 6.16: the host has NV 2, so the write is ignored', () => expect(nv(on('linux-6.16', v1))).not.toContain('ID_AA64MMFR2_EL1.NV'));
  it('V1 6.12 (NV 2) -> a V1 whose host reads NV 0 on 6.16: refused', () => expect(nv(on('linux-6.16', v1, { idRegisters: { 'ID_AA64MMFR2_EL1.NV': 0 } }))).toContain('ID_AA64MMFR2_EL1.NV'));
  it('V1 6.12 (NV 2) -> V1 6.15: not shown to ignore the write, so refused', () => expect(nv(on('linux-6.15', v1))).toContain('ID_AA64MMFR2_EL1.NV'));
});

describe('id-registers: what does not move', () => {
  it('A76 5.10 -> 5.15: no SPE to hide, so no PMSVer finding', () => {
    const r = runCase({ name: 'a76', from: on('linux-5.10', a76), to: on('linux-5.15', a76), verdict: 'fail' });
    expect(ruleFindings(r, 'id-registers').map((f) => f.subject)).not.toContain('ID_AA64DFR0_EL1.PMSVer');
  });
  it('V1 6.6 -> 6.12 with the Guest pmu: off: PMUVer is 0 on both sides', () => {
    const r = runCase({ name: 'pmu off', from: on('linux-6.6', v1), to: on('linux-6.12', v1), guest: { cpu: { pmu: false } }, verdict: 'fail' });
    const subjects = ruleFindings(r, 'id-registers').map((f) => f.subject);
    expect(subjects).not.toContain('ID_AA64DFR0_EL1.PMUVer');
    expect(subjects).not.toContain('ID_DFR0_EL1.PerfMon');
  });
});

describe('id-registers: SVE lengths between different cores', () => {
  it('V1 -> N2 pinned to 128: no vector-length finding (the other ID fields still differ)', () => {
    const r = runCase({ name: 'pinned', from: on('linux-6.6', v1), to: on('linux-6.6', n2), guest: { cpu: { sveVectorLengths: [128] } }, verdict: 'fail' });
    expect(r.verdict).toBe('fail');
    const subjects = ruleFindings(r, 'id-registers').map((f) => f.subject);
    expect(subjects).not.toContain('sveVectorLengths');
    expect(subjects).not.toContain('cpu.sveVectorLengths');
  });
});
