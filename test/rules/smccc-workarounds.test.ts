import { ruleTable } from './table.js';

const n1 = (kernel: string, wa: Record<string, string> = {}) => ({ kernel, cpu: 'neoverse-n1:r3p1', mitigations: wa });

ruleTable('smccc-workarounds', [
  { name: 'same host state', from: n1('linux-6.6'), to: n1('linux-6.6'), verdict: 'clean', none: true },
  { name: 'WA1 NOT_REQUIRED onto a host that needs it', from: n1('linux-6.6', { WORKAROUND_1: 'unaffected' }), to: n1('linux-6.6', { WORKAROUND_1: 'mitigated' }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_1' }] },
  { name: 'WA1 AVAIL onto an unaffected host', from: n1('linux-6.6', { WORKAROUND_1: 'mitigated' }), to: n1('linux-6.6', { WORKAROUND_1: 'unaffected' }), verdict: 'clean', none: true },
  { name: 'WA1 NOT_AVAIL is accepted everywhere', from: n1('linux-6.6', { WORKAROUND_1: 'vulnerable' }), to: n1('linux-6.6', { WORKAROUND_1: 'mitigated' }), verdict: 'clean', none: true },
  { name: 'WA3 AVAIL onto a vulnerable host', from: n1('linux-6.6', { WORKAROUND_3: 'mitigated' }), to: n1('linux-6.6', { WORKAROUND_3: 'vulnerable' }), verdict: 'fail', expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_3' }] },
  { name: 'WA2 AVAIL (5.4, SSBS) onto 5.10 with SSBS reporting NOT_AVAIL', from: n1('linux-5.4'), to: n1('linux-5.10'), verdict: 'fail', expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_2' }] },
  { name: 'WA2 AVAIL (5.9) onto 5.10 without SSBS (NOT_REQUIRED)', from: { kernel: 'linux-5.9', cpu: 'cortex-a72:r0p3' }, to: { kernel: 'linux-5.10', cpu: 'cortex-a72:r0p3' }, verdict: 'clean', none: true },
  { name: 'WA2 NOT_REQUIRED (5.10, no SSBS) onto a 5.9 dynamic host (AVAIL)', from: { kernel: 'linux-5.10', cpu: 'cortex-a72:r0p3' }, to: { kernel: 'linux-5.9', cpu: 'cortex-a72:r0p3' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_2' }] },
  { name: 'registers absent on the destination are register-list business', from: n1('linux-5.3'), to: n1('linux-5.2'), verdict: 'fail', none: true },
]);

// a big.LITTLE host reports the worst state of its CPUs (proton-pack.c update_mitigation_state)
ruleTable('smccc-workarounds', [
  {
    name: 'A53-only -> A53+A72: the A72s need the Spectre-v2 firmware mitigation, so WA1 drops from NOT_REQUIRED to AVAIL',
    from: { kernel: 'linux-6.6', cpu: 'cortex-a53:r0p4' },
    to: { kernel: 'linux-6.6', cpu: 'cortex-a53:r0p4', otherCpus: [{ model: 'cortex-a72', revision: 'r0p2' }] },
    verdict: 'fail',
    expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_1' }],
  },
  { name: 'A53+A72 -> A53+A72', from: { kernel: 'linux-6.6', cpu: 'cortex-a53:r0p4', otherCpus: [{ model: 'cortex-a72', revision: 'r0p2' }] }, to: { kernel: 'linux-6.6', cpu: 'cortex-a53:r0p4', otherCpus: [{ model: 'cortex-a72', revision: 'r0p2' }] }, verdict: 'clean', none: true },
]);

// the 2025 Spectre-BHB rework as stable point releases took it (kb/kernel-timeline.yaml backports):
// a CPU on no BHB list (Kunpeng 920's TSV110) goes from NOT_REQUIRED to unmitigated on the same host
ruleTable('smccc-workarounds', [
  { name: 'Kunpeng 920, 6.6.87 -> 6.6.88 (BHB rework): WA3 drops', from: { kernel: 'linux-6.6.87', cpu: 'kunpeng-920' }, to: { kernel: 'linux-6.6.88', cpu: 'kunpeng-920' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_3' }] },
  { name: 'Kunpeng 920, 5.15.180 -> 5.15.181 (BHB rework): WA3 drops', from: { kernel: 'linux-5.15.180', cpu: 'kunpeng-920' }, to: { kernel: 'linux-5.15.181', cpu: 'kunpeng-920' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_3' }] },
  { name: 'Kunpeng 920, 6.1.134 -> 6.1.135 (BHB rework): WA3 drops', from: { kernel: 'linux-6.1.134', cpu: 'kunpeng-920' }, to: { kernel: 'linux-6.1.135', cpu: 'kunpeng-920' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_3' }] },
  { name: 'Neoverse-N1 (on the BHB loop list), 6.6.87 -> 6.6.88: nothing changes', from: n1('linux-6.6.87'), to: n1('linux-6.6.88'), verdict: 'clean', none: true },
  { name: 'Neoverse-N1 (on the BHB loop list), 5.15.180 -> 5.15.181: nothing changes', from: n1('linux-5.15.180'), to: n1('linux-5.15.181'), verdict: 'clean', none: true },
]);

// TSV110 on the k=32 loop list (7.0, and the stable releases that took it): Kunpeng 920 hosts
// report WORKAROUND_3 AVAIL again, so a guest from such a host cannot go back
ruleTable('smccc-workarounds', [
  { name: 'Kunpeng 920, 6.1.164 -> 6.1.165 (TSV110 loop): WA3 rises, forward is clean', from: { kernel: 'linux-6.1.164', cpu: 'kunpeng-920' }, to: { kernel: 'linux-6.1.165', cpu: 'kunpeng-920' }, verdict: 'clean', none: true },
  { name: 'Kunpeng 920, 6.1.165 -> 6.1.164: WA3 AVAIL onto a host without the loop', from: { kernel: 'linux-6.1.165', cpu: 'kunpeng-920' }, to: { kernel: 'linux-6.1.164', cpu: 'kunpeng-920' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_3' }] },
  { name: 'Kunpeng 920, 7.0 -> 6.19: WA3 AVAIL onto a host without the loop', from: { kernel: 'linux-7.0', cpu: 'kunpeng-920' }, to: { kernel: 'linux-6.19', cpu: 'kunpeng-920' }, verdict: 'fail', expect: [{ severity: 'fail', subject: 'SMCCC_ARCH_WORKAROUND_3' }] },
  { name: 'Kunpeng 920, 6.12.74 -> 6.12.75: forward is clean', from: { kernel: 'linux-6.12.74', cpu: 'kunpeng-920' }, to: { kernel: 'linux-6.12.75', cpu: 'kunpeng-920' }, verdict: 'clean', none: true },
  { name: 'Neoverse-N1 (already on a loop list), 7.0 -> 6.19: nothing changes', from: n1('linux-7.0'), to: n1('linux-6.19'), verdict: 'clean', none: true },
]);
