// ID-register fields, what each core reports, and the kernels' exposure and acceptance
// rules, as kb/id-registers.yaml states them. Lookups only: src/solver/id-state.ts
// derives values, src/rules/id-registers.ts compares them.
import type { CpuModel } from '../model.js';
import { kb, type IdAcceptance, type IdBootOverride, type IdCoreEntry, type IdExposure } from './data.js';
import { MODEL_MASK } from './cpus.js';
import { stableVersion } from './kernels.js';
import { compareVersions, releaseOf } from './version.js';

const D = kb.idRegisters;
export type Judge = IdAcceptance['judge'];

/** ID registers, CLIDR_EL1 and CTR_EL0, in encoding order (the order QEMU writes them). */
export const ID_REGISTERS: readonly string[] = Object.keys(D.registers).sort((a, b) => encodingKey(a) - encodingKey(b));
function encodingKey(reg: string): number {
  const [op0, op1, crn, crm, op2] = D.registers[reg]!;
  return (op0! << 14) | (op1! << 11) | (crn! << 7) | (crm! << 3) | op2!;
}
export const isIdRegister = (reg: string) => reg in D.registers;
const DEMUX = 'DEMUX_CCSIDR';
export const isDemux = (reg: string) => reg.startsWith(`${DEMUX}_`);

/** The keys a probe writes a register's value under: its catalogue name or its generic name. */
export function probeKeys(reg: string): string[] {
  const e = D.registers[reg];
  if (!e) return [reg];
  const [op0, op1, crn, crm, op2] = e;
  return [reg, `S${op0}_${op1}_C${crn}_C${crm}_${op2}`];
}

interface FieldDef {
  readonly name: string;
  readonly shift: number;
  readonly signed: boolean;
}

const fieldCache = new Map<string, FieldDef[]>();
/** Every 4-bit field of a register, named where the table names it (else bits[h:l]); DEMUX values are one field. */
export function fieldsOf(reg: string): readonly FieldDef[] {
  let f = fieldCache.get(reg);
  if (f) return f;
  if (isDemux(reg)) f = [{ name: 'value', shift: 0, signed: false }];
  else {
    const named = D.fields[reg] ?? {};
    const byShift = new Map(Object.entries(named).map(([n, s]) => [s, n]));
    f = [];
    for (let s = 0; s < 64; s += 4) {
      const n = byShift.get(s);
      f.push({ name: n ?? `bits[${s + 3}:${s}]`, shift: s, signed: n !== undefined && D.signed.includes(`${reg}.${n}`) });
    }
    // named fields narrower or off the nibble grid (CLIDR_EL1, CTR_EL0) replace the grid
    if (Object.values(named).some((s) => s % 4 !== 0)) f = Object.entries(named).map(([n, s]) => ({ name: n, shift: s, signed: D.signed.includes(`${reg}.${n}`) }));
  }
  fieldCache.set(reg, f);
  return f;
}

/** Width of a field: up to the next named field (CLIDR_EL1, CTR_EL0), else 4 bits; DEMUX: 64. */
const maskCache = new Map<string, bigint>();
export function fieldMask(reg: string, f: FieldDef): bigint {
  if (isDemux(reg)) return (1n << 64n) - 1n;
  const key = `${reg}:${f.shift}`;
  let m = maskCache.get(key);
  if (m !== undefined) return m;
  const next = fieldsOf(reg).filter((x) => x.shift > f.shift).reduce((a, x) => Math.min(a, x.shift), Infinity);
  const width = Math.min(Number.isFinite(next) ? next - f.shift : 4, 4);
  m = ((1n << BigInt(width)) - 1n) << BigInt(f.shift);
  maskCache.set(key, m);
  return m;
}

/** "ID_AA64DFR0_EL1.PMSVer" (field name case-insensitive) -> register and field. */
const refCache = new Map<string, { readonly register: string; readonly field: FieldDef } | undefined>();
export function parseFieldRef(ref: string): { readonly register: string; readonly field: FieldDef } | undefined {
  // the kb and profiles name a few hundred fields, each asked for by every host
  if (refCache.has(ref)) return refCache.get(ref);
  const [reg, name] = ref.split('.');
  let p: { register: string; field: FieldDef } | undefined;
  if (reg && name && isIdRegister(reg)) {
    const field = fieldsOf(reg).find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (field) p = Object.freeze({ register: reg, field });
  }
  refCache.set(ref, p);
  return p;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** The core table entry for a CPU: by its core name (or alias), else by MIDR part (QEMU's -cpu max). */
const coreOf = new WeakMap<CpuModel, IdCoreEntry | null>();
export function idCoreEntry(cpu: CpuModel): IdCoreEntry | undefined {
  // once per CPU object (CPU models are frozen): every host's ID state asks
  let c = coreOf.get(cpu);
  if (c === undefined) coreOf.set(cpu, (c = findCore(cpu) ?? null));
  return c ?? undefined;
}
function findCore(cpu: CpuModel): IdCoreEntry | undefined {
  if (cpu.model) {
    const m = slug(cpu.model);
    const byName = D.cores.find((c) => slug(c.core) === m || c.aliases?.some((a) => slug(a) === m));
    if (byName) return byName;
  }
  const part = (cpu.midr & MODEL_MASK) >>> 0;
  return D.cores.find((c) => c.midrBase !== undefined && (Number(c.midrBase) & MODEL_MASK) >>> 0 === part);
}

/** Whether a since/until entry of the ID-register tables is in force on a version. */
export const applies = (release: string, f: { since?: string; until?: string }) =>
  (!f.since || compareVersions(release, f.since) >= 0) && (!f.until || compareVersions(release, f.until) < 0);

/** Exposure entries in force on a release, in table order. */
const exposureCache = new Map<string, readonly IdExposure[]>();
export function exposuresFor(release: string): readonly IdExposure[] {
  let x = exposureCache.get(release);
  if (!x) exposureCache.set(release, (x = D.exposure.filter((e) => applies(release, e))));
  return x;
}

/** register -> fields an exposure entry touches ('*' = every field of the register). */
const targetCache = new WeakMap<IdExposure, readonly { register: string; field?: FieldDef }[]>();
export function exposureTargets(e: IdExposure): readonly { register: string; field?: FieldDef }[] {
  let t = targetCache.get(e);
  if (!t) targetCache.set(e, (t = exposureTargetsOf(e)));
  return t;
}
function exposureTargetsOf(e: IdExposure): { register: string; field?: FieldDef }[] {
  const out: { register: string; field?: FieldDef }[] = [];
  for (const ref of [...(e.field ? [e.field] : []), ...(e.fields ?? [])]) {
    const p = parseFieldRef(ref);
    if (p) out.push(p);
  }
  for (const r of [...(e.register ? [e.register] : []), ...(e.registers ?? [])]) out.push({ register: r });
  return out;
}

interface Judgement {
  readonly judge: Judge;
  readonly entry: IdAcceptance;
}

const FALLBACK: IdAcceptance = {
  register: '*',
  judge: 'exact',
  status: 'verified',
  reference: 'v4.14 sys_regs.c invariant_sys_regs: the ID registers are the host\'s raw values and cannot be changed',
};

// specificity breaks ties between entries of one release: a field beats its register beats '*'
function matchRank(a: IdAcceptance, reg: string, field: string): number {
  const ref = `${reg}.${field}`;
  if (a.field === ref || a.fields?.includes(ref)) return 3;
  if (a.except?.includes(ref)) return 0;
  const family = isDemux(reg) ? DEMUX : reg;
  if (a.register === family || a.registers?.includes(family)) return 2;
  if (a.register === '*') return 1;
  return 0;
}

// the acceptance entries in force on a release (judgeOf's candidates), once per release
const inForce = new Map<string, readonly IdAcceptance[]>();
const acceptanceOn = (release: string) => {
  let l = inForce.get(release);
  if (!l) inForce.set(release, (l = D.acceptance.filter((a) => applies(release, a))));
  return l;
};

const judgeCache = new Map<string, Judgement>();
/** How the destination release judges a written value of one field. */
export function judgeOf(release: string, reg: string, field: string): Judgement {
  const key = `${release} ${isDemux(reg) ? DEMUX : reg}.${field}`;
  let j = judgeCache.get(key);
  if (j) return j;
  let best: { a: IdAcceptance; since: string; rank: number } | undefined;
  for (const a of acceptanceOn(release)) {
    const rank = matchRank(a, reg, field);
    if (!rank) continue;
    const since = a.since ?? '0';
    if (!best || compareVersions(since, best.since) > 0 || (compareVersions(since, best.since) === 0 && rank > best.rank)) best = { a, since, rank };
  }
  j = { judge: best?.a.judge ?? 'exact', entry: best?.a ?? FALLBACK };
  judgeCache.set(key, j);
  return j;
}

/**
 * The version the exposure, acceptance and boot-option entries are judged on: X.Y.Z of a
 * stable kernel (a fix taken into 6.12.60 holds from there, not for all of 6.12.y), else its
 * mainline X.Y. An entry named by series ("6.12") holds for all of that series' point releases.
 */
const levels = new WeakMap<object, string>();
export function acceptanceLevel(kernel: { readonly release: string; readonly version: string }): string {
  // asked for every state and every pair: once per kernel object (kernel models are frozen)
  let l = levels.get(kernel);
  if (l === undefined) {
    const v = stableVersion(kernel.version);
    levels.set(kernel, (l = v !== undefined && releaseOf(v) === kernel.release ? v : kernel.release));
  }
  return l;
}

const tables = new Map<string, readonly Judgement[]>();
/**
 * judgeOf for every field of a register (fieldsOf order), once per release and register
 * family: each entry in force is matched against the register once, not once per field
 * (test/kb/judge-table.test.ts holds it to judgeOf field by field).
 */
export function judgeTable(release: string, reg: string): readonly Judgement[] {
  const family = isDemux(reg) ? DEMUX : reg;
  const key = `${release} ${family}`;
  let t = tables.get(key);
  if (!t) tables.set(key, (t = judgeTableOf(release, reg, family)));
  return t;
}
function judgeTableOf(release: string, reg: string, family: string): Judgement[] {
  const fields = fieldsOf(reg);
  const at = new Map(fields.map((f, i) => [`${reg}.${f.name}`, i]));
  const best: ({ a: IdAcceptance; since: string; rank: number } | undefined)[] = fields.map(() => undefined);
  const offer = (i: number, a: IdAcceptance, since: string, rank: number) => {
    const b = best[i];
    if (!b || compareVersions(since, b.since) > 0 || (compareVersions(since, b.since) === 0 && rank > b.rank)) best[i] = { a, since, rank };
  };
  for (const a of acceptanceOn(release)) {
    const since = a.since ?? '0';
    // matchRank: a named field 3, else excepted 0, else the register's family 2, else '*' 1
    const named = new Set<number>();
    for (const ref of [...(a.field ? [a.field] : []), ...(a.fields ?? [])]) {
      const i = at.get(ref);
      if (i !== undefined) named.add(i);
    }
    const rest = a.register === family || a.registers?.includes(family) ? 2 : a.register === '*' ? 1 : 0;
    if (!rest) {
      for (const i of [...named].sort((x, y) => x - y)) offer(i, a, since, 3);
      continue;
    }
    const except = new Set((a.except ?? []).map((ref) => at.get(ref)));
    for (let i = 0; i < fields.length; i++) {
      const rank = named.has(i) ? 3 : except.has(i) ? 0 : rest;
      if (rank) offer(i, a, since, rank);
    }
  }
  return best.map((b) => ({ judge: b?.a.judge ?? 'exact', entry: b?.a ?? FALLBACK }));
}

const acceptanceEras = new Map<string, string>();
/** Which acceptance entries hold on a release, as a key: all judgeOf reads of the release. */
export function acceptanceEra(release: string): string {
  let e = acceptanceEras.get(release);
  if (e === undefined) acceptanceEras.set(release, (e = D.acceptance.map((a) => (applies(release, a) ? 1 : 0)).join('')));
  return e;
}

const eraNumbers = new Map<string, number>();
const eraReleases: string[] = [];
/**
 * acceptanceEra as a small number (0, 1, … in order of first use), with a release of that era:
 * judgeOf(eraRelease(n), …) is judgeOf(release, …) for every release of era n.
 */
export function acceptanceEraNumber(release: string): number {
  const e = acceptanceEra(release);
  let n = eraNumbers.get(e);
  if (n === undefined) {
    eraNumbers.set(e, (n = eraReleases.length));
    eraReleases.push(release);
  }
  return n;
}
export const eraRelease = (n: number): string => eraReleases[n]!;

const eras = new Map<string, string>();
/**
 * Which entries of the ID-register tables hold on a kernel release and a QEMU version, as a
 * key: ID-register state is the only place a verdict reads version labels, so two hosts whose
 * other behaviour is equal and whose era is equal get the same verdicts (fleet grouping).
 */
export function idEra(release: string, vmmVersion: string, level = release): string {
  // only the level and the QEMU version are read
  const key = `${level} ${vmmVersion}`;
  let e = eras.get(key);
  if (e === undefined) {
    const bits = (xs: readonly { since?: string; until?: string }[], v: string) => xs.map((x) => (applies(v, x) ? 1 : 0)).join('');
    e = [bits(D.exposure, level), bits(D.acceptance, level), bits(D.bootOptions, level), bits(D.bootOverrideFields, level), bits(D.bootOverrideValues, level), bits(D.vcpuFeatures, vmmVersion)].join('/');
    eras.set(key, e);
  }
  return e;
}

// registers (or register families, or '*') some acceptance entry judges against the host's own value
let hostJudgedNames: ReadonlySet<string> | undefined;
/**
 * Whether some acceptance entry may judge a field of the register against the host's own value
 * (judge 'host'), on any release: as judgeTable matches entries, by field, by the register's
 * family or by '*'. test/kb/judge-table.test.ts holds it to the tables.
 */
export function hostJudged(reg: string): boolean {
  if (!hostJudgedNames) {
    const out = new Set<string>();
    for (const a of D.acceptance) {
      if (a.judge !== 'host') continue;
      for (const ref of [...(a.field ? [a.field] : []), ...(a.fields ?? [])]) out.add(ref.split('.')[0]!);
      for (const r of [...(a.register ? [a.register] : []), ...(a.registers ?? [])]) out.add(r);
    }
    hostJudgedNames = out;
  }
  return hostJudgedNames.has(isDemux(reg) ? DEMUX : reg) || hostJudgedNames.has('*');
}

export const vcpuFeatureFacts = () => D.vcpuFeatures;
export const pauthOfferFacts = () => D.pauthOffer;
export const bootOptionFacts = () => D.bootOptions;
export const bootOverrideFacts = () => D.bootOverrideFields;

/** A boot option as the kernel compares it: '-' and '_' are one character (kb bootOptionSpelling). */
export const bootOptionKey = (option: string): string => (D.bootOptionSpelling.dashIsUnderscore ? option.replace(/-/g, '_') : option);
/** Whether two boot options are the same word to the kernel (kvm_arm.mode=nvhe is kvm-arm.mode=nvhe). */
export const sameBootOption = (a: string, b: string): boolean => a === b || bootOptionKey(a) === bootOptionKey(b);

const OVERRIDE = /^([a-z0-9_]+\.[a-z0-9_]+)=(.*)$/;
const overrideByName = new Map(D.bootOverrideFields.map((o) => [o.override, o]));
// the value syntaxes of kb bootOverrideValues: kstrtou64(v, 0), and one hex digit after an optional 0x
const INTEGER = /^\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;
const HEXDIGIT = /^(?:0[xX])?([0-9a-fA-F])$/;
function readValue(text: string, values: 'integer' | 'hexdigit'): bigint | undefined {
  if (values === 'hexdigit') {
    const h = HEXDIGIT.exec(text);
    return h ? BigInt(`0x${h[1]}`) : undefined;
  }
  const i = INTEGER.exec(text)?.[1];
  if (i === undefined) return undefined;
  return /^0[0-7]+$/.test(i) ? BigInt(`0o${i.slice(1)}`) : BigInt(i);
}
/**
 * An explicit override option (id_aa64pfr0.sve=0) split into its kb entry and value, the value read
 * as `release` reads it (kb bootOverrideValues; without a release, as any release that accepts it
 * does: no value reads differently in two syntaxes); undefined for other options, for overrides no
 * kernel parses and for values the release does not read.
 */
export function overrideOf(option: string, release?: string): { readonly entry: IdBootOverride; readonly value: bigint } | undefined {
  const r = OVERRIDE.exec(bootOptionKey(option));
  const entry = r ? overrideByName.get(r[1]!) : undefined;
  if (!entry) return undefined;
  for (const v of D.bootOverrideValues) {
    if (release !== undefined && !applies(release, v)) continue;
    const value = readValue(r![2]!, v.values);
    if (value !== undefined) return { entry, value };
  }
  return undefined;
}
/** The kb entry of an override option's table and field, whatever its value (for messages). */
export const overrideEntryOf = (option: string): IdBootOverride | undefined => overrideByName.get(OVERRIDE.exec(bootOptionKey(option))?.[1] ?? '');
/** Whether an option has the form of an explicit ID-register override (id_<reg>.<field>=<v>), parsed or not. */
export const looksLikeOverride = (option: string) => /^id_[a-z0-9]+\.[a-z0-9_]+=/i.test(bootOptionKey(option));
export const idCores = () => D.cores;

/** How QEMU sets SVE vector lengths (default / pinned / stream), with references. */
export const sveFacts = () => D.sveVectorLengths ?? [];
