// The SMCCC_ARCH_WORKAROUND_1/2/3 levels KVM reports for a host (get_kernel_wa_level),
// from its CPU's Spectre classification, its kernel's era and any operator override.
import type { HostModel, SpectreState, WorkaroundName } from '../model.js';

/** The host's Spectre state behind a workaround register, and why (list, feature or override). */
export function mitigation(host: HostModel, wa: WorkaroundName): SpectreState {
  const override = host.mitigations[wa];
  if (override) return { state: override, why: `mitigations.${wa} in the Host profile` };
  const s = host.cpu.spectre;
  return wa === 'WORKAROUND_1' ? s.v2 : wa === 'WORKAROUND_2' ? s.v4 : s.bhb[host.kernel.bhbScheme];
}


/**
 * WA1/WA3: VULNERABLE 0 (NOT_AVAIL), MITIGATED 1 (AVAIL), UNAFFECTED 2 (NOT_REQUIRED).
 * WA2 5.3–5.9: force-disabled 0, dynamic (kernel) 2 AVAIL, unaffected 3 NOT_REQUIRED.
 * WA2 5.10+: only 0 or 3; mitigated with SSBS reports 0 ("pretend we don't have any FW mitigation").
 */
export function workaroundLevel(host: HostModel, wa: WorkaroundName): number {
  const state = mitigation(host, wa).state;
  if (wa !== 'WORKAROUND_2') return state === 'vulnerable' ? 0 : state === 'mitigated' ? 1 : 2;
  if (host.kernel.wa2Scheme === 'v5.10') return state === 'unaffected' ? 3 : state === 'mitigated' && !host.cpu.spectre.ssbs ? 3 : 0;
  return state === 'vulnerable' ? 0 : state === 'mitigated' ? 2 : 3;
}

const WA_NAMES: Record<string, string[]> = {
  WORKAROUND_1: ['NOT_AVAIL', 'AVAIL', 'NOT_REQUIRED'],
  WORKAROUND_2: ['NOT_AVAIL', 'UNKNOWN', 'AVAIL', 'NOT_REQUIRED'],
  WORKAROUND_3: ['NOT_AVAIL', 'AVAIL', 'NOT_REQUIRED'],
};

export const levelName = (wa: WorkaroundName, level: number) => `${level} (${WA_NAMES[wa]![level] ?? '?'})`;
