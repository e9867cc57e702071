// The native helper's JSON (native/kvm-probe.c) -> the facts a Host profile can carry.
// Register ids are decoded with the uapi encodings (src/kb/reg-ids.ts), not trusted names.
import type { WorkaroundName } from '../model.js';
import { kb } from '../kb/data.js';
import { bootOptionKey } from '../kb/id-registers.js';
import { catalogueList, genericName, hexId } from '../kb/reg-ids.js';
import { canonicalRegister, isRawId, registerInfo } from '../kb/registers.js';
import { dottedPath } from '../profile/diagnostics.js';
import { yamlLib } from '../profile/yaml-lib.js';
import { ProbeError } from './tree.js';

interface KvmProbeOutput {
  readonly tool: 'migcheck-kvm-probe';
  readonly format: 1;
  readonly apiVersion: number;
  readonly vcpuFeatures: readonly string[];
  readonly capabilities: Readonly<Record<string, number>>;
  readonly regList: readonly string[];
  readonly values: Readonly<Record<string, string>>;
  // the helper's newer fields (absent from older captures, which stay readable)
  /** `--features` of the helper: which QEMU's `-cpu host` vCPU it initialised (qemu-7.0, ...) */
  readonly featureSet?: string;
  readonly osrelease?: string;
  /** /proc/cmdline, and those of its options that change what KVM exposes */
  readonly cmdline?: string;
  readonly bootOptions?: readonly string[];
  readonly sveVectorLengths?: string;
}

const HEX = /^0x[0-9a-f]{1,16}$/i;

// KVM_REG_ARCH_MASK and KVM_REG_ARM64 (include/uapi/linux/kvm.h): every id an arm64 KVM lists
const ARCH_MASK = 0xff00000000000000n;
const KVM_REG_ARM64 = 0x6000000000000000n;
const MIDR_ID = BigInt(registerInfo('MIDR_EL1')!.id!);

/** Line and column of a JSON value (by key path), found by the YAML parser's positions: only on the error path. */
function jsonAt(text: string, segs: readonly (string | number)[]): { line: number; col: number } {
  const { LineCounter, parseDocument, isNode } = yamlLib();
  const lc = new LineCounter();
  const node = parseDocument(text, { lineCounter: lc, version: '1.2', uniqueKeys: false }).getIn(segs, true);
  return isNode(node) && node.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
}

/**
 * `file`: the captured output's path, where refusals are located (`from` names the output
 * in messages otherwise, e.g. the helper that printed it).
 */
export function parseKvmProbe(text: string, from: string, file?: string): KvmProbeOutput {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new ProbeError(`${from}: not JSON (${(err as Error).message})`);
  }
  const bad = (what: string) => new ProbeError(`${from}: not migcheck-kvm-probe output: ${what}`);
  const refuse = (segs: readonly (string | number)[], what: string) =>
    file ? new ProbeError(what, { file, ...jsonAt(text, segs), path: dottedPath(segs) }) : bad(`${dottedPath(segs)}: ${what}`);
  if (!o || typeof o !== 'object' || o.tool !== 'migcheck-kvm-probe') throw bad("'tool' is not migcheck-kvm-probe");
  if (o.format !== 1) throw bad(`format ${JSON.stringify(o.format)} (this migcheck reads format 1)`);
  if (!Array.isArray(o.regList) || !o.regList.every((r) => typeof r === 'string' && HEX.test(r))) throw bad("'regList' must be a list of hex register ids");
  // KVM_GET_REG_LIST lists each register once, every one an arm64 id
  const seen = new Map<bigint, number>();
  (o.regList as string[]).forEach((r, i) => {
    const id = BigInt(r);
    if ((id & ARCH_MASK) !== KVM_REG_ARM64) throw refuse(['regList', i], `${r} is not an arm64 KVM register id (bits 63:56 must be 0x60, KVM_REG_ARM64)`);
    const first = seen.get(id);
    if (first !== undefined) throw refuse(['regList', i], `register id ${r} is listed twice (also regList[${first}]); KVM_GET_REG_LIST lists each register once`);
    seen.set(id, i);
  });
  const values = (o.values ?? {}) as Record<string, unknown>;
  if (typeof values !== 'object' || !values || Array.isArray(values) || !Object.entries(values).every(([k, v]) => HEX.test(k) && typeof v === 'string' && HEX.test(v))) throw bad("'values' must map hex ids to hex values");
  const caps = (o.capabilities ?? {}) as Record<string, unknown>;
  if (typeof caps !== 'object' || !caps || !Object.values(caps).every((v) => Number.isInteger(v))) throw bad("'capabilities' must map names to integers");
  // MIDR_EL1 bits 63:32 are RES0: refused, not cut to 32 bits
  const midrKey = Object.keys(values).find((k) => BigInt(k) === MIDR_ID);
  if (midrKey && BigInt(values[midrKey] as string) > 0xffffffffn) throw refuse(['values', midrKey], `MIDR_EL1 is 32 bits (bits 63:32 are RES0); ${values[midrKey]} has bits above 31`);
  const features = o.vcpuFeatures ?? [];
  if (!Array.isArray(features) || features.length > 64) throw bad("'vcpuFeatures' must be a list of at most 64 names");
  features.forEach((f, i) => {
    if (typeof f !== 'string' || !/^[A-Z0-9_]{1,64}$/.test(f)) throw refuse(['vcpuFeatures', i], `${JSON.stringify(f).slice(0, 70)} is not a vCPU feature name (KVM_ARM_VCPU_* without the prefix)`);
  });
  // a replay result is not a capture: it describes a migration, not a host
  if (o.mode !== undefined && o.mode !== 'capture') throw bad(`mode ${JSON.stringify(o.mode).slice(0, 40)} is not a capture (run the helper without a mode)`);
  const text1 = (key: string, max: number): string | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length > max) throw refuse([key], `must be a string of at most ${max} characters`);
    return v;
  };
  const cmdline = text1('cmdline', 4096);
  const featureSet = text1('features', 256);
  const osrelease = text1('osrelease', 256);
  const sve = text1('sveVectorLengths', 18);
  if (sve !== undefined && !HEX.test(sve)) throw refuse(['sveVectorLengths'], `${JSON.stringify(sve)} is not a hex bitmap of vector lengths`);
  const boot = o.bootOptions;
  if (boot !== undefined && (!Array.isArray(boot) || boot.length > 256)) throw bad("'bootOptions' must be a list of at most 256 options");
  (boot as unknown[] | undefined)?.forEach((b, i) => {
    // one kernel command-line word: no blanks or controls
    if (typeof b !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(b)) throw refuse(['bootOptions', i], `${JSON.stringify(b).slice(0, 70)} is not a kernel command-line option`);
  });
  return {
    tool: 'migcheck-kvm-probe',
    format: 1,
    apiVersion: Number(o.apiVersion ?? 12),
    ...(featureSet !== undefined ? { featureSet } : {}),
    ...(osrelease !== undefined ? { osrelease } : {}),
    ...(cmdline !== undefined ? { cmdline } : {}),
    ...(boot !== undefined ? { bootOptions: boot as string[] } : {}),
    ...(sve !== undefined ? { sveVectorLengths: sve } : {}),
    vcpuFeatures: features as string[],
    capabilities: caps as Record<string, number>,
    regList: o.regList as string[],
    values: values as Record<string, string>,
  };
}

export interface KvmFacts {
  readonly firmwareRegisters: readonly string[];
  readonly systemRegisters: readonly string[];
  /** registers the catalogue lacks, kept as raw ids */
  readonly uncatalogued: readonly string[];
  readonly psciDefault?: string;
  readonly workaroundLevels: Readonly<Partial<Record<WorkaroundName, number>>>;
  /** bitmap register -> the services its reset value offers (registers that reset to every supported bit) */
  readonly bitmaps: Readonly<Record<string, readonly string[]>>;
  readonly stolenTime?: boolean;
  readonly writableImpIdRegs?: boolean;
  readonly midr?: number;
  readonly revidr?: bigint;
  readonly vcpuFeatures: readonly string[];
  /** KVM_GET_ONE_REG of every migrated register the helper read, in id order: catalogue or generic name (S3_0_C0_C4_0, FW_0, DEMUX_CCSIDR_1) -> value */
  readonly registerValues: Readonly<Record<string, string>>;
  /** KVM-relevant boot options (kvm-arm.mode, arm64.no*, id_* overrides), when the helper reported them */
  readonly bootOptions?: readonly string[];
  /** the SVE vector lengths in bits KVM_REG_ARM64_SVE_VLS reported (bit n: 128 * (n + 1)) */
  readonly sveVectorLengths?: readonly number[];
  readonly featureSet?: string;
}

// a register's key in probe.registerValues: its catalogue name, else its generic name (plain words, one to one)
const valueKey = (id: bigint) => {
  const name = canonicalRegister(hexId(id));
  return name && !isRawId(name) ? name : genericName(id);
};

// The command-line words that change what KVM exposes (the helper's filter, native/kvm-probe.c):
// kvm-arm.* (kvm-arm.mode=nvhe), kvm.*, arm64.* (arm64.nosve), id_* overrides and nokaslr. The
// kernel reads '-' and '_' alike in these names (kernel/params.c; idreg-override.c, kb
// bootOptionSpelling), so kvm_arm.mode=nvhe and id-aa64pfr0.sve=0 are the same options.
const RELEVANT = /^(?:kvm_arm\.|kvm\.|arm64\.|id_|nokaslr$)/;
export const kvmRelevantOption = (word: string): boolean => RELEVANT.test(bootOptionKey(word));

/**
 * The helper's boot options, with the command line's relevant words it left out: a helper
 * before its filter read '-' as '_' dropped kvm_arm.mode=nvhe and id-aa64pfr0.sve=0, and a
 * profile without them models the host wrongly (VHE, SVE on).
 */
function bootOptionsOf(out: KvmProbeOutput): readonly string[] | undefined {
  const words = out.cmdline?.split(/\s+/).filter((w) => w && kvmRelevantOption(w)) ?? [];
  if (!out.bootOptions) return words.length ? words : undefined;
  const missed = words.filter((w) => !out.bootOptions!.includes(w));
  return missed.length ? [...out.bootOptions, ...missed] : out.bootOptions;
}

export function kvmFacts(out: KvmProbeOutput): KvmFacts {
  const bootOptions = bootOptionsOf(out);
  const list = catalogueList(out.regList.map((r) => BigInt(r)));
  const values = new Map(Object.entries(out.values).map(([k, v]) => [BigInt(k), BigInt(v)]));
  const value = (name: string): bigint | undefined => {
    const id = registerInfo(name)?.id;
    return id === undefined ? undefined : values.get(BigInt(id));
  };
  const psci = value('PSCI_VERSION');
  const workaroundLevels: Partial<Record<WorkaroundName, number>> = {};
  for (const wa of ['WORKAROUND_1', 'WORKAROUND_2', 'WORKAROUND_3'] as const) {
    const v = value(`SMCCC_ARCH_${wa}`);
    if (v !== undefined) workaroundLevels[wa] = Number(v);
  }
  // a bitmap reads back every bit the kernel supports, except those that reset to 0
  // (VENDOR_HYP_BMAP_2: "This is reset to 0"), whose support the value cannot tell
  const bitmaps: Record<string, string[]> = {};
  for (const r of kb.registers.filter((x) => x.kind === 'bitmap' && x.reset !== 'none' && list.firmware.includes(x.name))) {
    const v = value(r.name) ?? 0n;
    bitmaps[r.name] = (r.bits ?? []).filter((_b, i) => (v >> BigInt(i)) & 1n);
  }
  const cap = (name: string) => (name in out.capabilities ? out.capabilities[name]! > 0 : undefined);
  const midr = value('MIDR_EL1');
  const revidr = value('REVIDR_EL1');
  return {
    firmwareRegisters: list.firmware,
    systemRegisters: list.system,
    uncatalogued: list.unknown,
    ...(psci !== undefined ? { psciDefault: `${Number(psci >> 16n)}.${Number(psci & 0xffffn)}` } : {}),
    workaroundLevels,
    bitmaps,
    ...(cap('KVM_CAP_STEAL_TIME') !== undefined ? { stolenTime: cap('KVM_CAP_STEAL_TIME') } : {}),
    ...(cap('KVM_CAP_ARM_WRITABLE_IMP_ID_REGS') !== undefined ? { writableImpIdRegs: cap('KVM_CAP_ARM_WRITABLE_IMP_ID_REGS') } : {}),
    ...(midr !== undefined ? { midr: Number(midr) } : {}),
    ...(revidr !== undefined ? { revidr } : {}),
    vcpuFeatures: out.vcpuFeatures,
    registerValues: Object.fromEntries(
      [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, v]) => [valueKey(id), `0x${v.toString(16)}`]),
    ),
    ...(bootOptions ? { bootOptions } : {}),
    ...(out.sveVectorLengths !== undefined ? { sveVectorLengths: vlsLengths(out.sveVectorLengths) } : {}),
    ...(out.featureSet !== undefined ? { featureSet: out.featureSet } : {}),
  };
}


// KVM_REG_ARM64_SVE_VLS: bit n set = vector length of n + 1 quadwords (128 bits each); QEMU handles up to 2048 bits
function vlsLengths(hex: string): number[] {
  const v = BigInt(hex);
  const out: number[] = [];
  for (let n = 0; n < 16; n++) if ((v >> BigInt(n)) & 1n) out.push(128 * (n + 1));
  return out;
}
