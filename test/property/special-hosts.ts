// Hosts whose inputs the knowledge-base compositions never have, for the property tests that hold
// memoised paths to fresh ones (rule memo, verdict grid, ID states, register list): a memo key
// that left out one of these inputs would pass on compositions alone. Built once (profiles on
// disk through the resolver, as a user's would be).
import type { HostModel } from '../../src/model.js';
import { idState } from '../../src/solver/id-state.js';
import { host, type HostSpec } from '../helpers.js';
import { Resolver } from '../../src/profile/resolve.js';

const resolver = new Resolver();

// what linux-6.6 lists for a default vCPU on Neoverse-N1, as the probe maps KVM_GET_REG_LIST
const SYS_66 = ['MIDR_EL1', 'REVIDR_EL1', 'AIDR_EL1', 'PMU_REGS', 'PMCR_EL0', 'DEMUX_CCSIDR_HOST', 'DEMUX_CCSIDR_REST', 'ID_REG_SPACE', 'ID_AA64ZFR0_EL1', 'DISR_EL1', 'OSLSR_EL1', 'PTIMER_CTL', 'PTIMER_CVAL', 'PTIMER_CNT', 'TCR2_EL1', 'PIRE0_EL1', 'PIR_EL1'];
// registers the catalogue lacks, known only by their KVM ids (SCTLR2_EL1 3,0,1,0,3; 3,0,1,0,4)
const RAW = ['0x603000000013c083', '0x603000000013c084'];
const kvmProbe = { kvm: true, evidence: { 'kernel.systemRegisters': 'KVM_GET_REG_LIST' } };

// two site builds under one name that tolerate different gaps: only the tolerances tell them apart
const site = (tolerances: object[]) => ({ extends: 'qemu-10.2', name: 'QEMU (site build)', tolerances });
const VMMS: (string | Record<string, unknown>)[] = ['qemu-10.2', 'qemu-11.1', site([{ register: RAW[0], kind: 'not-on-both-ends' }]), site([{ register: RAW[1], kind: 'only-src-value', value: 0 }])];
/** register lists stated by hand or probed (probedRegisterList), with and without uncatalogued registers, under VMMs with and without tolerances */
export const listHosts: HostModel[] = [[], [RAW[0]!], RAW, [RAW[1]!]].flatMap((raw) =>
  [true, false].flatMap((probed) =>
    VMMS.map((vmm, i) =>
      host({ name: `list-${raw.length}${raw[1] ?? ''}-${probed ? 'kvm' : 'stated'}-${i}`, vmm, kernel: { version: '6.6.0', systemRegisters: [...SYS_66, ...raw] }, ...(probed ? { probe: kvmProbe } : {}) }),
    ),
  ),
);

const v1: Record<string, unknown> = { model: 'neoverse-v1', revision: 'r1p1' };
const n2: Record<string, unknown> = { model: 'neoverse-n2', revision: 'r0p3' };
// the ID-register inputs: boot options (arm64.nosve/nopauth and the overrides they stand for, nVHE, an override), stated SVE lengths, hand-set fields
const idSpecs: Record<string, unknown>[] = [
  { bootOptions: ['arm64.nosve'] },
  { bootOptions: ['arm64.nopauth'] },
  { bootOptions: ['kvm-arm.mode=nvhe'] },
  { bootOptions: ['id_aa64mmfr1.vh=0', 'arm64.nosve'] },
  { bootOptions: ['kvm-arm.mode=protected'] },
  // the overrides the aliases stand for, whole and in part
  { bootOptions: ['id_aa64pfr0.sve=0'] },
  { bootOptions: ['id_aa64isar1.api=0', 'id_aa64isar1.apa=0'] },
  { bootOptions: ['id_aa64isar1.gpi=0', 'id_aa64isar1.gpa=0', 'id_aa64isar1.api=0', 'id_aa64isar1.apa=0'] },
  { sveVectorLengths: [128] },
  { sveVectorLengths: [128, 256] },
  { idRegisters: { 'ID_AA64PFR0_EL1.MPAM': 0 } },
  { idRegisters: { 'ID_AA64ISAR1_EL1.API': 0, 'ID_AA64ISAR1_EL1.APA': 0 } },
];
const idBase = (kernel: string, cpu: Record<string, unknown>, vmm = 'qemu-9.2') => ({ kernel, cpu, vmm });
const derived = ['linux-6.1', 'linux-6.6', 'linux-6.12'].flatMap((k) =>
  [v1, n2].flatMap((cpu) => idSpecs.map((spec, i) => host({ name: `id-${k}-${cpu.model}-${i}`, ...idBase(k, cpu), ...spec } as HostSpec))),
);

// probed ID values (probe.registerValues) as a probe of each core would read them, with the
// vCPU features the probe's vCPU had: with SVE and PAuth on, and without
const ALL = (1n << 64n) - 1n;
function probedValues(cpu: Record<string, unknown>, kernel: string): Record<string, string> {
  const h = host({ kernel, cpu });
  const out: Record<string, string> = {};
  for (const [reg, v] of idState({ host: h, guest: resolver.guest('default') }).regs) if (v.known === ALL) out[reg] = `0x${v.value.toString(16)}`;
  return out;
}
const FEATURES = [
  ['PSCI_0_2', 'PMU_V3'],
  ['PSCI_0_2', 'PMU_V3', 'SVE', 'PTRAUTH_ADDRESS', 'PTRAUTH_GENERIC'],
];
const probedId = ['linux-6.6', 'linux-6.12'].flatMap((k) =>
  [v1, n2].flatMap((cpu) =>
    FEATURES.flatMap((vcpuFeatures, i) => [
      host({ name: `probed-${k}-${cpu.model}-${i}`, ...idBase(k, cpu), probe: { registerValues: probedValues(cpu, k), vcpuFeatures } }),
      host({ name: `probed-boot-${k}-${cpu.model}-${i}`, ...idBase(k, cpu), bootOptions: ['arm64.nosve'], idRegisters: { 'ID_AA64PFR0_EL1.MPAM': 0 }, probe: { registerValues: probedValues(cpu, k), vcpuFeatures } }),
    ]),
  ),
);
/** hosts with ID-register inputs: boot options, hand-set values, stated SVE lengths, probed values and vCPU features */
export const idInputHosts: HostModel[] = [...derived, ...probedId];

// the point releases where acceptance entries change (MPAM 6.6.67/6.12.6, XS 6.12.2, the AArch32
// registers 6.12.60/6.17.9), and hosts of one core whose own values differ
const pointReleases = ['6.6.66', '6.6.67', '6.12.1', '6.12.2', '6.12.5', '6.12.6', '6.12.59', '6.12.60', '6.17.8', '6.17.9'];
const pointSides: Record<string, unknown>[] = [{ cpu: v1 }, { cpu: v1, idRegisters: { 'ID_AA64PFR0_EL1.MPAM': 0 } }, { cpu: n2 }];
/** hosts on point releases (an acceptance era a release X.Y alone does not reach) */
export const pointHosts: HostModel[] = pointReleases.flatMap((k) => pointSides.map((side, i) => host({ name: `point-${k}-${i}`, kernel: `linux-${k}`, ...side })));
