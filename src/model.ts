// The resolved, frozen model every rule reads. Profiles (YAML) and the knowledge
// base (kb/*.yaml) both resolve into these shapes; nothing downstream sees YAML.

export type Verdict = 'clean' | 'unsafe' | 'fail';
export type Severity = 'fail' | 'unsafe' | 'info';
export type MitigationState = 'mitigated' | 'unaffected' | 'vulnerable';
export type WorkaroundName = 'WORKAROUND_1' | 'WORKAROUND_2' | 'WORKAROUND_3';
/** which proton-pack.c Spectre-BHB lists a kernel uses (kb/kernel-timeline.yaml bhbScheme) */
export type BhbScheme = 'legacy' | '2025' | '2026';

/** A register KVM_GET_REG_LIST reports, listed only when its condition holds. */
export interface RegisterEntry {
  readonly name: string;
  readonly condition?: { readonly vcpuFeature?: string; readonly cpuFeature?: string };
}

export interface PsciModel {
  readonly versions: readonly string[];
  readonly default: string;
  readonly pinnable: boolean;
  /** how a pin is applied: by writing PSCI_VERSION (carried) or by a vCPU feature (not carried) */
  readonly pinVia: 'register' | 'vcpu-feature' | 'none';
}

export interface KernelModel {
  readonly name: string;
  readonly version: string;
  /** mainline X.Y the version derives from */
  readonly release: string;
  readonly registers: readonly RegisterEntry[];
  readonly psci: PsciModel;
  readonly wa2Scheme: 'none' | 'legacy' | 'v5.10';
  /** hypercall services the kernel implements (exposed by default unless a bitmap resets to 0) */
  readonly services: readonly string[];
  readonly stolenTime: { readonly supported: boolean; readonly revisions: readonly number[] };
  /** sanitised ID registers accept a safe subset of writable fields (6.7+) */
  readonly writableIdRegs: boolean;
  readonly writableImpIdRegs: boolean;
  readonly targetImplCpus: boolean;
  /** Spectre-BHB classification of CPUs on no list: unaffected (legacy) or assumed affected (2025; 2026 adds TSV110 to the loop lists) */
  readonly bhbScheme: BhbScheme;
  /** stable backports applied because of a full version (change ids) */
  readonly backports: readonly string[];
  /** what the model assumes because the name does not say it (a distribution release read as mainline X.Y.0) */
  readonly assumption?: string;
  /** field -> where its value came from (timeline entry reference or the profile file) */
  readonly sources: Readonly<Record<string, string>>;
  /** the register list was read with KVM_GET_REG_LIST on the host, so it is complete (raw ids comparable) */
  readonly probedRegisterList?: boolean;
}

export interface Tolerance {
  readonly register: string;
  readonly kind: 'not-on-both-ends' | 'only-src-value';
  readonly value?: number;
}

export interface VmmModel {
  readonly name: string;
  readonly version: string;
  readonly tolerances: readonly Tolerance[];
  readonly stealTime: {
    readonly supported: boolean;
    readonly default: 'auto' | 'on' | 'off';
  };
  readonly machineTypes: MachineTypes;
  /** what -M virt,mte=on / virtualization=on do with KVM: refuse to start, or start with a migration blocker */
  readonly kvmOptions: { readonly mte: KvmOptionSupport; readonly virtualization: KvmOptionSupport };
  readonly canSet: {
    readonly psciVersion: boolean;
    readonly hypercallBitmaps: boolean;
    readonly impIdRegs: boolean;
    readonly targetCpus: boolean;
  };
  readonly pmuDefault: boolean;
  /** QEMU's message when KVM_SET_ONE_REG refuses a register on load; {op} {value} {current} are filled in */
  readonly setRegisterError: string;
  readonly sources: Readonly<Record<string, string>>;
}

type KvmOptionSupport = 'cannot-start' | 'blocks-migration';

/** The versioned machine types a QEMU build registers (upstream virt-X.Y, or a distribution's own). */
export interface MachineTypes {
  /** the type `-M virt` resolves to, and the one a guest defined on this QEMU gets */
  readonly newest: string;
  /** every registered type, oldest first */
  readonly registered: readonly string[];
  /** registered but deprecated (QEMU warns, the guest still starts and migrates in) */
  readonly deprecated: readonly string[];
}

/** -M virt options that change what migrates (only those migcheck models). */
interface MachineOptions {
  readonly mte?: boolean;
  readonly virtualization?: boolean;
  readonly gicVersion?: string;
}

/** What one physical CPU (or a target implementation) identifies as. */
export interface CpuIdentity {
  readonly midr: number;
  readonly revidr: bigint;
  readonly aidr: bigint;
}

/** A Spectre classification and the list or feature it came from. */
export interface SpectreState {
  readonly state: MitigationState;
  readonly why: string;
}

export interface SpectreClass {
  readonly v2: SpectreState;
  readonly v4: SpectreState;
  /** BHB depends on the kernel: see KernelModel.bhbScheme */
  readonly bhb: { readonly [S in BhbScheme]: SpectreState };
  readonly ssbs: boolean;
}

export interface CpuModel extends CpuIdentity {
  /** shipped core name (Neoverse-N1), if the MIDR matches one */
  readonly model?: string;
  /** rXpY from the MIDR */
  readonly revision: string;
  readonly features: readonly string[];
  readonly spectre: SpectreClass;
  /** explicit errata override; undefined = derive from MIDR/REVIDR */
  readonly errata?: readonly string[];
  /** the revision was not given: which one the model assumes, and why */
  readonly assumption?: string;
}

/** A field read on the host (by `migcheck probe`) that differs from what its versions imply. */
export interface ProbedOverride {
  /** profile path: kernel.firmwareRegisters, mitigations.WORKAROUND_1, ... */
  readonly field: string;
  readonly derived: string;
  readonly probed: string;
  /** where it was read (file, ioctl) */
  readonly evidence: string;
}

export interface HostModel {
  readonly name: string;
  readonly description?: string;
  readonly file?: string;
  readonly kernel: KernelModel;
  readonly vmm: VmmModel;
  /** the CPU KVM reports for MIDR_EL1/REVIDR_EL1 (on big.LITTLE: the one that initialised KVM) */
  readonly cpu: CpuModel;
  /** heterogeneous hosts: the other distinct implementations a vCPU may run on */
  readonly otherCpus: readonly CpuModel[];
  readonly mitigations: Readonly<Partial<Record<WorkaroundName, MitigationState>>>;
  /** fields a probe read that differ from the version-derived ones */
  readonly probed: readonly ProbedOverride[];
  /** what decides the guest-visible ID-register values besides kernel and CPU (absent: nothing) */
  readonly idRegisters?: IdInputs;
}

/** A Host's inputs to its ID-register values: probed values win, then hand-set ones, then the core table. */
export interface IdInputs {
  /** probe.registerValues (KVM_GET_ONE_REG on the host), by catalogue or generic name */
  readonly probed?: Readonly<Record<string, string>>;
  /** the vCPU features the probe's vCPU had (probe.vcpuFeatures) */
  readonly probedVcpuFeatures?: readonly string[];
  /** kernel command-line options that change what KVM exposes (kvm-arm.mode, arm64.no*, id_*) */
  readonly bootOptions: readonly string[];
  /** the Host profile's `idRegisters`: REGISTER or REGISTER.Field -> value (cache geometry, core differences) */
  readonly set: Readonly<Record<string, string>>;
  /** the Host's `sveVectorLengths`: the SVE lengths (bits) its KVM offers */
  readonly sveVectorLengths?: readonly number[];
}

/** vCPU features a Guest asks the VMM to turn off (QEMU -cpu host,pauth=off,sve=off,pmu=off). */
export interface GuestCpu {
  readonly pauth?: boolean;
  readonly sve?: boolean;
  /** SVE vector lengths in bits (QEMU sve<N>=on) */
  readonly sveVectorLengths?: readonly number[];
  readonly pmu?: boolean;
}

export interface GuestModel {
  readonly name: string;
  readonly description?: string;
  readonly file?: string;
  readonly psciVersion?: string;
  readonly hypercallBitmaps?: Readonly<Record<string, readonly string[]>>;
  readonly stolenTime: boolean | 'auto';
  readonly targetCpus?: readonly CpuIdentity[];
  /** release X.Y of the kernel inside the guest, when known */
  readonly guestKernel?: string;
  readonly pmu?: boolean;
  /** `virt-X.Y`, a distribution's type, or `virt` (the alias on both command lines); unset: the source QEMU's newest */
  readonly machineType?: string;
  readonly cpu?: GuestCpu;
  readonly machineOptions?: MachineOptions;
}

/** Hosts of one kind in a fleet: how many there are and what they are upgraded to. */
export interface FleetEntry {
  readonly host: HostModel;
  /** hosts of this kind: the number of `nodes` when they are named */
  readonly count: number;
  /** the machines' names as the scheduler knows them (Kubernetes nodes, OpenStack resource providers), when the fleet lists them */
  readonly nodes?: readonly string[];
  readonly upgradeTo?: HostModel;
}

export interface FleetModel {
  readonly name: string;
  readonly description?: string;
  readonly file?: string;
  readonly hosts: readonly FleetEntry[];
  /** guest configurations that run on the fleet ("default" = host defaults) */
  readonly guests: readonly GuestModel[];
}

/** One side of a migration: a host running the guest with a configuration. */
export interface Endpoint {
  readonly host: HostModel;
  readonly guest: GuestModel;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  /** the register, capability, erratum or field involved */
  readonly subject: string;
  readonly message: string;
  /** a short phrase for table notes */
  readonly note: string;
  readonly reference: string;
  /** which side the fact belongs to, for locating it in the profiles */
  readonly side?: 'source' | 'destination' | 'guest';
}

export interface Assessment {
  readonly verdict: Verdict;
  readonly source: string;
  readonly destination: string;
  readonly guest: string;
  readonly findings: readonly Finding[];
}
