// Real release histories, checked end to end (profile loader -> solver -> rules):
// each case asserts the verdict and the rule and subject that decide it.
import { describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/model.js';
import { guest, host, type HostSpec } from '../helpers.js';
import { assess } from '../../src/solver/assess.js';

interface HistoryCase {
  name: string;
  from: HostSpec;
  to: HostSpec;
  guest?: Record<string, unknown>;
  verdict: Assessment['verdict'];
  /** `rule:subject` of a finding with the verdict's severity (fail/unsafe) */
  because?: string[];
}

const N1 = { model: 'neoverse-n1', revision: 'r3p1' };
const at = (kernel: string, vmm: HostSpec['vmm'] = 'qemu-9.2', cpu: HostSpec['cpu'] = N1): HostSpec => ({ kernel, vmm, cpu });

function run(c: HistoryCase): Assessment {
  return assess(host(c.from), host(c.to), c.guest ? guest(c.guest) : { name: 'default', stolenTime: 'auto' });
}

const decisive = (a: Assessment) => a.findings.filter((f) => f.severity === a.verdict).map((f) => `${f.rule}:${f.subject}`);

const cases: HistoryCase[] = [
  { name: '5.18 -> 5.17 fails: PSCI 1.1 (and OSLSR_EL1)', from: at('linux-5.18'), to: at('linux-5.17'), verdict: 'fail', because: ['psci-version:PSCI_VERSION', 'register-list:OSLSR_EL1'] },
  { name: '5.19 -> 5.18 fails: hypercall bitmaps', from: at('linux-5.19'), to: at('linux-5.18'), verdict: 'fail', because: ['register-list:STD_BMAP', 'register-list:STD_HYP_BMAP', 'register-list:VENDOR_HYP_BMAP'] },
  { name: '6.13 -> 6.12 fails: PSCI 1.3', from: at('linux-6.13'), to: at('linux-6.12'), verdict: 'fail', because: ['psci-version:PSCI_VERSION'] },
  { name: '6.12 -> 6.13 without FEAT_TCR2 fails with QEMU 10.1', from: at('linux-6.12', 'qemu-10.1'), to: at('linux-6.13', 'qemu-10.1'), verdict: 'fail', because: ['register-list:TCR2_EL1', 'register-list:PIRE0_EL1', 'register-list:PIR_EL1'] },
  { name: '6.12 -> 6.13 without FEAT_TCR2 is clean with QEMU 11.1', from: at('linux-6.12', 'qemu-11.1'), to: at('linux-6.13', 'qemu-11.1'), verdict: 'clean' },
  { name: '6.12 -> 6.13 on a CPU with TCR2/S1PIE is clean with QEMU 10.1', from: at('linux-6.12', 'qemu-10.1', { ...N1, features: ['TCR2', 'S1PIE'] }), to: at('linux-6.13', 'qemu-10.1', { ...N1, features: ['TCR2', 'S1PIE'] }), verdict: 'clean' },
  { name: '6.15 -> 6.14 default guest fails with QEMU 10.2: VENDOR_HYP_BMAP_2', from: at('linux-6.15', 'qemu-10.2'), to: at('linux-6.14', 'qemu-10.2'), verdict: 'fail', because: ['register-list:VENDOR_HYP_BMAP_2'] },
  { name: '6.15 -> 6.14 default guest is clean with QEMU 11.1 (BMAP_2 is 0)', from: at('linux-6.15', 'qemu-11.1'), to: at('linux-6.14', 'qemu-11.1'), verdict: 'clean' },
  { name: '6.15 -> 6.14 with target CPUs fails even with QEMU 11.1 (BMAP_2 != 0)', from: at('linux-6.15', { extends: 'qemu-11.1', canSet: { targetCpus: true, impIdRegs: true } }), to: at('linux-6.14', 'qemu-11.1'), guest: { targetCpus: [N1], guestKernel: 'linux-6.15' }, verdict: 'fail', because: ['register-list:VENDOR_HYP_BMAP_2'] },
  { name: 'Neoverse-N1 -> Neoverse-V1 on 6.6 fails: MIDR_EL1', from: at('linux-6.6'), to: at('linux-6.6', 'qemu-9.2', { model: 'neoverse-v1', revision: 'r1p1' }), verdict: 'fail', because: ['cpu-identity:MIDR_EL1'] },
  { name: 'Neoverse-N1 r3p0 -> r3p1 on 6.14 fails: MIDR_EL1', from: at('linux-6.14', 'qemu-10.2', { model: 'neoverse-n1', revision: 'r3p0' }), to: at('linux-6.14', 'qemu-10.2'), verdict: 'fail', because: ['cpu-identity:MIDR_EL1'] },
  { name: 'REVIDR differs on one revision, 5.15: REVIDR_EL1', from: at('linux-5.15', 'qemu-9.2', { ...N1, revidr: '0x1' }), to: at('linux-5.15'), verdict: 'fail', because: ['cpu-identity:REVIDR_EL1'] },
  { name: 'N1 -> V1 on 6.15 still fails with released QEMU (cannot enable writable MIDR)', from: at('linux-6.15', 'qemu-11.1'), to: at('linux-6.15', 'qemu-11.1', { model: 'neoverse-v1', revision: 'r1p1' }), verdict: 'fail', because: ['cpu-identity:MIDR_EL1'] },
  { name: '5.4.190 -> 5.10 fails: WORKAROUND_3 backported to 5.4.186', from: at('linux-5.4.190', 'qemu-5.2', { model: 'cortex-a72', revision: 'r0p3' }), to: at('linux-5.10', 'qemu-5.2', { model: 'cortex-a72', revision: 'r0p3' }), verdict: 'fail', because: ['register-list:SMCCC_ARCH_WORKAROUND_3'] },
  { name: '5.4.190 -> 5.10.105 is clean (both carry WORKAROUND_3)', from: at('linux-5.4.190', 'qemu-5.2', { model: 'cortex-a72', revision: 'r0p3' }), to: at('linux-5.10.105', 'qemu-5.2', { model: 'cortex-a72', revision: 'r0p3' }), verdict: 'clean' },
  { name: '5.4 -> 5.10 on Neoverse-N1 fails: WORKAROUND_2 AVAIL cannot land on an SSBS host', from: at('linux-5.4'), to: at('linux-5.10'), verdict: 'fail', because: ['smccc-workarounds:SMCCC_ARCH_WORKAROUND_2'] },
  { name: '6.14 -> 6.15 on Azure Cobalt 100 fails: the 2025 BHB rework drops WORKAROUND_3', from: at('linux-6.14', 'qemu-10.2', { model: 'cobalt-100', revision: 'r0p0' }), to: at('linux-6.15', 'qemu-10.2', { model: 'cobalt-100', revision: 'r0p0' }), verdict: 'fail', because: ['smccc-workarounds:SMCCC_ARCH_WORKAROUND_3'] },
];

describe('release histories', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const a = run(c);
    expect(a.verdict, JSON.stringify(a.findings.map((f) => `${f.severity} ${f.rule}:${f.subject}`))).toBe(c.verdict);
    for (const b of c.because ?? []) expect(decisive(a)).toContain(b);
  });
});

describe('forward migration between consecutive LTS releases', () => {
  const lts = ['5.4', '5.10', '5.15', '6.1', '6.6', '6.12'];
  const steps = lts.slice(1).map((to, i) => [lts[i]!, to] as const);

  it.each(steps)('Cortex-A72 (no SSBS) %s -> %s is clean', (from, to) => {
    const cpu = { model: 'cortex-a72', revision: 'r0p3' };
    expect(run({ name: '', from: at(`linux-${from}`, 'qemu-9.2', cpu), to: at(`linux-${to}`, 'qemu-9.2', cpu), verdict: 'clean' }).verdict).toBe('clean');
  });

  it.each(steps.slice(2))('Neoverse-N1 %s -> %s is clean (5.4 -> 5.10 and 5.10 -> 5.15 are not)', (from, to) => {
    expect(run({ name: '', from: at(`linux-${from}`), to: at(`linux-${to}`), verdict: 'clean' }).verdict).toBe('clean');
  });

  it('Neoverse-N1 5.10 -> 5.15 fails: 5.12 forces DebugVer to v8.0 and 5.13 hides SPE, and 5.15 accepts only its own values', () => {
    const a = run({ name: '', from: at('linux-5.10'), to: at('linux-5.15'), verdict: 'fail' });
    expect(a.verdict).toBe('fail');
    expect(a.findings.filter((f) => f.rule === 'id-registers').map((f) => f.subject)).toEqual(['ID_AA64DFR0_EL1.DebugVer', 'ID_AA64DFR0_EL1.PMSVer']);
  });
});
