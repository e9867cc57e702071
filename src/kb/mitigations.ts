// The SMCCC_ARCH_WORKAROUND_1/2/3 levels KVM reports for a host (get_kernel_wa_level),
// from its CPU's Spectre classification, its kernel's era and any operator override.
import type { HostModel, SpectreState, WorkaroundName } from '../model.js';

/** The host's Spectre state behind a workaround register, and why (list, feature or override). */
export function mitigation(host: HostModel, wa: WorkaroundName): SpectreState {
  const override = host.mitigations[wa];
  if (override) return { state: override, why: `mitigations.${wa} in the Host profile` };
  const of = (c: HostModel['cpu']) => (wa === 'WORKAROUND_1' ? c.spectre.v2 : wa === 'WORKAROUND_2' ? c.spectre.v4 : c.spectre.bhb[host.kernel.bhbScheme]);
  // the system state is the worst of its CPUs (proton-pack.c update_mitigation_state)
  return host.otherCpus.reduce((worst, c) => (RANK[of(c).state] > RANK[worst.state] ? of(c) : worst), of(host.cpu));
}

const RANK = { unaffected: 0, mitigated: 1, vulnerable: 2 } as const;

/** ARM64_SSBS is a system capability: every CPU must have it. */
const systemSsbs = (host: HostModel) => host.cpu.spectre.ssbs && host.otherCpus.every((c) => c.spectre.ssbs);


/**
 * WA1/WA3: VULNERABLE 0 (NOT_AVAIL), MITIGATED 1 (AVAIL), UNAFFECTED 2 (NOT_REQUIRED).
 * WA2 5.3–5.9: force-disabled 0, dynamic (kernel) 2 AVAIL, unaffected 3 NOT_REQUIRED.
 * WA2 5.10+: only 0 or 3; mitigated with SSBS reports 0 ("pretend we don't have any FW mitigation").
 */
export function workaroundLevel(host: HostModel, wa: WorkaroundName): number {
  const state = mitigation(host, wa).state;
  if (wa !== 'WORKAROUND_2') return state === 'vulnerable' ? 0 : state === 'mitigated' ? 1 : 2;
  if (host.kernel.wa2Scheme === 'v5.10') return state === 'unaffected' ? 3 : state === 'mitigated' && !systemSsbs(host) ? 3 : 0;
  return state === 'vulnerable' ? 0 : state === 'mitigated' ? 2 : 3;
}

const WA_NAMES: Record<string, string[]> = {
  WORKAROUND_1: ['NOT_AVAIL', 'AVAIL', 'NOT_REQUIRED'],
  WORKAROUND_2: ['NOT_AVAIL', 'UNKNOWN', 'AVAIL', 'NOT_REQUIRED'],
  WORKAROUND_3: ['NOT_AVAIL', 'AVAIL', 'NOT_REQUIRED'],
};

export const levelName = (wa: WorkaroundName, level: number) => `${level} (${WA_NAMES[wa]![level] ?? '?'})`;
