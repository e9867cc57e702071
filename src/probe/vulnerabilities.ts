// The host's Spectre state as its kernel reports it in sysfs (arch/arm64/kernel/proton-pack.c
// cpu_show_spectre_v2 / cpu_show_spec_store_bypass), which is what KVM's
// get_kernel_wa_level() reads for SMCCC_ARCH_WORKAROUND_1/2/3.
import type { MitigationState, WorkaroundName } from '../model.js';
import type { HostTree } from './tree.js';

export interface ProbedMitigation {
  readonly state: MitigationState;
  readonly evidence: string;
}

const DIR = '/sys/devices/system/cpu/vulnerabilities';

/**
 * spectre_v2: "Not affected" | "Mitigation: {CSV2|Branch predictor hardening}[, BHB|, but not BHB]"
 * | "Vulnerable: Unprivileged eBPF enabled" (BHB mitigated, v2 not stated) | "Vulnerable".
 * `bhbReported`: the kernel has the Spectre-BHB code (it lists WORKAROUND_3), so a missing
 * BHB suffix means unaffected rather than "not reported".
 */
export function probeMitigations(tree: HostTree, bhbReported: boolean): Partial<Record<WorkaroundName, ProbedMitigation>> {
  const out: Partial<Record<WorkaroundName, ProbedMitigation>> = {};
  const v2 = tree.line(`${DIR}/spectre_v2`);
  const ev = (file: string, text: string) => `${DIR}/${file}: ${text}`;
  if (v2 !== undefined) {
    const m = /^Mitigation: (CSV2|Branch predictor hardening)(, BHB|, but not BHB)?/.exec(v2);
    if (v2 === 'Not affected') {
      out.WORKAROUND_1 = { state: 'unaffected', evidence: ev('spectre_v2', v2) };
      if (bhbReported) out.WORKAROUND_3 = { state: 'unaffected', evidence: ev('spectre_v2', v2) };
    } else if (m) {
      out.WORKAROUND_1 = { state: m[1] === 'CSV2' ? 'unaffected' : 'mitigated', evidence: ev('spectre_v2', v2) };
      const bhb: MitigationState | undefined = m[2] === ', BHB' ? 'mitigated' : m[2] ? 'vulnerable' : bhbReported ? 'unaffected' : undefined;
      if (bhb) out.WORKAROUND_3 = { state: bhb, evidence: ev('spectre_v2', v2) };
    } else if (v2 === 'Vulnerable: Unprivileged eBPF enabled') {
      out.WORKAROUND_3 = { state: 'mitigated', evidence: ev('spectre_v2', v2) };
    } else if (v2 === 'Vulnerable') {
      out.WORKAROUND_1 = { state: 'vulnerable', evidence: ev('spectre_v2', v2) };
    }
  }
  const v4 = tree.line(`${DIR}/spec_store_bypass`);
  if (v4 !== undefined) {
    const state: MitigationState | undefined = v4 === 'Not affected' ? 'unaffected' : v4.startsWith('Mitigation') ? 'mitigated' : v4.startsWith('Vulnerable') ? 'vulnerable' : undefined;
    if (state) out.WORKAROUND_2 = { state, evidence: ev('spec_store_bypass', v4) };
  }
  return out;
}
