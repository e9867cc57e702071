// Which knowledge-base facts each rule reads, so `explain RULE` cites the same
// references as the data the verdicts come from.
import { kb, type TimelineChange } from './data.js';
import { registerInfo } from './registers.js';

export interface CitedFact {
  readonly where: string;
  readonly what: string;
  readonly reference: string;
  readonly status: string;
}

const setsAny = (c: TimelineChange, keys: string[]) => keys.some((k) => k in (c.set ?? {}));
const touchesRegister = (c: TimelineChange, pred: (r: string) => boolean) => [...(c.add ?? []), ...(c.remove ?? [])].some(pred);
const bitmap = (r: string) => registerInfo(r)?.kind === 'bitmap';

const READS: Record<string, (c: TimelineChange) => boolean> = {
  'machine-type': (c) => setsAny(c, ['kvmOptions']),
  'register-list': (c) => !!(c.add || c.remove || c.condition || c.addTolerances),
  'psci-version': (c) => !!c.psci || touchesRegister(c, (r) => r === 'PSCI_VERSION'),
  'smccc-workarounds': (c) => touchesRegister(c, (r) => r.startsWith('SMCCC_')) || setsAny(c, ['wa2Scheme', 'bhbScheme']),
  'hypercall-services': (c) => !!c.addServices || touchesRegister(c, bitmap),
  'stolen-time': (c) => setsAny(c, ['stolenTime', 'stealTime']),
  // kb/id-registers.yaml entries are added below; the timeline's vCPU-feature conditions too
  'id-registers': (c) => Object.values(c.condition ?? {}).some((x) => x.cpuFeature === 'SVE' || x.cpuFeature === 'PAUTH'),
  'cpu-identity': (c) => setsAny(c, ['writableImpIdRegs', 'writableIdRegs', 'canSet', 'setRegisterError']),
  'guest-errata': (c) => setsAny(c, ['targetImplCpus', 'canSet']) || touchesRegister(c, (r) => r === 'VENDOR_HYP_BMAP_2'),
  // the version-derived values a probe is compared against
  'probed-facts': (c) => !!(c.add || c.remove || c.psci || c.addServices) || setsAny(c, ['stolenTime', 'writableImpIdRegs']),
  // what a distribution release read as mainline X.Y.0 goes without: the stable backports
  assumptions: (c) => (kb.kernel.backports ?? []).some((b) => b.change === c.id),
};

/** Timeline entries (kernel and QEMU) and data sources a rule's verdicts rest on. */
export function factsForRule(rule: string): CitedFact[] {
  const reads = READS[rule];
  if (!reads) return [];
  const out: CitedFact[] = [];
  for (const [who, t] of [['linux', kb.kernel], ['qemu', kb.vmm]] as const) {
    for (const c of t.changes.filter(reads)) out.push({ where: `${who} ${c.release}`, what: c.what, reference: c.reference, status: c.status });
    for (const b of t.backports ?? []) {
      const c = t.changes.find((x) => x.id === b.change);
      if (c && reads(c)) out.push({ where: `${who} ${b.since} (stable)`, what: `backport: ${c.what}`, reference: b.reference, status: b.status });
    }
  }
  const mt = kb.vmm.machineTypes;
  if (rule === 'machine-type') {
    out.push({ where: 'qemu machine types', what: 'the alias virt and the canonical type', reference: mt.aliasReference, status: mt.aliasStatus });
    out.push({ where: 'qemu 9.1+ machine types', what: 'deprecated after 3 years, no longer registered after 6 (from 10.1)', reference: mt.policy, status: mt.policyStatus });
    for (const r of mt.releases) out.push({ where: `qemu ${r.release}`, what: `registers virt-${r.oldest} … virt-${r.release}${r.deprecatedUpTo ? `, deprecates up to virt-${r.deprecatedUpTo}` : ''}`, reference: r.reference, status: r.status });
  }
  if (rule === 'machine-type' || rule === 'stolen-time') {
    for (const x of mt.settings) if (rule === 'machine-type' || x.pins?.stealTime) out.push({ where: `virt-${x.upTo} and older`, what: `${x.setting}: ${x.what}`, reference: x.reference, status: x.status });
  }
  if (rule === 'smccc-workarounds') {
    for (const [k, v] of Object.entries(kb.spectre)) out.push({ where: `Spectre ${k}`, what: 'safe / affected lists (arm64-errata.yaml spectre)', reference: String((v as { source?: string }).source ?? ''), status: 'verified' });
  }
  if (rule === 'id-registers') {
    const id = kb.idRegisters;
    const span = (x: { since?: string; until?: string }) => (x.since ? `linux ${x.since}${x.until ? `..${x.until}` : '+'}` : x.until ? `linux <${x.until}` : 'linux');
    const what = (x: { field?: string; fields?: readonly string[]; register?: string; registers?: readonly string[] }) =>
      [x.field, ...(x.fields ?? []), x.register, ...(x.registers ?? [])].filter(Boolean).join(', ');
    for (const c of id.cores) {
      out.push({ where: `core ${c.core}`, what: 'ID-register values (kb/id-registers.yaml cores)', reference: c.reference, status: c.status });
      const v = c.sveVectorLengths;
      if (v) out.push({ where: `core ${c.core}`, what: `SVE vector lengths ${v.lengths.join(', ')} bits`, reference: v.reference, status: v.status });
    }
    for (const f of id.sveVectorLengths ?? []) out.push({ where: 'qemu', what: `SVE vector lengths: ${f.fact}`, reference: f.reference, status: f.status });
    for (const e of id.exposure) out.push({ where: span(e), what: `exposure: ${what(e)} ${e.op}${e.value !== undefined ? ` ${e.value}` : ''}${e.when ? ` when ${Object.entries(e.when).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`, reference: e.reference, status: e.status });
    for (const a of id.acceptance) out.push({ where: span(a), what: `acceptance: ${what(a)} ${a.judge}`, reference: a.reference, status: a.status });
    for (const v of id.vcpuFeatures) out.push({ where: `qemu ${v.since}, linux ${v.kvmSince}`, what: `vCPU feature ${v.feature} for -cpu host`, reference: v.reference, status: v.status });
    for (const p of id.pauthOffer) out.push({ where: `linux ${p.since}+`, what: `PAuth vCPU offered: ${p.rule}`, reference: p.reference, status: p.status });
    for (const b of id.bootOptions) out.push({ where: `boot option ${b.option}`, what: `effect ${b.effect}`, reference: b.reference, status: b.status });
    for (const o of id.bootOverrideFields) out.push({ where: span(o), what: `boot override ${o.override}= parsed (${o.field})`, reference: o.reference, status: o.status });
  }
  if (rule === 'guest-errata') {
    for (const [k, v] of Object.entries(kb.errataSources)) out.push({ where: `errata source ${k}`, what: 'arm64-errata.yaml', reference: v, status: k === 'DERIVED_LATEST' ? 'secondary' : 'verified' });
  }
  return out;
}

export const ruleIdsWithFacts = (): string[] => Object.keys(READS);
