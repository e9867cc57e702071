// The ID-register values a guest sees on one host (and the VMM writes back on the
// destination): probed values where a probe read them, else the core table passed through
// the kernel's exposure rules for the vCPU features the VMM and Guest turn on. Values are
// partial: `known` marks the bits the data states; rules compare only bits both sides know.
import type { Endpoint, HostModel } from '../model.js';
import { kb } from '../kb/data.js';
import {
  acceptanceLevel,
  applies,
  bootOptionFacts,
  exposureTargets,
  exposuresFor,
  fieldMask,
  fieldsOf,
  ID_REGISTERS,
  idCoreEntry,
  isDemux,
  isIdRegister,
  looksLikeOverride,
  overrideEntryOf,
  overrideOf,
  parseFieldRef,
  pauthOfferFacts,
  probeKeys,
  sameBootOption,
  vcpuFeatureFacts,
} from '../kb/id-registers.js';
import type { IdCoreEntry, IdExposure } from '../kb/data.js';

export interface IdValue {
  readonly value: bigint;
  readonly known: bigint;
}

export interface VcpuFeatures {
  readonly sve: boolean;
  readonly pauth: boolean;
  readonly pmu: boolean;
  readonly mte: boolean;
}

export interface IdState {
  /** register (ID_AA64DFR0_EL1, CLIDR_EL1, DEMUX_CCSIDR_0 …) -> value */
  readonly regs: ReadonlyMap<string, IdValue>;
  readonly vcpu: VcpuFeatures;
  /** the host offers the feature (KVM and the core have it), whether or not the VMM turns it on */
  readonly offered: { readonly sve: boolean; readonly pauth: boolean };
  /** why a vCPU feature is off (for messages): feature -> reason */
  readonly off: Readonly<Record<string, string>>;
  readonly source: 'probe' | 'derived' | 'none';
  readonly core?: IdCoreEntry;
  /** the host's own values before KVM's exposure rules (core table, hand-set values, boot overrides): a judge 'host' field compares with them */
  readonly host: ReadonlyMap<string, IdValue>;
  /** effects of the host's boot options (nvhe, nosve, nopauth, nomte) */
  readonly boot: ReadonlySet<string>;
  /** SVE vector lengths (bits): what the host's KVM offers, and what QEMU sets for this guest (with SVE on) */
  readonly sve?: { readonly host: readonly number[]; readonly vcpu: readonly number[]; readonly pinned: boolean; readonly reference: string };
}

const ALL = (1n << 64n) - 1n;
const hex = (v: string | number) => BigInt(v) & ALL;

// registers the kernel timeline lists only with a CPU feature the vCPU must have (APxxKEY, ZCR_EL1)
const gated = new Map<string, string>();
for (const c of kb.kernel.changes) for (const [reg, cond] of Object.entries(c.condition ?? {})) if (cond.cpuFeature) gated.set(reg, cond.cpuFeature);
/** The vCPU feature a register's listing needs ('sve', 'pauth'), if any. */
export function vcpuGate(reg: string): 'sve' | 'pauth' | undefined {
  const f = gated.get(reg);
  return f === 'SVE' ? 'sve' : f === 'PAUTH' ? 'pauth' : undefined;
}

const PROBE_FEATURE: Record<string, string> = { sve: 'SVE', pauth: 'PTRAUTH_ADDRESS', pmu: 'PMU_V3' };

/** The boot option that has the effect (the alias, or the override it stands for). */
function bootOption(options: readonly string[] | undefined, effect: string, release: string): string {
  return (options ?? []).find((o) => bootOptionFacts().some((b) => sameBootOption(b.option, o) && b.effect === effect && applies(release, b))) ?? `arm64.${effect}`;
}

function bootEffects(options: readonly string[], release: string): Set<string> {
  const out = new Set<string>();
  for (const o of options)
    for (const b of bootOptionFacts())
      if (sameBootOption(b.option, o) && applies(release, b)) out.add(b.effect);
  return out;
}

function coreValues(core: IdCoreEntry | undefined): Map<string, IdValue> {
  const m = new Map<string, IdValue>();
  if (!core) return m;
  for (const [reg, v] of Object.entries(core.registers ?? {})) m.set(reg, { value: hex(v), known: ALL });
  for (const [ref, v] of Object.entries(core.fields ?? {})) setField(m, ref, BigInt(v));
  return m;
}

function setField(m: Map<string, IdValue>, ref: string, v: bigint, lowerOnly = false): void {
  const p = parseFieldRef(ref);
  if (!p) return;
  const mask = fieldMask(p.register, p.field);
  const shift = BigInt(p.field.shift);
  const cur = m.get(p.register) ?? { value: 0n, known: 0n };
  const old = (cur.value & mask) >> shift;
  // cut to the field first, as idreg-override.c does before 6.8 ((v << shift) & mask): sve=16 is 0
  const w = v & (mask >> shift);
  const nv = lowerOnly && cur.known & mask && old < w ? old : w;
  m.set(p.register, { value: (cur.value & ~mask) | ((nv << shift) & mask), known: cur.known | mask });
}

function apply(m: Map<string, IdValue>, e: IdExposure): void {
  for (const t of exposureTargets(e)) {
    const cur = m.get(t.register);
    if (!cur) continue;
    const fields = t.field ? [t.field] : fieldsOf(t.register);
    let { value } = cur;
    for (const f of fields) {
      const mask = fieldMask(t.register, f);
      if (!(cur.known & mask)) continue;
      const shift = BigInt(f.shift);
      const v = (value & mask) >> shift;
      const nv = e.op === 'hide' ? 0n : e.op === 'set' ? BigInt(e.value ?? 0) : v < BigInt(e.value ?? 0) ? v : BigInt(e.value ?? 0);
      value = (value & ~mask) | (nv << shift);
    }
    m.set(t.register, { value, known: cur.known });
  }
}

function holds(e: IdExposure, vcpu: VcpuFeatures, boot: ReadonlySet<string>, core: IdCoreEntry | undefined): boolean {
  const w = e.when;
  if (!w) return true;
  if (w.vcpu) return !vcpu[w.vcpu as keyof VcpuFeatures];
  if (w.boot) return boot.has(w.boot);
  if (w.core) return Boolean(core?.notAffected?.includes(w.core));
  return true;
}

/**
 * Overrides given by boot options such as id_aa64mmfr1.vh=0 (idreg-override.c: they only
 * lower a field), those the release parses: an older kernel does not know a newer table or
 * field and leaves the value alone (kb bootOverrideFields).
 */
function bootOverrides(m: Map<string, IdValue>, options: readonly string[]): void {
  for (const o of options) {
    const p = overrideOf(o);
    if (p) setField(m, p.entry.field, p.value, true);
  }
}

/** The explicit overrides the release parses (in the Host's order). */
function parsedOverrides(options: readonly string[], release: string): string[] {
  return options.filter((o) => {
    const p = overrideOf(o, release);
    return p !== undefined && applies(release, p.entry);
  });
}

/** Options of the override form (id_<reg>.<field>=<v>) the host's kernel ignores: it has no such table or field. */
export function ignoredOverrides(e: Endpoint): string[] {
  const options = e.host.idRegisters?.bootOptions ?? [];
  if (!options.some(looksLikeOverride)) return [];
  const parsed = new Set(parsedOverrides(options, acceptanceLevel(e.host.kernel)));
  return options.filter((o) => looksLikeOverride(o) && !parsed.has(o));
}
/** The release an override entry starts at, for messages (undefined: no kernel parses it). */
export function overrideSince(option: string): string | undefined {
  return overrideEntryOf(option)?.since;
}
/** Whether the host's kernel has the option's table and field but does not read its value (kb bootOverrideValues: 01 from 6.8). */
export function overrideValueUnread(e: Endpoint, option: string): boolean {
  const entry = overrideEntryOf(option);
  const level = acceptanceLevel(e.host.kernel);
  return entry !== undefined && applies(level, entry) && overrideOf(option, level) === undefined;
}

function offered(e: Endpoint, feature: 'sve' | 'pauth', core: IdCoreEntry | undefined, own: Own, boot: ReadonlySet<string>): boolean {
  const { host } = e;
  const base = own.base;
  if (boot.has(`no${feature}`)) return false;
  if (overriddenAway(own, feature, host.idRegisters?.bootOptions)) return false;
  const probed = host.idRegisters?.probedVcpuFeatures;
  if (probed) return probed.includes(PROBE_FEATURE[feature]!);
  // no such vCPU feature before its KVM (KVM_CAP_ARM_SVE and the PTRAUTH caps: 5.2)
  const fact = vcpuFeatureFacts().find((f) => f.feature === feature)!;
  if (!applies(host.kernel.release, { since: fact.kvmSince })) return false;
  // where the host's values state the PAuth fields (the core table's, or set by hand), KVM's own
  // test decides: a CPU feature list saying PAUTH does not outweigh values that lack one kind
  if (feature === 'pauth') {
    const full = fullPtrAuth(base, host.kernel.release);
    if (full !== undefined) return full;
  }
  if (host.cpu.features.includes(fact.cpuFeature)) return true;
  if (!core) return false;
  return offerFields()[feature].some(({ register, mask }) => {
    const v = base.get(register);
    return v !== undefined && (v.value & mask) !== 0n;
  });
}

// KVM offers a PAuth vCPU only with address and generic authentication both (system_has_full_ptr_auth),
// and from 6.10 with one algorithm for both (kvm_has_full_ptr_auth): kb pauthOffer. Each pair is
// (address field, generic field) of one algorithm: QARMA5, IMPLEMENTATION DEFINED, QARMA3
const PAUTH_ALGORITHMS = [
  ['ID_AA64ISAR1_EL1.APA', 'ID_AA64ISAR1_EL1.GPA'],
  ['ID_AA64ISAR1_EL1.API', 'ID_AA64ISAR1_EL1.GPI'],
  ['ID_AA64ISAR2_EL1.APA3', 'ID_AA64ISAR2_EL1.GPA3'],
] as const;
/** a field's value in `values`, undefined where its bits are not all known */
function fieldValue(values: ReadonlyMap<string, IdValue>, ref: string): bigint | undefined {
  const p = parseFieldRef(ref)!;
  const mask = fieldMask(p.register, p.field);
  const v = values.get(p.register);
  return v && (v.known & mask) === mask ? (v.value & mask) >> BigInt(p.field.shift) : undefined;
}
/**
 * Whether KVM of `release` offers PAuth on these values; undefined where they do not say: an
 * ISAR1 field unknown, or ISAR1 without any algorithm and ISAR2 unknown (QARMA3 is ISAR2's, from
 * Armv8.7; a core that shows an ISAR1 algorithm has none there, so unknown ISAR2 fields are 0 then).
 */
export function fullPtrAuth(values: ReadonlyMap<string, IdValue>, release: string): boolean | undefined {
  const isar1 = PAUTH_ALGORITHMS.slice(0, 2).map((pair) => pair.map((ref) => fieldValue(values, ref)));
  if (isar1.some((pair) => pair.some((v) => v === undefined))) return undefined;
  const shown = isar1.some((pair) => pair.some((v) => v !== 0n));
  const isar2 = PAUTH_ALGORITHMS[2].map((ref) => fieldValue(values, ref));
  if (!shown && isar2.some((v) => v === undefined)) return undefined;
  const fields = [...isar1, isar2.map((v) => v ?? 0n)] as [bigint, bigint][];
  const address = fields.some(([a]) => a !== 0n);
  const generic = fields.some(([, g]) => g !== 0n);
  if (!address || !generic) return false;
  const rule = pauthOfferFacts().find((f) => f.rule === 'one-algorithm')!;
  if (!applies(release, rule)) return true;
  // apa == gpa, api == gpi, apa3 == gpa3 (a generic field counts when it is 1, IMP), and one algorithm
  return fields.every(([a, g]) => (a !== 0n) === (g === 1n)) && fields.filter(([a]) => a !== 0n).length === 1;
}

// An explicit override takes a vCPU feature away as its alias does (arm64.nosve stands for
// id_aa64pfr0.sve=0, arm64.nopauth for id_aa64isar1.{gpi,gpa,api,apa}=0 id_aa64isar2.{gpa3,apa3}=0:
// idreg-override.c aliases[]), whatever the value's spelling (0, 0x0): when every field of a group
// is zero in the host's values where the core had one of them. KVM gives a vCPU PAuth only with both
// address and generic authentication (arch/arm64/kvm/arm.c: both KVM_CAP_ARM_PTRAUTH_* are
// system_has_full_ptr_auth(), and QEMU asks for both), so either PAuth group zeroed takes it away.
// own.host holds only the overrides the release parses (kb bootOverrideFields).
const OVERRIDE_GROUPS: Record<'sve' | 'pauth', readonly (readonly string[])[]> = {
  sve: [['ID_AA64PFR0_EL1.SVE']],
  pauth: [
    ['ID_AA64ISAR1_EL1.APA', 'ID_AA64ISAR1_EL1.API', 'ID_AA64ISAR2_EL1.APA3'],
    ['ID_AA64ISAR1_EL1.GPA', 'ID_AA64ISAR1_EL1.GPI', 'ID_AA64ISAR2_EL1.GPA3'],
  ],
};
function overriddenAway(own: Own, feature: 'sve' | 'pauth', options: readonly string[] | undefined): boolean {
  if (!options?.some(looksLikeOverride)) return false;
  const field = (m: ReadonlyMap<string, IdValue>, ref: string) => {
    const p = parseFieldRef(ref)!;
    const v = m.get(p.register);
    return v === undefined ? 0n : v.value & fieldMask(p.register, p.field);
  };
  return OVERRIDE_GROUPS[feature].some((g) => g.some((ref) => field(own.base, ref) !== 0n) && g.every((ref) => field(own.host, ref) === 0n));
}

// the fields whose non-zero value in the host's own values means the core has the feature
let offerMasks: Record<'sve' | 'pauth', readonly { register: string; mask: bigint }[]> | undefined;
function offerFields(): Record<'sve' | 'pauth', readonly { register: string; mask: bigint }[]> {
  const masks = (refs: string[]) =>
    refs.map((ref) => {
      const p = parseFieldRef(ref)!;
      return { register: p.register, mask: fieldMask(p.register, p.field) };
    });
  return (offerMasks ??= {
    sve: masks(['ID_AA64PFR0_EL1.SVE']),
    pauth: masks(['ID_AA64ISAR1_EL1.APA', 'ID_AA64ISAR1_EL1.API', 'ID_AA64ISAR1_EL1.GPA', 'ID_AA64ISAR1_EL1.GPI', 'ID_AA64ISAR2_EL1.APA3', 'ID_AA64ISAR2_EL1.GPA3']),
  });
}

// fleets and the baseline search build many guests that differ only in what no ID register reads
const cache = new WeakMap<object, Map<string, IdState>>();
export function idState(e: Endpoint): IdState {
  const key = JSON.stringify([e.guest.cpu ?? null, e.guest.pmu ?? null]);
  let byGuest = cache.get(e.host);
  if (!byGuest) cache.set(e.host, (byGuest = new Map()));
  let s = byGuest.get(key);
  if (!s) byGuest.set(key, (s = computeIdState(e, true)));
  return s;
}

/** The ID state computed afresh, no values shared (what test/property/id-state-memo.test.ts holds idState to). */
export function idStateFresh(e: Endpoint): IdState {
  return computeIdState(e, false);
}

// hand-set values (Host idRegisters.set): whole registers first, then single fields over them
function applySet(m: Map<string, IdValue>, set: Readonly<Record<string, string | number>> | undefined): void {
  for (const [k, v] of Object.entries(set ?? {})) if (!k.includes('.')) m.set(k, { value: hex(v), known: ALL });
  for (const [k, v] of Object.entries(set ?? {})) if (k.includes('.')) setField(m, k, hex(v));
}

// The host's own values (core table, hand-set values; with boot overrides: `host`), once per
// (core entry, Host idRegisters object): hosts of one profile share them, and the values below
interface Own {
  /** core table and hand-set values, before boot overrides (what `offered` reads) */
  readonly base: ReadonlyMap<string, IdValue>;
  /** the same with the boot options' overrides: IdState.host */
  readonly host: ReadonlyMap<string, IdValue>;
}
const NO_CORE = {};
const NO_INPUTS = {};
// (keyed too by the overrides the release parses: kernels that parse the same ones share them)
const owns = new WeakMap<object, WeakMap<object, Map<string, Own>>>();
function ownValues(core: IdCoreEntry | undefined, inputs: HostModel['idRegisters'], parsed: readonly string[]): Own {
  let byInputs = owns.get(core ?? NO_CORE);
  if (!byInputs) owns.set(core ?? NO_CORE, (byInputs = new WeakMap()));
  let byParsed = byInputs.get(inputs ?? NO_INPUTS);
  if (!byParsed) byInputs.set(inputs ?? NO_INPUTS, (byParsed = new Map()));
  const key = parsed.join(' ');
  let o = byParsed.get(key);
  if (!o) byParsed.set(key, (o = computeOwn(core, inputs, parsed)));
  return o;
}

function computeOwn(core: IdCoreEntry | undefined, inputs: HostModel['idRegisters'], parsed: readonly string[]): Own {
  const base = coreValues(core);
  applySet(base, inputs?.set);
  const host = new Map(base);
  bootOverrides(host, parsed);
  return { base, host };
}

// The guest-visible values read only the host's own values (with its inputs), the release's
// exposure and boot-option entries and the vCPU features: hosts and guests that share them
// share one map (and its IdValue objects), so rules compare and key it once
const regsMemo = new WeakMap<Own, Map<string, ReadonlyMap<string, IdValue>>>();
function guestValues(own: Own, core: IdCoreEntry | undefined, inputs: HostModel['idRegisters'], release: string, boot: ReadonlySet<string>, vcpu: VcpuFeatures): ReadonlyMap<string, IdValue> {
  let byGates = regsMemo.get(own);
  if (!byGates) regsMemo.set(own, (byGates = new Map()));
  // boot reads only the inputs' boot options (in own) and the release
  const key = `${release} ${+vcpu.sve}${+vcpu.pauth}${+vcpu.pmu}${+vcpu.mte}`;
  let m = byGates.get(key);
  if (!m) byGates.set(key, (m = computeValues(own, core, inputs, release, boot, vcpu)));
  return m;
}

function computeValues(own: Own, core: IdCoreEntry | undefined, inputs: HostModel['idRegisters'], release: string, boot: ReadonlySet<string>, vcpu: VcpuFeatures): Map<string, IdValue> {
  const probed = inputs?.probed;
  if (probed) {
    const m = new Map<string, IdValue>();
    for (const reg of ID_REGISTERS) {
      const k = probeKeys(reg).find((x) => x in probed);
      if (k) m.set(reg, { value: hex(probed[k]!), known: ALL });
    }
    for (const [k, v] of Object.entries(probed)) if (isDemux(k)) m.set(k, { value: hex(v), known: ALL });
    // the probe's vCPU had QEMU's features: hide what this endpoint's vCPU lacks
    const had = inputs.probedVcpuFeatures ?? [];
    for (const x of exposuresFor(release))
      if (x.when?.vcpu && had.includes(PROBE_FEATURE[x.when.vcpu] ?? '') && !vcpu[x.when.vcpu as keyof VcpuFeatures]) apply(m, x);
    applySet(m, inputs.set);
    return m;
  }
  // the host's values with their boot overrides, through the kernel's exposure rules
  const m = new Map(own.host);
  for (const x of exposuresFor(release)) if (holds(x, vcpu, boot, core)) apply(m, x);
  for (const k of [...m.keys()]) if (!isIdRegister(k) && !isDemux(k)) m.delete(k);
  return m;
}

// memo false: the host's own and guest-visible values computed here, not the interned ones
function computeIdState(e: Endpoint, memo: boolean): IdState {
  const { host, guest } = e;
  const inputs = host.idRegisters;
  // a stable point release takes the backports its entries name (6.12.2 exposes XS, 6.12.0 does not)
  const release = acceptanceLevel(host.kernel);
  const boot = bootEffects(inputs?.bootOptions ?? [], release);
  const core = idCoreEntry(host.cpu);
  const options = inputs?.bootOptions ?? [];
  const parsed = options.length ? parsedOverrides(options, release) : [];
  const own = memo ? ownValues(core, inputs, parsed) : computeOwn(core, inputs, parsed);

  const off: Record<string, string> = {};
  const offers = { sve: offered(e, 'sve', core, own, boot), pauth: offered(e, 'pauth', core, own, boot) };
  const feature = (f: 'sve' | 'pauth'): boolean => {
    if (guest.cpu?.[f] === false) return !(off[f] = `the Guest sets ${f}: off`);
    if (!offers[f]) return !(off[f] = boot.has(`no${f}`) ? `the host boots with ${bootOption(inputs?.bootOptions, `no${f}`, release)}` : `the host offers no ${f === 'sve' ? 'SVE' : 'PAuth'}`);
    const fact = vcpuFeatureFacts().find((x) => x.feature === f)!;
    if (!applies(host.vmm.version, fact)) return !(off[f] = `${host.vmm.name} does not enable it for -cpu host (from QEMU ${fact.since})`);
    return true;
  };
  const pmu = guest.cpu?.pmu ?? guest.pmu ?? host.vmm.pmuDefault;
  if (!pmu) off.pmu = 'no PMU for the vCPU';
  const vcpu: VcpuFeatures = { sve: feature('sve'), pauth: feature('pauth'), pmu, mte: false };

  const sve = vcpu.sve ? sveLengths(core, inputs?.sveVectorLengths, guest.cpu?.sveVectorLengths) : undefined;
  const regs = memo ? guestValues(own, core, inputs, release, boot, vcpu) : computeValues(own, core, inputs, release, boot, vcpu);
  const source = inputs?.probed ? 'probe' : regs.size ? 'derived' : 'none';
  // every key always present: one object shape (rules read these in every pair)
  return { regs, vcpu, offered: offers, off, source, core, host: own.host, boot, sve };
}

// QEMU with no sve<N> property enables every length KVM offers; with some, exactly those
function sveLengths(core: IdCoreEntry | undefined, stated: readonly number[] | undefined, pin: readonly number[] | undefined): IdState['sve'] {
  const known = stated ? { lengths: stated, reference: "the Host profile's sveVectorLengths" } : core?.sveVectorLengths;
  if (!known) return undefined;
  const host = [...known.lengths].sort((a, b) => a - b);
  const vcpu = pin ? [...pin].sort((a, b) => a - b) : host;
  return { host, vcpu, pinned: Boolean(pin), reference: known.reference };
}
