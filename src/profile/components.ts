// Resolve the kernel, VMM and CPU parts of a Host (names or objects) into models.
import type { CpuIdentity, CpuModel, KernelModel, RegisterEntry, VmmModel } from '../model.js';
import { mainlineKernel, kernelReleases } from '../kb/kernels.js';
import { qemuRelease, vmmReleases } from '../kb/vmms.js';
import { canonicalRegister, isFirmwareRegister, registerNames, bitmapOf } from '../kb/registers.js';
import { coreForMidr, coreNames, findCore, midrOf, productNames, revisionOf } from '../kb/cpus.js';
import { coreFeatures, spectreClass } from '../kb/spectre.js';
import { releaseOf } from '../kb/version.js';
import { hint, type Diagnostic } from './diagnostics.js';

type At = (segs: readonly (string | number)[], message: string, preferKey?: boolean) => Diagnostic;
type Obj = Record<string, unknown>;
export type Problems = Diagnostic[];

const kernelNames = () => kernelReleases.map((r) => `linux-${r}`);

export function kernelByName(name: string, at: At, segs: (string | number)[], problems: Problems): KernelModel | undefined {
  const base = mainlineKernel(name.replace(/^linux-/, ''));
  if (!base) {
    problems.push(at(segs, `unknown kernel profile '${name}': shipped are linux-${kernelReleases[0]} … linux-${kernelReleases.at(-1)} (a stable version such as linux-5.4.190 takes its series' backports)${hint(name, kernelNames())}`));
    return undefined;
  }
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

/** The version-derived kernel a kernel object refines: `version` picks the stable backports, `extends` (if given) the mainline base. */
export function kernelBase(o: Obj, at: At, problems: Problems): KernelModel | undefined {
  const ext = o.extends === undefined ? undefined : String(o.extends);
  const sameSeries = o.version !== undefined && (!ext || releaseOf(ext.replace(/^linux-/, '')) === releaseOf(String(o.version)));
  const baseName = sameSeries ? `linux-${o.version}` : ext;
  if (!baseName) {
    problems.push(at(['kernel'], "a kernel object needs 'extends: linux-X.Y' or 'version'"));
    return undefined;
  }
  return kernelByName(baseName, at, ['kernel', o.extends ? 'extends' : 'version'], problems);
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
  for (const f of ['stolenTime', 'wa2Scheme', 'writableIdRegs', 'writableImpIdRegs', 'targetImplCpus', 'bhbScheme'] as const) if (o[f] !== undefined) mark(f);
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

export function vmmByName(name: string, at: At, segs: (string | number)[], problems: Problems): VmmModel | undefined {
  const v = /^qemu-(\d+\.\d+)$/.exec(name) ? qemuRelease(name.slice(5)) : undefined;
  if (!v) problems.push(at(segs, `unknown VMM profile '${name}': shipped are qemu-${vmmReleases[0]} … qemu-${vmmReleases.at(-1)}${hint(name, vmmReleases.map((r) => `qemu-${r}`))}`));
  return v;
}

export function vmmObject(o: Obj, file: string, at: At, problems: Problems): VmmModel | undefined {
  const base = o.extends ? vmmByName(String(o.extends), at, ['vmm', 'extends'], problems) : qemuRelease(vmmReleases[0]!);
  if (!base) return undefined;
  const sources: Record<string, string> = { ...base.sources };
  for (const f of ['tolerances', 'stealTime', 'canSet'] as const) if (o[f] !== undefined) sources[f] = `${file}: vmm.${f}`;
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
    sources,
  };
}

/** A CPU identity from {model, revision} or {midr}; used for hosts and guest target CPUs. */
export function cpuIdentity(o: Obj, at: At, segs: (string | number)[], problems: Problems): CpuIdentity | undefined {
  let midr: number | undefined;
  if (o.midr !== undefined) midr = Number(BigInt(String(o.midr)) & 0xffffffffn);
  else if (o.model !== undefined) {
    const core = findCore(String(o.model));
    if (!core) {
      problems.push(at([...segs, 'model'], `unknown CPU model '${o.model}'${hint(String(o.model), [...coreNames(), ...productNames()])}`));
      return undefined;
    }
    midr = midrOf(core, String(o.revision ?? 'r0p0'));
    if (midr === undefined) {
      problems.push(at([...segs, 'revision'], `revision '${o.revision}' is out of range (r0p0 … r15p15)`));
      return undefined;
    }
  } else {
    problems.push(at(segs, "a CPU needs 'model' (with 'revision') or 'midr'"));
    return undefined;
  }
  return { midr, revidr: BigInt(String(o.revidr ?? '0x0')), aidr: BigInt(String(o.aidr ?? '0x0')) };
}

export function cpuModel(input: unknown, at: At, problems: Problems, segs: (string | number)[] = ['cpu']): CpuModel | undefined {
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
  };
}
