// Everything a probe read -> a Host profile document, with `probe.evidence` saying where
// each field came from. Pure: the command does the reading and the writing.
import hostSchema from '../../schemas/host.schema.json' with { type: 'json' };
import type { HostModel, KernelModel, MitigationState, WorkaroundName } from '../model.js';
import { coreForMidr, hex32, hex64 } from '../kb/cpus.js';
import { kernelReleases, mainlineKernel } from '../kb/kernels.js';
import { vmmReleases } from '../kb/vmms.js';
import { compareVersions, releaseOf } from '../kb/version.js';
import { coreFeatures, spectreClass } from '../kb/spectre.js';
import { kb } from '../kb/data.js';
import { bootOptionFacts, sameBootOption } from '../kb/id-registers.js';
import { workaroundLevel } from '../kb/mitigations.js';
import { cpuLabel, cpuRange, type ProbedCpu } from './cpus.js';
import type { KernelRelease } from './kernel-release.js';
import type { KvmFacts } from './kvm-output.js';
import type { ProbedQemu } from './qemu.js';
import { ProbeError } from './tree.js';
import type { ProbedMitigation } from './vulnerabilities.js';
import type { ProbedStolenTime } from './stolen-time.js';

export interface ProbeFacts {
  readonly name: string;
  readonly kernel: KernelRelease;
  readonly cpus: readonly ProbedCpu[];
  readonly vmm: ProbedQemu | { readonly profile: string };
  readonly mitigations: Partial<Record<WorkaroundName, ProbedMitigation>>;
  readonly stolenTime?: ProbedStolenTime;
  readonly kvm?: { readonly facts: KvmFacts; readonly from: string };
}

interface ProbedHost {
  readonly doc: Record<string, unknown>;
  /** notes for stderr: what the probe could not see or had to assume */
  readonly notes: readonly string[];
}

const WAS = ['WORKAROUND_1', 'WORKAROUND_2', 'WORKAROUND_3'] as const;

/**
 * The version-derived kernel a probed release is compared with; a release past the knowledge
 * base is modelled as its newest (with a note), one before it cannot be modelled.
 */
export function probedBase(version: string): { base: KernelModel; extendsName?: string; note?: string } {
  const base = mainlineKernel(version);
  if (base) return { base };
  const newest = kernelReleases.at(-1)!;
  if (compareVersions(releaseOf(version), newest) > 0)
    return {
      base: mainlineKernel(newest)!,
      extendsName: `linux-${newest}`,
      note: `kernel ${version} is newer than the knowledge base (linux-${kernelReleases[0]} … linux-${newest}): modelled as linux-${newest} plus what was probed; use --kvm to read its registers`,
    };
  throw new ProbeError(`kernel ${version} is older than the knowledge base (linux-${kernelReleases[0]} … linux-${newest}); migcheck cannot model it`);
}

function vmmSection(vmm: ProbeFacts['vmm'], notes: string[], evidence: Record<string, string>): unknown {
  if ('profile' in vmm) return vmm.profile;
  const newest = vmmReleases.at(-1)!;
  let release = vmm.release;
  if (!vmmReleases.includes(release)) {
    if (compareVersions(release, newest) > 0) {
      notes.push(`QEMU ${vmm.version} is newer than the knowledge base (qemu-${vmmReleases[0]} … qemu-${newest}): modelled as qemu-${newest}`);
      release = newest;
    } else throw new ProbeError(`QEMU ${vmm.version} is not in the knowledge base (qemu-${vmmReleases[0]} … qemu-${newest}); give --vmm NAME or write vmm: by hand`);
  }
  evidence['vmm.version'] = vmm.evidence;
  return { extends: `qemu-${release}`, name: `QEMU ${vmm.version}${vmm.package ? ` (${vmm.package})` : ''}`, version: vmm.version };
}

/** The mitigation state whose SMCCC level (as KVM computes it for this host) is the probed level. */
function stateForLevel(wa: WorkaroundName, level: number, host: Pick<HostModel, 'kernel' | 'cpu' | 'otherCpus'>, preferred?: MitigationState): MitigationState | undefined {
  const levelOf = (state: MitigationState) => workaroundLevel({ ...host, mitigations: { [wa]: state } } as HostModel, wa);
  const order: MitigationState[] = [...(preferred ? [preferred] : []), 'unaffected', 'mitigated', 'vulnerable'];
  return order.find((s) => levelOf(s) === level);
}

export function probedHost(p: ProbeFacts): ProbedHost {
  const notes: string[] = [];
  const evidence: Record<string, string> = {};
  const { base, extendsName, note } = probedBase(p.kernel.version);
  if (note) notes.push(note);
  const kvm = p.kvm?.facts;

  // the CPU KVM reports for MIDR_EL1 (it initialised on it) is `cpu`; others follow in CPU order
  const bootIndex = kvm?.midr !== undefined ? Math.max(0, p.cpus.findIndex((c) => c.midr === kvm.midr && (kvm.revidr === undefined || c.revidr === kvm.revidr))) : 0;
  const ordered = [p.cpus[bootIndex]!, ...p.cpus.filter((_c, i) => i !== bootIndex)];
  const cpuDoc = (c: ProbedCpu) => ({ midr: hex32(c.midr), revidr: hex64(c.revidr) });
  evidence.cpu = `/sys/devices/system/cpu/${cpuRange(ordered[0]!.cpus)}/regs/identification (${cpuLabel(ordered[0]!)})${kvm?.midr !== undefined ? `; KVM_GET_ONE_REG MIDR_EL1 = ${hex32(kvm.midr)}` : ''}`;
  if (ordered.length > 1) evidence.otherCpus = ordered.slice(1).map((c) => `${cpuRange(c.cpus)}: ${cpuLabel(c)}`).join('; ');

  const kernel: Record<string, unknown> = { ...(extendsName ? { extends: extendsName } : {}), version: p.kernel.version, name: p.kernel.name };
  evidence['kernel.version'] = p.kernel.evidence;
  if (kvm) {
    const via = `KVM_GET_REG_LIST (${p.kvm!.from})`;
    kernel.firmwareRegisters = kvm.firmwareRegisters;
    kernel.systemRegisters = kvm.systemRegisters;
    evidence['kernel.firmwareRegisters'] = via;
    evidence['kernel.systemRegisters'] = `${via}, vCPU features ${kvm.vcpuFeatures.join(', ') || 'none'}`;
    evidence['probe.registerValues'] = `KVM_GET_ONE_REG (${p.kvm!.from})`;
    if (kvm.sveVectorLengths?.length) evidence.sveVectorLengths = `KVM_GET_ONE_REG KVM_REG_ARM64_SVE_VLS (${p.kvm!.from})`;
    if (kvm.bootOptions) evidence['probe.bootOptions'] = `/proc/cmdline (${p.kvm!.from})`;
    // options kb/id-registers.yaml models (kvm-arm.mode=nvhe: VH 0) need no warning; the rest do
    const unmodelled = (kvm.bootOptions ?? []).filter((b) => !bootOptionFacts().some((f) => sameBootOption(f.option, b)));
    if (unmodelled.length)
      notes.push(`the host booted with ${unmodelled.join(' ')}: such options change what KVM exposes (kvm-arm.mode, arm64.no*, ID-register overrides) and the version tables do not model them; compare it with other probed hosts`);
    if (kvm.uncatalogued.length) notes.push(`KVM lists ${kvm.uncatalogued.length} register(s) the knowledge base does not catalogue (${kvm.uncatalogued.join(', ')}): kept as raw ids, compared with other probed hosts`);
    if (kvm.psciDefault) {
      if (!hostSchema.definitions.psciVersion.enum.includes(kvm.psciDefault)) notes.push(`PSCI_VERSION reads ${kvm.psciDefault}, which migcheck does not know; the version's default is kept`);
      else {
        kernel.psci = { versions: [...new Set([...base.psci.versions, kvm.psciDefault])].sort(compareVersions), default: kvm.psciDefault };
        evidence['kernel.psci'] = `KVM_GET_ONE_REG PSCI_VERSION (${p.kvm!.from})`;
      }
    }
    if (Object.keys(kvm.bitmaps).length) {
      // registers the value cannot describe (reset to 0) keep the version's services
      const bitmaps: Record<string, readonly string[]> = { ...kvm.bitmaps };
      for (const r of kb.registers.filter((x) => x.kind === 'bitmap' && x.reset === 'none' && kvm.firmwareRegisters.includes(x.name)))
        bitmaps[r.name] = (r.bits ?? []).filter((b) => base.services.includes(b));
      kernel.hypercallBitmaps = bitmaps;
      evidence['kernel.hypercallBitmaps'] = `KVM_GET_ONE_REG of the bitmap registers at reset (${p.kvm!.from})`;
    }
    if (kvm.stolenTime !== undefined) {
      kernel.stolenTime = { supported: kvm.stolenTime };
      evidence['kernel.stolenTime'] = `KVM_CHECK_EXTENSION KVM_CAP_STEAL_TIME = ${kvm.stolenTime ? 1 : 0}`;
    }
    if (kvm.writableImpIdRegs !== undefined) {
      kernel.writableImpIdRegs = kvm.writableImpIdRegs;
      evidence['kernel.writableImpIdRegs'] = `KVM_CHECK_EXTENSION KVM_CAP_ARM_WRITABLE_IMP_ID_REGS = ${kvm.writableImpIdRegs ? 1 : 0}`;
    }
  } else {
    notes.push('without --kvm the register lists, PSCI default and hypercall bitmaps come from the version tables; distribution backports are not seen');
    if (p.stolenTime && base.stolenTime.supported && !p.stolenTime.supported) kernel.stolenTime = { supported: false };
    if (p.stolenTime) evidence['kernel.stolenTime'] = p.stolenTime.evidence;
    else if (base.stolenTime.supported) notes.push('no kernel config visible (/boot/config-*, /proc/config.gz): PV stolen time prerequisites (CONFIG_SCHED_INFO) not checked');
  }

  // mitigations: the firmware registers' levels where read, else sysfs
  const asCpu = (c: ProbedCpu) => ({ spectre: spectreClass(coreForMidr(c.midr), coreFeatures(coreForMidr(c.midr)).features) }) as HostModel['cpu'];
  const mitigations: Partial<Record<WorkaroundName, MitigationState>> = {};
  for (const wa of WAS) {
    const sys = p.mitigations[wa];
    const level = kvm?.workaroundLevels[wa];
    const fromLevel = level !== undefined ? stateForLevel(wa, level, { kernel: base, cpu: asCpu(ordered[0]!), otherCpus: ordered.slice(1).map(asCpu) }, sys?.state) : undefined;
    if (fromLevel) {
      mitigations[wa] = fromLevel;
      evidence[`mitigations.${wa}`] = `KVM_GET_ONE_REG SMCCC_ARCH_${wa} = ${level}${sys ? `; ${sys.evidence}` : ''}`;
    } else if (sys) {
      mitigations[wa] = sys.state;
      evidence[`mitigations.${wa}`] = sys.evidence;
    }
  }

  const cpuNames = ordered.map(cpuLabel).join(' + ');
  const vmm = vmmSection(p.vmm, notes, evidence);
  const doc: Record<string, unknown> = {
    apiVersion: 'migcheck/v1',
    kind: 'Host',
    name: p.name,
    description: `Probed: ${cpuNames}; kernel ${p.kernel.name}; ${'profile' in p.vmm ? `VMM ${p.vmm.profile}` : `QEMU ${p.vmm.version}`}.`,
    kernel,
    vmm,
    cpu: cpuDoc(ordered[0]!),
    ...(ordered.length > 1 ? { otherCpus: ordered.slice(1).map(cpuDoc) } : {}),
    ...(Object.keys(mitigations).length ? { mitigations } : {}),
    ...(kvm?.sveVectorLengths?.length ? { sveVectorLengths: kvm.sveVectorLengths } : {}),
    probe: {
      tool: 'migcheck probe',
      kvm: Boolean(kvm),
      evidence: Object.fromEntries(Object.entries(evidence).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      // what the next checks of values read: the vCPU, the boot options and every migrated register's value
      ...(kvm ? { vcpuFeatures: kvm.vcpuFeatures } : {}),
      ...(kvm?.bootOptions ? { bootOptions: kvm.bootOptions } : {}),
      ...(kvm && Object.keys(kvm.registerValues).length ? { registerValues: kvm.registerValues } : {}),
    },
  };
  return { doc, notes };
}
