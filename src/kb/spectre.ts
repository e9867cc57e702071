// How the host kernel classifies a core for Spectre v2 / v4 / BHB (proton-pack.c),
// which decides the SMCCC_ARCH_WORKAROUND_1/2/3 levels KVM reports. Lists come from
// arm64-errata.yaml `spectre:`, hardware features from kb/cpu-properties.yaml.
import type { BhbScheme, MitigationState, SpectreClass, SpectreState } from '../model.js';
import { kb, type CoreInfo } from './data.js';

const lists = kb.spectre;
const on = (list: readonly string[], core: CoreInfo | undefined) => core !== undefined && list.includes(core.name);
const loopK = (table: Readonly<Record<string, readonly string[]>>, core: CoreInfo | undefined) =>
  Object.entries(table).find(([, cores]) => on(cores, core))?.[0];
const st = (state: MitigationState, why: string): SpectreState => ({ state, why });

/** Hardware features a shipped core is known to have (kb/cpu-properties.yaml). */
export function coreFeatures(core: CoreInfo | undefined): { features: readonly string[]; reference?: string } {
  const p = core && kb.cpuProperties.cores.find((c) => c.core === core.name);
  return p ? { features: p.features, reference: `kb/cpu-properties.yaml (${p.status}): ${p.reference}` } : { features: [] };
}

function v2(core: CoreInfo | undefined, f: readonly string[]): SpectreState {
  if (f.includes('CSV2')) return st('unaffected', 'ID_AA64PFR0_EL1.CSV2 (proton-pack.c spectre_v2_get_cpu_hw_mitigation_state)');
  if (on(lists.v2.safeList, core)) return st('unaffected', `spectre_v2_safe_list (${lists.v2.source})`);
  return st('mitigated', 'firmware SMCCC_ARCH_WORKAROUND_1 (proton-pack.c spectre_v2_get_cpu_fw_mitigation_state)');
}

function v4(core: CoreInfo | undefined, f: readonly string[]): SpectreState {
  if (on(lists.v4.safeList, core)) return st('unaffected', `spectre_v4_safe_list (${lists.v4.source})`);
  if (f.includes('SSBS')) return st('mitigated', 'PSTATE.SSBS (ARM64_SSBS)');
  return st('mitigated', 'firmware SMCCC_ARCH_WORKAROUND_2');
}

/** Spectre-BHB v5.17 … before the 2025 rework: a CPU on no list is unaffected. */
function bhbLegacy(core: CoreInfo | undefined, f: readonly string[]): SpectreState {
  const pre = lists.bhb.preJan2025;
  const k = loopK(pre.loopK, core);
  if (k) return st('mitigated', `branchy loop k=${k} (${pre.source})`);
  if (on(pre.firmwareMitigatedList, core)) return st('mitigated', `firmware WORKAROUND_3 list (${pre.source})`);
  if (f.includes('CLRBHB')) return st('mitigated', 'CLRBHB instruction');
  return st('unaffected', `on no Spectre-BHB list (${pre.source})`);
}

/** Spectre-BHB after the 2025 rework: a CPU on no list is assumed affected. With `added`
 * (scheme 2026) the cores later put on a loop list (TSV110, k=32) get their loop. */
function bhb2025(core: CoreInfo | undefined, f: readonly string[], added = false): SpectreState {
  if (f.includes('CSV2_3')) return st('unaffected', 'ID_AA64PFR0_EL1.CSV2 == 3');
  if (on(lists.bhb.safeList, core)) return st('unaffected', `spectre_bhb_safe_list (${lists.bhb.source})`);
  if (f.includes('ECBHB')) return st('mitigated', 'ECBHB (ID_AA64MMFR1_EL1)');
  if (f.includes('CLRBHB')) return st('mitigated', 'CLRBHB instruction');
  const k = loopK(lists.bhb.loopK, core);
  if (k) return st('mitigated', `branchy loop k=${k} (${lists.bhb.source})`);
  const later = added ? loopK(lists.bhb.loopKAdded2026, core) : undefined;
  if (later) return st('mitigated', `branchy loop k=${later} (${lists.bhb.loopKAdded2026Source})`);
  return st('vulnerable', `on no list, so assumed affected, and no ECBHB/CLRBHB/loop applies (${lists.bhb.source})`);
}

export function spectreClass(core: CoreInfo | undefined, features: readonly string[]): SpectreClass {
  return {
    v2: v2(core, features),
    v4: v4(core, features),
    bhb: { legacy: bhbLegacy(core, features), '2025': bhb2025(core, features), '2026': bhb2025(core, features, true) },
    ssbs: features.includes('SSBS'),
  };
}

/** The branchy-loop iteration count a kernel of this BHB era patches in for a core (0: none). */
const loopKCache = new Map<string, number>();

export function bhbLoopK(core: CoreInfo | undefined, scheme: BhbScheme): number {
  const key = `${core?.name}\0${scheme}`;
  let k = loopKCache.get(key);
  if (k === undefined) {
    const found = scheme === 'legacy' ? loopK(lists.bhb.preJan2025.loopK, core) : (loopK(lists.bhb.loopK, core) ?? (scheme === '2026' ? loopK(lists.bhb.loopKAdded2026, core) : undefined));
    loopKCache.set(key, (k = Number(found ?? 0)));
  }
  return k;
}
