// The knowledge base as compiled by scripts/build.mjs from kb/*.yaml.
import raw from '../generated/kb.json' with { type: 'json' };

export interface RegisterInfo {
  readonly name: string;
  readonly kind: 'firmware' | 'bitmap' | 'sysreg' | 'timer' | 'group';
  readonly id?: string;
  readonly encoding?: readonly number[];
  readonly qemuName?: string;
  readonly bits?: readonly string[];
  readonly reset?: 'none' | 'all';
  readonly count?: number;
  readonly description?: string;
}

export interface TimelineChange {
  readonly release: string;
  /** referenced by `backports` */
  readonly id?: string;
  readonly checked?: string;
  readonly what: string;
  readonly reference: string;
  readonly status: FactStatus;
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
  readonly condition?: Readonly<Record<string, { vcpuFeature?: string; cpuFeature?: string }>>;
  readonly addServices?: readonly string[];
  readonly psci?: { addVersions?: string[]; default?: string; pinnable?: boolean; pinVia?: string };
  readonly set?: Readonly<Record<string, unknown>>;
  readonly addTolerances?: readonly { register: string; kind: string; value?: number }[];
}

type FactStatus = 'verified' | 'inferred' | 'recalled';

interface Backport {
  readonly change: string;
  readonly series: string;
  readonly since: string;
  readonly reference: string;
  readonly status: FactStatus;
}

export interface Timeline {
  /** the date the timeline was last brought up to (kernel timeline) */
  readonly updated?: string;
  readonly releases: readonly string[];
  readonly baseline: Readonly<Record<string, unknown>> & { release: string; reference: string };
  readonly changes: readonly TimelineChange[];
  readonly backports?: readonly Backport[];
}

/** kb/vmm-timeline.yaml machineTypes: the upstream virt-X.Y types per QEMU release, and what a type pins. */
interface MachineTypeData {
  readonly alias: string;
  readonly aliasReference: string;
  readonly aliasStatus: FactStatus;
  readonly types: readonly string[];
  readonly policy: string;
  readonly policyStatus: FactStatus;
  readonly releases: readonly { readonly release: string; readonly oldest: string; readonly deprecatedUpTo?: string; readonly status: FactStatus; readonly reference: string }[];
  readonly settings: readonly {
    readonly setting: string;
    readonly upTo: string;
    readonly pins?: { readonly stealTime?: 'off' };
    readonly what: string;
    readonly reference: string;
    readonly status: FactStatus;
  }[];
}

export interface CoreInfo {
  readonly name: string;
  readonly implementer: string;
  readonly partnum: string;
  readonly midrBase: string;
  readonly aliases?: readonly string[];
}

interface ErratumRange {
  readonly core: string;
  readonly from: string;
  readonly to: string;
  readonly revidrFixAt?: string;
  readonly revidrFixBits?: string;
  readonly erratumId?: string;
}

export interface ErratumInfo {
  readonly id: string;
  readonly vendor?: string;
  readonly capability?: string;
  readonly kconfig?: string | null;
  readonly affects: readonly ErratumRange[];
  readonly guestWorkaround: boolean;
  readonly workaround?: string;
  readonly source?: string;
  readonly verified?: boolean;
}

interface CpuProperties {
  readonly core: string;
  readonly features: readonly string[];
  readonly status: FactStatus;
  readonly reference: string;
}

export interface Product {
  readonly name: string;
  readonly core: string;
  /** the revision the product ships (absent: unknown, r0p0 is assumed) */
  readonly revision?: string;
  readonly midr?: string;
  readonly status: FactStatus;
  readonly reference: string;
}

/** arm64-errata.yaml `spectre:` (proton-pack.c lists) */
interface SpectreLists {
  readonly v2: { readonly safeList: readonly string[]; readonly source: string };
  readonly v4: { readonly safeList: readonly string[]; readonly source: string };
  readonly bhb: {
    readonly safeList: readonly string[];
    readonly loopK: Readonly<Record<string, readonly string[]>>;
    /** cores put on a loop list after the 2025 rework (bhbScheme '2026') */
    readonly loopKAdded2026: Readonly<Record<string, readonly string[]>>;
    readonly loopKAdded2026Source: string;
    readonly source: string;
    readonly preJan2025: {
      readonly firmwareMitigatedList: readonly string[];
      readonly loopK: Readonly<Record<string, readonly string[]>>;
      readonly source: string;
    };
  };
}

interface KbData {
  readonly registers: readonly RegisterInfo[];
  readonly kernel: Timeline;
  readonly vmm: Timeline & { readonly machineTypes: MachineTypeData };
  readonly cpuProperties: { readonly cores: readonly CpuProperties[]; readonly products: readonly Product[] };
  readonly cores: readonly CoreInfo[];
  readonly spectre: SpectreLists;
  readonly errata: readonly ErratumInfo[];
  readonly errataSources: Readonly<Record<string, string>>;
  readonly idRegisters: IdRegisterData;
}

/** kb/id-registers.yaml */
interface IdRegisterData {
  readonly registers: Readonly<Record<string, readonly number[]>>;
  readonly fields: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly signed: readonly string[];
  readonly cores: readonly IdCoreEntry[];
  readonly exposure: readonly IdExposure[];
  readonly acceptance: readonly IdAcceptance[];
  /** since: the QEMU release that turns the feature on for -cpu host; kvmSince: the kernel whose KVM first offers it */
  readonly vcpuFeatures: readonly { feature: string; cpuFeature: string; since: string; kvmSince: string; status: FactStatus; reference: string }[];
  readonly bootOptions: readonly { option: string; effect: string; since?: string; until?: string; status: FactStatus; reference: string }[];
  /** the explicit overrides (`id_aa64pfr0.sve`) idreg-override.c parses, each from its release */
  readonly bootOverrideFields: readonly IdBootOverride[];
  /** whether a boot option's '-' and '_' are one character (they are, in every release) */
  readonly bootOptionSpelling: { readonly dashIsUnderscore: boolean; readonly status: FactStatus; readonly reference: string };
  /** how the value after '=' is read, by release: a C integer, or from 6.8 one hex digit */
  readonly bootOverrideValues: readonly { readonly values: 'integer' | 'hexdigit'; readonly since?: string; readonly until?: string; readonly status: FactStatus; readonly reference: string }[];
  /** when KVM offers a PAuth vCPU, by release: both kinds of authentication, and from 6.10 one algorithm for both */
  readonly pauthOffer: readonly { readonly rule: 'address-and-generic' | 'one-algorithm'; readonly since: string; readonly status: FactStatus; readonly reference: string }[];
  /** how QEMU sets SVE vector lengths (default, pinned, stream), each with its reference */
  readonly sveVectorLengths: readonly { fact: string; status: FactStatus; reference: string }[];
}

export interface IdBootOverride {
  /** `<table>.<field>` as the command line spells it: id_aa64pfr0.sve */
  readonly override: string;
  /** the field it sets: ID_AA64PFR0_EL1.SVE */
  readonly field: string;
  readonly since: string;
  readonly until?: string;
  readonly status: FactStatus;
  readonly reference: string;
}

export interface IdCoreEntry {
  readonly core: string;
  readonly midrBase?: string;
  readonly aliases?: readonly string[];
  readonly reference: string;
  readonly status: FactStatus;
  readonly registers?: Readonly<Record<string, string>>;
  readonly fields?: Readonly<Record<string, number>>;
  readonly notAffected?: readonly string[];
  /** fixture prefix of the lab's captures of this core (test/fixtures/kvm/<prefix>-<kernel>/) */
  readonly labCaptures?: string;
  /** SVE vector lengths in bits the core implements */
  readonly sveVectorLengths?: { readonly lengths: readonly number[]; readonly status: FactStatus; readonly reference: string };
}

interface IdFact {
  readonly since?: string;
  readonly until?: string;
  readonly status: FactStatus;
  readonly reference: string;
  readonly field?: string;
  readonly fields?: readonly string[];
  readonly register?: string;
  readonly registers?: readonly string[];
}

export interface IdExposure extends IdFact {
  readonly op: 'cap' | 'set' | 'hide';
  readonly value?: number;
  readonly when?: { readonly vcpu?: string; readonly boot?: string; readonly core?: string };
}

export interface IdAcceptance extends IdFact {
  readonly judge: 'exact' | 'lower' | 'accept' | 'host' | 'geometry';
  readonly except?: readonly string[];
}

export const kb = raw as unknown as KbData;
