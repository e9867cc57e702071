// Resolve the kernel, VMM and CPU parts of a Host (names or objects) into models.
import type { CpuIdentity, CpuModel, KernelModel, RegisterEntry, VmmModel } from '../model.js';
import { KERNEL_VERSION, mainlineKernel, kernelReleases } from '../kb/kernels.js';
import { qemuRelease, vmmReleases } from '../kb/vmms.js';
import { canonicalRegister, isFirmwareRegister, registerNames, bitmapOf } from '../kb/registers.js';
import { MODEL_MASK, coreForMidr, coreNames, findCore, findProduct, hex32, midrOf, parseRevision, productNames, revisionOf } from '../kb/cpus.js';
import { coreFeatures, spectreClass } from '../kb/spectre.js';
import { compareVersions, patchOf, releaseOf } from '../kb/version.js';
import { clip, hint, type Diagnostic } from './diagnostics.js';

export type At = (segs: readonly (string | number)[], message: string, preferKey?: boolean) => Diagnostic;
type Obj = Record<string, unknown>;
export type Problems = Diagnostic[];

/**
 * The hint for an unknown `prefix`X.Y… name: a version is answered with the shipped release
 * nearest by version (the newest not newer than it, else the oldest), which edit distance is
 * not (qemu-9.2.0 is closer to "qemu-9.0" than to "qemu-9.2" by characters); other names by spelling.
 */
function versionHint(name: string, prefix: string, releases: readonly string[]): string {
  const m = new RegExp(`^${prefix}(\\d+)\\.(\\d+)(?![\\d])`).exec(name);
  if (!m) return hint(name, releases.map((r) => `${prefix}${r}`));
  const asked = `${Number(m[1])}.${Number(m[2])}`;
  const nearest = [...releases].reverse().find((r) => compareVersions(r, asked) <= 0) ?? releases[0];
  return nearest === undefined ? '' : ` (did you mean '${prefix}${nearest}'?)`;
}

/** The hint for any unknown profile name: linux-X.Y… and qemu-X.Y… by version, the rest by spelling. */
export function profileNameHint(name: string, candidates: readonly string[]): string {
  if (/^linux-\d/.test(name)) return versionHint(name, 'linux-', kernelReleases);
  if (/^qemu-\d/.test(name)) return versionHint(name, 'qemu-', vmmReleases);
  return hint(name, candidates);
}

/** The shipped range, as the messages quote it. */
const kernelRange = () => `${kernelReleases[0]} … ${kernelReleases.at(-1)}`;

/**
 * Why a kernel name resolves to nothing, and what to do: a release past the knowledge base is
 * probed or named by its closest release; one before it cannot be modelled; a release in
 * between that never existed is answered with the nearest by version, not by spelling.
 */
function unknownKernelMessage(name: string): string {
  const version = name.replace(/^linux-/, '');
  const head = `unknown kernel profile '${clip(name)}'`;
  if (!KERNEL_VERSION.test(version)) {
    const joined = name.trim().replace(/\s+/g, '-');
    const spaced = joined !== name && KERNEL_VERSION.test(joined.replace(/^linux-/, '')) ? ` (names have no spaces: did you mean '${clip(joined)}'?)` : versionHint(name, 'linux-', kernelReleases);
    return `${head}: expected linux-X.Y (linux-6.6), a stable version (linux-6.1.192) or a distribution release (6.1.0-13-arm64, 5.15.0-91-generic, 5.14.0-427.el9.aarch64)${spaced}`;
  }
  const release = releaseOf(version);
  const suggestion = versionHint(`linux-${version}`, 'linux-', kernelReleases);
  if (compareVersions(release, kernelReleases.at(-1)!) > 0) return `${head}: newer than the knowledge base (${kernelRange()}); probe the host with --kvm, or name the closest release${suggestion}`;
  if (compareVersions(release, kernelReleases[0]!) < 0) return `${head}: older than the knowledge base (${kernelRange()}), which cannot model it${suggestion}`;
  return `${head}: shipped are linux-${kernelReleases[0]} … linux-${kernelReleases.at(-1)} (a stable version such as linux-5.4.190 takes its series' backports)${suggestion}`;
}

/** A kernel named as a user types it: linux-X.Y, linux-X.Y.Z, X.Y, or a distribution release (`6.1.0-13-arm64`). */
export function kernelByName(name: string, at: At, segs: (string | number)[], problems: Problems): KernelModel | undefined {
  const base = mainlineKernel(name.replace(/^linux-/, ''));
  if (!base) problems.push(at(segs, unknownKernelMessage(name)));
  return base;
}

function registerList(list: unknown[], at: At, segs: (string | number)[], problems: Problems): string[] {
  const out: string[] = [];
  list.forEach((r, i) => {
    const name = canonicalRegister(String(r));
    if (name) out.push(name);
    else problems.push(at([...segs, i], `unknown register '${r}'${hint(String(r), registerNames())}`));
  });
  return out;
}

/**
 * What makes `extends` and `version` of one kernel object contradict each other: another
 * release (unless the version is past the knowledge base, modelled as an older release as
 * probe writes it), or an extended stable version whose patch level the version does not have.
 */
function kernelConflict(ext: string, version: string): string | undefined {
  const [re, rv] = [releaseOf(ext), releaseOf(version)];
  if (re !== rv) {
    if (!kernelReleases.includes(rv) && compareVersions(rv, re) > 0) return undefined;
    return `version ${version} is a ${rv} kernel, but kernel.extends is linux-${ext} (${re}): it would be modelled as ${re} and labelled ${version}; make them the same release`;
  }
  if (!/^\d+\.\d+\.\d+/.test(ext) || patchOf(ext) === patchOf(version)) return undefined;
  return `version ${version} is upstream ${rv}.${patchOf(version)}, but kernel.extends is linux-${ext} (${re} with the stable backports up to .${patchOf(ext)}): they name different stable kernels; extend linux-${re} to refine the release, or make the patch levels agree`;
}

/** The version-derived kernel a kernel object refines: `version` picks the stable backports, `extends` (if given) the mainline base. */
export function kernelBase(o: Obj, at: At, problems: Problems): KernelModel | undefined {
  const ext = o.extends === undefined ? undefined : String(o.extends).replace(/^linux-/, '');
  const upstream = o.upstream === undefined ? undefined : String(o.upstream);
  const named = o.version === undefined ? undefined : String(o.version);
  // a distribution release says what it is called; `upstream` which stable kernel it is
  if (upstream !== undefined && named !== undefined && releaseOf(upstream) !== releaseOf(named)) {
    problems.push(at(['kernel', 'upstream'], `upstream ${upstream} is a ${releaseOf(upstream)} kernel, but kernel.version ${named} is ${releaseOf(named)}; upstream is the stable version of the same series the release is based on`));
    return undefined;
  }
  const version = upstream ?? named;
  if (ext !== undefined && version !== undefined) {
    const conflict = kernelConflict(ext, version);
    if (conflict) {
      problems.push(at(['kernel', 'version'], conflict));
      return undefined;
    }
  }
  const sameSeries = version !== undefined && (ext === undefined || releaseOf(ext) === releaseOf(version));
  const baseName = sameSeries ? `linux-${version}` : ext === undefined ? undefined : `linux-${ext}`;
  if (!baseName) {
    problems.push(at(['kernel'], "a kernel object needs 'extends: linux-X.Y' or 'version'"));
    return undefined;
  }
  return kernelByName(baseName, at, ['kernel', ext !== undefined ? 'extends' : upstream !== undefined ? 'upstream' : 'version'], problems);
}

export function kernelObject(o: Obj, file: string, at: At, problems: Problems, evidence: Readonly<Record<string, string>> = {}): KernelModel | undefined {
  const base = kernelBase(o, at, problems);
  if (!base) return undefined;
  const sources: Record<string, string> = { ...base.sources };
  const mark = (field: string) => (sources[field] = evidence[`kernel.${field}`] ? `probed: ${evidence[`kernel.${field}`]} (${file})` : `${file}: kernel.${field}`);
  let registers: RegisterEntry[] = [...base.registers];
  if (o.firmwareRegisters) {
    const fw = registerList(o.firmwareRegisters as unknown[], at, ['kernel', 'firmwareRegisters'], problems);
    registers = [...registers.filter((r) => !isFirmwareRegister(r.name)), ...fw.map((name) => ({ name }))];
    mark('firmwareRegisters');
    for (const name of fw) sources[`registers.${name}`] = sources.firmwareRegisters!;
  }
  if (o.systemRegisters) {
    const sys = registerList(o.systemRegisters as unknown[], at, ['kernel', 'systemRegisters'], problems);
    // a listed register keeps the condition the timeline gives it (PMU registers need PMU_V3)
    registers = [...registers.filter((r) => isFirmwareRegister(r.name)), ...sys.map((name) => base.registers.find((r) => r.name === name) ?? { name })];
    mark('systemRegisters');
    for (const name of sys) sources[`registers.${name}`] = sources.systemRegisters!;
  }
  let services = base.services;
  if (o.hypercallBitmaps) {
    const bitmaps = o.hypercallBitmaps as Record<string, string[]>;
    // the listed bits are what the kernel supports; services outside every bitmap are kept
    services = [...base.services.filter((s) => !bitmapOf(s)), ...Object.values(bitmaps).flat()];
    mark('hypercallBitmaps');
  }
  const psciIn = (o.psci ?? {}) as Partial<KernelModel['psci']>;
  const psci = { ...base.psci, ...psciIn };
  if (o.psci) mark('psci');
  if (!psci.versions.includes(psci.default)) {
    problems.push(at(['kernel', 'psci', 'default'], `default PSCI ${psci.default} is not among the implemented versions ${psci.versions.join(', ')}`));
  }
  if (psciIn.pinnable && !psciIn.pinVia && psci.pinVia === 'none') psci.pinVia = registers.some((r) => r.name === 'PSCI_VERSION') ? 'register' : 'vcpu-feature';
  for (const f of ['upstream', 'stolenTime', 'wa2Scheme', 'writableIdRegs', 'writableImpIdRegs', 'targetImplCpus', 'bhbScheme'] as const) if (o[f] !== undefined) mark(f);
  const version = (o.version as string | undefined) ?? base.version;
  return {
    ...base,
    name: (o.name as string | undefined) ?? (o.version ? `linux-${version}` : `${base.name} (modified)`),
    version,
    registers,
    psci,
    services,
    stolenTime: { ...base.stolenTime, ...((o.stolenTime as object | undefined) ?? {}) },
    wa2Scheme: (o.wa2Scheme as KernelModel['wa2Scheme'] | undefined) ?? base.wa2Scheme,
    writableIdRegs: (o.writableIdRegs as boolean | undefined) ?? base.writableIdRegs,
    writableImpIdRegs: (o.writableImpIdRegs as boolean | undefined) ?? base.writableImpIdRegs,
    bhbScheme: (o.bhbScheme as KernelModel['bhbScheme'] | undefined) ?? base.bhbScheme,
    targetImplCpus: (o.targetImplCpus as boolean | undefined) ?? base.targetImplCpus,
    sources,
  };
}

/**
 * qemu-X.Y, or a stable point release qemu-X.Y.Z: QEMU's stable releases carry fixes only and
 * keep X.Y's migration format and guest ABI, so it is modelled as X.Y (X.Y.50 and later are
 * development snapshots of the next release, not stable releases).
 */
export function vmmByName(name: string, at: At, segs: (string | number)[], problems: Problems): VmmModel | undefined {
  const m = /^qemu-(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?$/.exec(name);
  const v = m ? qemuRelease(`${Number(m[1])}.${Number(m[2])}`) : undefined;
  if (v && m![3] === undefined) return v;
  if (v && Number(m![3]) < 50) return { ...v, name, version: `${v.version}.${Number(m![3])}` };
  problems.push(at(segs, unknownVmmMessage(name, m, v !== undefined)));
  return undefined;
}

function unknownVmmMessage(name: string, m: RegExpExecArray | null, known: boolean): string {
  const head = `unknown VMM profile '${clip(name)}': shipped are qemu-${vmmReleases[0]} … qemu-${vmmReleases.at(-1)}`;
  const suggestion = versionHint(name, 'qemu-', vmmReleases);
  if (!m) {
    const joined = name.trim().replace(/\s+/g, '-');
    if (joined !== name && /^qemu-\d+\.\d+(\.\d+)?$/.test(joined)) return `${head} (names have no spaces: did you mean '${clip(joined)}'?)`;
    return `${head}; a VMM is named qemu-X.Y or by a point release qemu-X.Y.Z${suggestion}`;
  }
  const release = `${Number(m[1])}.${Number(m[2])}`;
  if (known) return `${head} (qemu-X.Y.50 and later are development snapshots of the next release)${suggestion}`;
  if (compareVersions(release, vmmReleases.at(-1)!) > 0) return `${head}; it is newer than the knowledge base: name the closest release, or describe it as a VMM object that extends it${suggestion}`;
  if (compareVersions(release, vmmReleases[0]!) < 0) return `${head}; it is older than the knowledge base, which cannot model it${suggestion}`;
  return `${head}${suggestion}`;
}

export function vmmObject(o: Obj, file: string, at: At, problems: Problems): VmmModel | undefined {
  const base = o.extends ? vmmByName(String(o.extends), at, ['vmm', 'extends'], problems) : qemuRelease(vmmReleases[0]!);
  if (!base) return undefined;
  const sources: Record<string, string> = { ...base.sources };
  for (const f of ['tolerances', 'stealTime', 'canSet', 'machineTypes'] as const) if (o[f] !== undefined) sources[f] = `${file}: vmm.${f}`;
  const tolerances = ((o.tolerances as Obj[] | undefined) ?? []).flatMap((t, i) => {
    const register = canonicalRegister(String(t.register));
    if (!register) problems.push(at(['vmm', 'tolerances', i, 'register'], `unknown register '${t.register}'${hint(String(t.register), registerNames())}`));
    return register ? [{ ...(t as object), register } as VmmModel['tolerances'][number]] : [];
  });
  return {
    ...base,
    name: (o.name as string | undefined) ?? (o.extends ? `${base.name} (modified)` : 'custom VMM'),
    version: (o.version as string | undefined) ?? base.version,
    tolerances: o.tolerances ? tolerances : base.tolerances,
    stealTime: { ...base.stealTime, ...((o.stealTime as object | undefined) ?? {}) },
    canSet: { ...base.canSet, ...((o.canSet as object | undefined) ?? {}) },
    machineTypes: o.machineTypes ? ownMachineTypes(o.machineTypes as Obj, at, problems) : base.machineTypes,
    sources,
  };
}

/** A distribution QEMU's own list (RHEL ships only virt-rhelX.Y.0): it replaces the upstream one. */
function ownMachineTypes(o: Obj, at: At, problems: Problems): VmmModel['machineTypes'] {
  const registered = (o.registered as string[]).map(String);
  const newest = o.newest ? String(o.newest) : registered.at(-1)!;
  const deprecated = ((o.deprecated as string[] | undefined) ?? []).map(String);
  if (!registered.includes(newest)) problems.push(at(['vmm', 'machineTypes', 'newest'], `'${newest}' is not one of the registered machine types`));
  deprecated.forEach((t, i) => registered.includes(t) || problems.push(at(['vmm', 'machineTypes', 'deprecated', i], `'${t}' is not one of the registered machine types`)));
  return { newest, registered, deprecated };
}

/** A 32-bit MIDR from its hex string (the schema allows no more; a reader that did would truncate). */
function midrValue(raw: unknown, at: At, segs: (string | number)[], problems: Problems): number | undefined {
  const v = BigInt(String(raw));
  if (v <= 0xffffffffn) return Number(v);
  problems.push(at(segs, `MIDR_EL1 is 32 bits; '${raw}' has bits above 31`));
  return undefined;
}

const partName = (midr: number) => {
  const core = coreForMidr(midr);
  return core ? `${core.name} ${revisionOf(midr)}` : `part ${hex32((midr & MODEL_MASK) >>> 0)} (not in the knowledge base)`;
};

/**
 * A CPU identity from {model, revision} or {midr}; used for hosts and guest target CPUs.
 * Given together, model and revision must describe the midr, not silently yield to it.
 */
export function cpuIdentity(o: Obj, at: At, segs: (string | number)[], problems: Problems): CpuIdentity | undefined {
  let midr: number | undefined;
  if (o.midr !== undefined) {
    midr = midrValue(o.midr, at, [...segs, 'midr'], problems);
    if (midr === undefined) return undefined;
  }
  if (o.model !== undefined) {
    const core = findCore(String(o.model));
    if (!core) {
      problems.push(at([...segs, 'model'], `unknown CPU model '${o.model}'${hint(String(o.model), [...coreNames(), ...productNames()])}`));
      return undefined;
    }
    if (midr === undefined) midr = midrOf(core, String(o.revision ?? defaultRevision(String(o.model))));
    else if (((midr & MODEL_MASK) >>> 0) !== Number(core.midrBase)) {
      problems.push(at([...segs, 'midr'], `midr ${o.midr} is ${partName(midr)}, but model '${o.model}' is ${core.name}; give one of them, or make them agree`));
      return undefined;
    }
  } else if (midr === undefined) {
    problems.push(at(segs, "a CPU needs 'model' (with 'revision') or 'midr'"));
    return undefined;
  }
  const vr = o.revision === undefined ? undefined : parseRevision(String(o.revision));
  if (midr === undefined || (o.revision !== undefined && vr === undefined)) {
    problems.push(at([...segs, 'revision'], `revision '${o.revision}' is out of range (r0p0 … r15p15)`));
    return undefined;
  }
  if (o.midr !== undefined && vr !== undefined && vr !== parseRevision(revisionOf(midr))) {
    problems.push(at([...segs, 'revision'], `revision ${o.revision} contradicts midr ${o.midr} (${partName(midr)}); give one of them, or make them agree`));
    return undefined;
  }
  return { midr, revidr: BigInt(String(o.revidr ?? '0x0')), aidr: BigInt(String(o.aidr ?? '0x0')) };
}

/** The revision a model name stands for without one: a product's shipped revision, else r0p0. */
const defaultRevision = (model: string) => findProduct(model)?.revision ?? 'r0p0';

/**
 * What a CPU named without a revision (or MIDR) is assumed to be: errata ranges and MIDR
 * equality depend on the revision, so the verdict says which one it used.
 */
function cpuAssumption(o: Obj): string | undefined {
  if (o.model === undefined || o.midr !== undefined || o.revision !== undefined) return undefined;
  const model = String(o.model);
  const core = findCore(model);
  if (!core) return undefined;
  const product = findProduct(model);
  if (product?.revision)
    return `${model} read as ${core.name} ${product.revision} (MIDR ${product.midr}), the revision it ships (${product.status}: ${product.reference}); give ${model}:rXpY or a midr for another stepping, or probe the host`;
  return `${model} names no revision: read as ${core.name} r0p0${product ? ' (no shipped revision is known for it)' : ''}; give ${model}:rXpY or a midr, or probe the host (errata and MIDR equality depend on it)`;
}

/**
 * CPU models made from a plain name (`neoverse-n1:r3p1`, `{ model, revision }`), by that name:
 * a model depends on nothing else, and a fleet's 200 host profiles name a handful of CPUs (each
 * model's features, Spectre class and assumption worked out once). Frozen, as every host is.
 */
const plainCpus = new Map<string, CpuModel>();
const MAX_PLAIN_CPUS = 4096;

/** the key of a CPU given only by model (and revision) strings, else undefined */
function plainCpuKey(input: unknown): string | undefined {
  if (typeof input === 'string') return `s\0${input}`;
  if (!input || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const o = input as Obj;
  for (const k in o) if (k !== 'model' && k !== 'revision') return undefined;
  if (typeof o.model !== 'string' || (o.revision !== undefined && typeof o.revision !== 'string')) return undefined;
  // JSON, not joined: no model or revision string can make another pair's key
  return JSON.stringify(o.revision === undefined ? [o.model] : [o.model, o.revision]);
}

/** frozen through (a model's parts are plain objects and arrays) */
function frozen<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const k in o) if (Object.hasOwn(o, k)) frozen((o as Record<string, unknown>)[k]);
  }
  return o;
}

export function cpuModel(input: unknown, at: At, problems: Problems, segs: (string | number)[] = ['cpu']): CpuModel | undefined {
  const key = plainCpuKey(input);
  const known = key === undefined ? undefined : plainCpus.get(key);
  if (known) return known;
  const before = problems.length;
  const made = makeCpuModel(input, at, problems, segs);
  if (made && key !== undefined && problems.length === before && plainCpus.size < MAX_PLAIN_CPUS) plainCpus.set(key, frozen(made));
  return made;
}

function makeCpuModel(input: unknown, at: At, problems: Problems, segs: (string | number)[]): CpuModel | undefined {
  const o: Obj = typeof input === 'string' ? (([model, revision]) => ({ model, revision }))(input.split(':')) : (input as Obj);
  const id = cpuIdentity(o, at, segs, problems);
  if (!id) return undefined;
  const core = coreForMidr(id.midr);
  const features = [...new Set([...coreFeatures(core).features, ...((o.features as string[] | undefined) ?? [])])];
  return {
    ...id,
    ...(core ? { model: core.name } : {}),
    revision: revisionOf(id.midr),
    features,
    spectre: spectreClass(core, features),
    ...(o.errata ? { errata: o.errata as string[] } : {}),
    ...(cpuAssumption(o) ? { assumption: cpuAssumption(o)! } : {}),
  };
}
