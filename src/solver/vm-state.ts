// What a VM looks like on one host: the registers KVM lists for it, the values the
// VMM would read from them, and the guest-visible state that no register carries.
// Rules compare two of these. Memoised per (host, guest) so fleets reuse them.
import type { Endpoint, HostModel, WorkaroundName } from '../model.js';
import { registerInfo, registerOrder } from '../kb/registers.js';
import { workaroundLevel } from '../kb/mitigations.js';
import { psciState } from './psci-state.js';
import { hypercallState } from './hypercall-state.js';
import { stolenTimeState } from './stolen-time-state.js';
import { targetState, type TargetState } from './target-state.js';
import { idState, vcpuGate, type IdState } from './id-state.js';
import { baseGuestOf, machineState, type MachineState } from './machine-state.js';

export interface ConfigProblem {
  readonly subject: string;
  readonly message: string;
}

export interface VmState {
  readonly endpoint: Endpoint;
  /** registers KVM_GET_REG_LIST reports for this VM (conditions applied) */
  readonly listed: ReadonlySet<string>;
  /** the same registers in the order QEMU sends them (sorted once: fleets compare each state many times) */
  readonly listedInOrder: readonly string[];
  /** values of the firmware registers, as KVM_GET_ONE_REG would return them */
  readonly values: ReadonlyMap<string, number>;
  /** PSCI version the guest sees, and whether the guest config's pin could be applied */
  readonly psci: { readonly version: string; readonly problem?: ConfigProblem };
  /** hypercall services the guest can discover */
  readonly services: ReadonlySet<string>;
  /** selected bits per bitmap register (for listed bitmaps) */
  readonly bitmaps: ReadonlyMap<string, readonly string[]>;
  readonly bitmapProblems: readonly ConfigProblem[];
  /** enabled: the guest can use it; region: QEMU created the "pvtime" RAM block (migrated like RAM) */
  readonly stolenTime: { readonly enabled: boolean; readonly region: boolean; readonly why: string; readonly problem?: ConfigProblem };
  readonly workarounds: ReadonlyMap<WorkaroundName, number>;
  readonly targets: TargetState;
  /** ID-register values (probed or derived) and the vCPU features the VMM turns on */
  readonly id: IdState;
  readonly machine: MachineState;
  /** for a guest whose machine type was filled in from the source: the state of the guest as given (all but machine and stolenTime are its) */
  readonly base?: VmState;
}

const cache = new WeakMap<object, WeakMap<object, VmState>>();

export function vmState(e: Endpoint): VmState {
  let byGuest = cache.get(e.host);
  if (!byGuest) cache.set(e.host, (byGuest = new WeakMap()));
  let s = byGuest.get(e.guest);
  if (!s) byGuest.set(e.guest, (s = compute(e)));
  return s;
}

export const psciCode = (v: string) => {
  const [maj, min] = v.split('.').map(Number);
  return (maj! << 16) | min!;
};

// What KVM lists reads only the kernel's registers, the vCPU features and the CPU's features:
// hosts that share them share one list (a fleet has a few kernels, and rule keys made from a
// list are made once per list object)
type Listed = Pick<VmState, 'listed' | 'listedInOrder'>;
const listedCache = new WeakMap<object, Map<string, Listed>>();
function listedOf(registers: HostModel['kernel']['registers'], vcpu: IdState['vcpu'], features: readonly string[]): Listed {
  let byGates = listedCache.get(registers);
  if (!byGates) listedCache.set(registers, (byGates = new Map()));
  const key = `${+vcpu.sve}${+vcpu.pauth}${+vcpu.pmu} ${features.join('\0')}`;
  let l = byGates.get(key);
  if (!l) {
    const listed = new Set(
      registers
        .filter((r) => {
          // ZCR_EL1 and the APxxKEY registers follow the vCPU features (also on a probed list)
          const gate = vcpuGate(r.name);
          if (gate) return vcpu[gate];
          const c = r.condition;
          if (!c) return true;
          if (c.vcpuFeature === 'PMU_V3') return vcpu.pmu;
          if (c.cpuFeature) return features.includes(c.cpuFeature);
          return true;
        })
        .map((r) => r.name),
    );
    byGates.set(key, (l = { listed, listedInOrder: [...listed].sort(registerOrder) }));
  }
  return l;
}

// the parts below are one object per their inputs (the other parts are shared in their own
// files): the baseline search's candidate guests differ in one setting, and rule keys made
// from a part are made once per object
const workaroundsCache = new WeakMap<HostModel, ReadonlyMap<WorkaroundName, number>>();
function workaroundsOf(host: HostModel): ReadonlyMap<WorkaroundName, number> {
  let w = workaroundsCache.get(host);
  if (!w) {
    const m = new Map<WorkaroundName, number>();
    for (const wa of ['WORKAROUND_1', 'WORKAROUND_2', 'WORKAROUND_3'] as const) m.set(wa, workaroundLevel(host, wa));
    workaroundsCache.set(host, (w = m));
  }
  return w;
}

// bitmaps are one host's (hypercall-state.ts), as are its workarounds: keyed by them and the version
const valuesCache = new WeakMap<ReadonlyMap<string, readonly string[]>, Map<string, ReadonlyMap<string, number>>>();
function valuesOf(psci: string, workarounds: ReadonlyMap<WorkaroundName, number>, bitmaps: ReadonlyMap<string, readonly string[]>): ReadonlyMap<string, number> {
  let byVersion = valuesCache.get(bitmaps);
  if (!byVersion) valuesCache.set(bitmaps, (byVersion = new Map()));
  let values = byVersion.get(psci);
  if (!values) {
    const m = new Map<string, number>();
    m.set('PSCI_VERSION', psciCode(psci));
    for (const [wa, level] of workarounds) m.set(`SMCCC_ARCH_${wa}`, level);
    for (const [reg, bits] of bitmaps) {
      const all = registerInfo(reg)?.bits ?? [];
      m.set(reg, bits.reduce((m, b) => m | (1 << all.indexOf(b)), 0));
    }
    byVersion.set(psci, (values = m));
  }
  return values;
}

function compute(e: Endpoint): VmState {
  const { host, guest } = e;
  // a guest whose machine type was filled in from the source differs from its base only there
  const base = baseGuestOf(guest);
  if (base !== guest) {
    const b = vmState({ host, guest: base });
    const machine = machineState(e);
    // written out in the base state's order, as it is: one object shape for every state (rules read them in every pair)
    return {
      endpoint: e,
      listed: b.listed,
      listedInOrder: b.listedInOrder,
      values: b.values,
      psci: b.psci,
      services: b.services,
      bitmaps: b.bitmaps,
      bitmapProblems: b.bitmapProblems,
      stolenTime: stolenTimeState(e, b.services, machine),
      workarounds: b.workarounds,
      targets: b.targets,
      id: b.id,
      machine,
      base: b,
    };
  }
  const { kernel, cpu } = host;
  const id = idState(e);
  const { listed, listedInOrder } = listedOf(kernel.registers, id.vcpu, cpu.features);

  const psci = psciState(e);
  const machine = machineState(e);

  const targets = targetState(e);
  const { bitmaps, bitmapProblems, services } = hypercallState(e, listed, targets.applied);
  const stolen = stolenTimeState(e, services, machine);

  const workarounds = workaroundsOf(host);
  const values = valuesOf(psci.version, workarounds, bitmaps);

  return {
    endpoint: e,
    listed,
    listedInOrder,
    values,
    psci,
    services,
    bitmaps,
    bitmapProblems,
    stolenTime: stolen,
    workarounds,
    targets,
    id,
    machine,
    base: undefined,
  };
}
