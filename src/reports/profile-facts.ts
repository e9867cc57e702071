// `profiles show`: a resolved profile as a flat list of facts, each with the source it
// came from (timeline entry, data file or the profile itself). Pure data, no output.
import type { FleetModel, GuestModel, HostModel, KernelModel, VmmModel } from '../model.js';
import type { CoreInfo, Product } from '../kb/data.js';
import { kb } from '../kb/data.js';
import { registerOrder } from '../kb/registers.js';
import { machineTypeVersion } from '../kb/vmms.js';
import { coreForMidr, guestErrata, hex32, hex64 } from '../kb/cpus.js';
import { displayPath } from '../profile/load.js';
import { coreFeatures, spectreClass } from '../kb/spectre.js';
import { levelName, mitigation, workaroundLevel } from '../kb/mitigations.js';

interface ProfileFact {
  readonly fact: string;
  readonly value: string;
  readonly source: string;
}

export interface ProfileFacts {
  readonly name: string;
  readonly kind: 'kernel' | 'vmm' | 'cpu' | 'Host' | 'Guest' | 'Fleet';
  readonly facts: readonly ProfileFact[];
}

const F = (fact: string, value: unknown, source: string): ProfileFact => ({
  fact,
  value: typeof value === 'string' ? value : JSON.stringify(value),
  source,
});

export function kernelFacts(k: KernelModel, prefix = ''): ProfileFact[] {
  const src = (key: string) => k.sources[key] ?? k.sources[key.split('.')[0]!] ?? 'kb/kernel-timeline.yaml';
  const regs = [...k.registers].sort((a, b) => registerOrder(a.name, b.name));
  return [
    F(`${prefix}version`, k.version, `mainline ${k.release}: kb/kernel-timeline.yaml`),
    ...(k.assumption ? [F(`${prefix}assumption`, k.assumption, 'the release name: distribution releases keep X.Y.0 whatever they backport')] : []),
    ...regs.map((r) => {
      const c = r.condition;
      const when = c?.cpuFeature ? `listed with FEAT_${c.cpuFeature}` : c?.vcpuFeature ? `listed with vCPU feature ${c.vcpuFeature}` : 'listed';
      return F(`${prefix}registers.${r.name}`, when, src(`registers.${r.name}`));
    }),
    F(`${prefix}psci`, `versions ${k.psci.versions.join(' ')}; default ${k.psci.default}; ${k.psci.pinnable ? `pinnable via ${k.psci.pinVia}` : 'not pinnable'}`, src('psci')),
    ...k.services.map((s) => F(`${prefix}services.${s}`, 'implemented', src(`services.${s}`))),
    ...(['wa2Scheme', 'bhbScheme', 'stolenTime', 'writableIdRegs', 'writableImpIdRegs', 'targetImplCpus'] as const).map((f) => F(`${prefix}${f}`, k[f], src(f))),
    ...k.backports.map((b) => F(`${prefix}backports.${b}`, 'applied', src(`backports.${b}`))),
  ];
}

export function vmmFacts(v: VmmModel, prefix = ''): ProfileFact[] {
  const src = (key: string) => v.sources[key] ?? 'kb/vmm-timeline.yaml';
  return [
    F(`${prefix}version`, v.version, 'kb/vmm-timeline.yaml'),
    F(`${prefix}tolerances`, v.tolerances.length ? v.tolerances.map((t) => `${t.register} ${t.kind}${t.value !== undefined ? `=${t.value}` : ''}`).join(', ') : 'none', src('tolerances')),
    F(`${prefix}stealTime`, v.stealTime, src('stealTime')),
    F(`${prefix}canSet`, v.canSet, src('canSet')),
    F(`${prefix}pmuDefault`, v.pmuDefault, src('pmuDefault')),
    F(`${prefix}setRegisterError`, v.setRegisterError, src('setRegisterError')),
    F(`${prefix}machineTypes`, `${typeList(v.machineTypes.registered)}; virt = ${v.machineTypes.newest}; deprecated: ${typeList(v.machineTypes.deprecated) || 'none'}`, src('machineTypes')),
    F(`${prefix}kvmOptions`, `mte=on: ${v.kvmOptions.mte}; virtualization=on: ${v.kvmOptions.virtualization}`, src('kvmOptions')),
  ];
}

/** An upstream run virt-A … virt-B as its ends; a distribution's own list in full. */
const typeList = (ts: readonly string[]) => (ts.length > 2 && ts.every((t) => machineTypeVersion(t)) ? `${ts[0]} … ${ts.at(-1)}` : ts.join(', '));

/** A product: the core and the revision it ships (what a Host that names it is read as). */
export function productFacts(p: Product, core: CoreInfo): ProfileFact[] {
  const ref = `kb/cpu-properties.yaml products (${p.status}): ${p.reference}`;
  return [
    F('product', `${p.name}: ${core.name}`, ref),
    F('revision', p.revision ? `${p.revision} (MIDR ${p.midr}), the revision it ships: cpu: ${p.name} is read as this` : `unknown: cpu: ${p.name} is read as r0p0 (give ${p.name}:rXpY or a midr)`, ref),
    ...coreFacts(core),
  ];
}

export function coreFacts(core: CoreInfo, bare = false): ProfileFact[] {
  const feats = coreFeatures(core);
  const sp = spectreClass(core, feats.features);
  const products = kb.cpuProperties.products.filter((p) => p.core === core.name).map((p) => p.name);
  const mine = kb.errata.filter((e) => e.affects.some((a) => a.core === core.name));
  return [
    F('implementer', core.implementer, 'arm64-errata.yaml cores (cputype.h)'),
    F('partnum', core.partnum, 'arm64-errata.yaml cores (cputype.h)'),
    F('midrBase', hex32(Number(core.midrBase)), 'arm64-errata.yaml cores (MIDR_CPU_MODEL)'),
    ...(bare ? [F('revision', `none given: a Host with cpu: ${core.name.toLowerCase()} is read as r0p0 (give :rXpY or a midr)`, 'MIDR_EL1 Variant/Revision; errata ranges and MIDR equality depend on it')] : []),
    ...(products.length ? [F('products', products.join(', '), 'kb/cpu-properties.yaml products')] : []),
    F('features', feats.features.join(', ') || 'none known', feats.reference ?? 'kb/cpu-properties.yaml (core not listed)'),
    F('spectre.v2', sp.v2.state, sp.v2.why),
    F('spectre.v4', sp.v4.state, sp.v4.why),
    F('spectre.bhb (legacy)', sp.bhb.legacy.state, sp.bhb.legacy.why),
    F('spectre.bhb (2025)', sp.bhb['2025'].state, sp.bhb['2025'].why),
    // only the cores a later list addition changed (TSV110 from v7.0)
    ...(sp.bhb['2026'].why !== sp.bhb['2025'].why ? [F('spectre.bhb (2026)', sp.bhb['2026'].state, sp.bhb['2026'].why)] : []),
    ...mine.map((e) => {
      const ranges = e.affects.filter((a) => a.core === core.name).map((a) => `${a.from}..${a.to}${a.revidrFixBits ? ` (REVIDR ${a.revidrFixBits} fixes ${a.revidrFixAt})` : ''}`);
      return F(`errata.${e.id}`, `${ranges.join(', ')}; ${e.guestWorkaround ? 'guest applies the workaround' : 'host/firmware side'}`, `arm64-errata.yaml ${e.source ?? ''}${e.verified === false ? ' (not verified)' : ''}`);
    }),
  ];
}

export function hostFacts(h: HostModel): ProfileFact[] {
  const file = h.file ? displayPath(h.file) : 'the Host profile';
  const cpu = h.cpu;
  const known = coreFeatures(coreForMidr(cpu.midr));
  const extra = cpu.features.filter((f) => !known.features.includes(f));
  return [
    ...kernelFacts(h.kernel, 'kernel.'),
    ...vmmFacts(h.vmm, 'vmm.'),
    F('cpu.midr', `${hex32(cpu.midr)} (${cpu.model ?? 'unknown core'} ${cpu.revision})`, cpu.assumption ? `${file}; assumed: ${cpu.assumption}` : file),
    F('cpu.revidr', hex64(cpu.revidr), file),
    F('cpu.features', cpu.features.join(', ') || 'none', [known.reference, extra.length ? `${file} (${extra.join(', ')})` : undefined].filter(Boolean).join('; ') || file),
    ...h.otherCpus.map((c, i) => F(`otherCpus[${i}]`, `${hex32(c.midr)} (${c.model ?? 'unknown core'} ${c.revision}), REVIDR ${hex64(c.revidr)}; errata ${guestErrata(c).map((e) => e.id).join(', ') || 'none'}`, file)),
    ...h.probed.map((o) => F(`probed ${o.field}`, `${o.probed} (version-derived: ${o.derived})`, o.evidence)),
    ...(['WORKAROUND_1', 'WORKAROUND_2', 'WORKAROUND_3'] as const).map((wa) => {
      const m = mitigation(h, wa);
      const listed = h.kernel.registers.some((r) => r.name === `SMCCC_ARCH_${wa}`);
      return F(`SMCCC_ARCH_${wa}`, `${listed ? levelName(wa, workaroundLevel(h, wa)) : `not listed by ${h.kernel.name}`} (${m.state})`, m.why);
    }),
    F('cpu.errata', cpu.errata ? cpu.errata.join(', ') : guestErrata(cpu).map((e) => e.id).join(', ') || 'none', cpu.errata ? file : 'derived from MIDR/REVIDR (arm64-errata.yaml, guest-side entries)'),
  ];
}

export function guestFacts(g: GuestModel): ProfileFact[] {
  const file = g.file ? displayPath(g.file) : 'the Guest profile';
  const show = (v: unknown) =>
    JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? hex64(x) : k === 'midr' && typeof x === 'number' ? hex32(x) : x));
  return (['psciVersion', 'hypercallBitmaps', 'stolenTime', 'targetCpus', 'guestKernel', 'pmu', 'machineType', 'machineOptions'] as const).map((k) =>
    g[k] === undefined || (k === 'stolenTime' && g[k] === 'auto')
      ? F(k, g[k] ?? 'host default', k === 'stolenTime' ? "auto: the VMM's kvm-steal-time default on each host" : k === 'machineType' ? "not set: the source QEMU's newest type (libvirt stores it when the guest is defined there)" : 'not set: each host applies its default')
      : F(k, typeof g[k] === 'string' ? g[k] : show(g[k]), file),
  );
}

export function fleetFacts(f: FleetModel): ProfileFact[] {
  const file = f.file ? displayPath(f.file) : 'the Fleet';
  const where = (h: HostModel) => (h.file ? displayPath(h.file) : h.name);
  return [
    ...f.hosts.map((e, i) => F(`hosts[${i}]`, `${e.count} × ${e.host.name}${e.upgradeTo ? ` -> ${e.upgradeTo.name}` : ''}`, `${file}; ${where(e.host)}${e.upgradeTo ? `, ${where(e.upgradeTo)}` : ''}`)),
    F('guests', f.guests.map((g) => g.name).join(', '), file),
  ];
}
