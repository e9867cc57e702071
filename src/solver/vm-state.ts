// What a VM looks like on one host: the registers KVM lists for it, the values the
// VMM would read from them, and the guest-visible state that no register carries.
// Rules compare two of these. Memoised per (host, guest) so fleets reuse them.
import type { Endpoint, WorkaroundName } from '../model.js';
import { bitmapOf, registerInfo } from '../kb/registers.js';
import { compareVersions } from '../kb/version.js';
import { workaroundLevel } from './mitigations.js';

export interface ConfigProblem {
  readonly subject: string;
  readonly message: string;
}

export interface VmState {
  readonly endpoint: Endpoint;
  /** registers KVM_GET_REG_LIST reports for this VM (conditions applied) */
  readonly listed: ReadonlySet<string>;
  /** values of the firmware registers, as KVM_GET_ONE_REG would return them */
  readonly values: ReadonlyMap<string, number>;
  /** PSCI version the guest sees, and whether the guest config's pin could be applied */
  readonly psci: { readonly version: string; readonly problem?: ConfigProblem };
  /** hypercall services the guest can discover */
  readonly services: ReadonlySet<string>;
  /** selected bits per bitmap register (for listed bitmaps) */
  readonly bitmaps: ReadonlyMap<string, readonly string[]>;
  readonly bitmapProblems: readonly ConfigProblem[];
  readonly stolenTime: { readonly enabled: boolean; readonly why: string; readonly problem?: ConfigProblem };
  readonly workarounds: ReadonlyMap<WorkaroundName, number>;
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

function compute(e: Endpoint): VmState {
  const { host, guest } = e;
  const { kernel, vmm, cpu } = host;
  const pmu = guest.pmu ?? vmm.pmuDefault;
  const listed = new Set(
    kernel.registers
      .filter((r) => {
        const c = r.condition;
        if (!c) return true;
        if (c.vcpuFeature === 'PMU_V3') return pmu;
        if (c.cpuFeature) return cpu.features.includes(c.cpuFeature);
        return true;
      })
      .map((r) => r.name),
  );

  // PSCI: the guest's pin, else the kernel default
  let psciVersion = kernel.psci.default;
  let psciProblem: ConfigProblem | undefined;
  const pin = guest.psciVersion;
  if (pin && pin !== kernel.psci.default) {
    const why = !kernel.psci.versions.includes(pin)
      ? `kernel ${kernel.name} implements PSCI ${kernel.psci.versions.join(', ')} only`
      : !kernel.psci.pinnable
        ? `kernel ${kernel.name} has no way to select a PSCI version`
        : !vmm.canSet.psciVersion
          ? `VMM ${vmm.name} cannot set the PSCI version`
          : undefined;
    if (why) psciProblem = { subject: 'guest.psciVersion', message: `cannot pin PSCI ${pin} on host ${host.name}: ${why}` };
    else psciVersion = pin;
  }

  // Advertising target implementations (6.15+) means the VMM also sets VENDOR_HYP_BMAP_2
  const targetsApplied = Boolean(guest.targetCpus?.length && kernel.targetImplCpus && vmm.canSet.targetCpus);
  const vmmSets = (reg: string) => vmm.canSet.hypercallBitmaps || (reg === 'VENDOR_HYP_BMAP_2' && targetsApplied);

  // Hypercall services: bitmap-gated ones follow the bitmap, the rest are always on
  const bitmaps = new Map<string, string[]>();
  const bitmapProblems: ConfigProblem[] = [];
  for (const reg of listed) {
    const info = registerInfo(reg);
    if (info?.kind !== 'bitmap') continue;
    const supported = (info.bits ?? []).filter((b) => kernel.services.includes(b));
    const reset = info.reset === 'none' ? [] : supported;
    const wanted = guest.hypercallBitmaps?.[reg] ?? (reg === 'VENDOR_HYP_BMAP_2' && targetsApplied ? info.bits : undefined);
    if (!wanted) {
      bitmaps.set(reg, reset);
      continue;
    }
    const unknown = wanted.filter((b) => !supported.includes(b));
    const differs = wanted.length !== reset.length || wanted.some((b) => !reset.includes(b));
    if (unknown.length) bitmapProblems.push({ subject: reg, message: `cannot set ${reg} to [${wanted.join(', ')}] on host ${host.name}: kernel ${kernel.name} does not implement ${unknown.join(', ')} (KVM_SET_ONE_REG -EINVAL)` });
    else if (differs && !vmmSets(reg)) bitmapProblems.push({ subject: reg, message: `cannot set ${reg} to [${wanted.join(', ')}] on host ${host.name}: VMM ${vmm.name} does not write hypercall bitmaps` });
    bitmaps.set(reg, unknown.length || (differs && !vmmSets(reg)) ? reset : [...wanted]);
  }
  for (const [reg, wanted] of Object.entries(guest.hypercallBitmaps ?? {})) {
    // a selection the kernel cannot express: the services are on unconditionally
    if (!listed.has(reg) && wanted.length < kernel.services.filter((s) => bitmapOf(s)?.name === reg).length)
      bitmapProblems.push({ subject: reg, message: `cannot restrict hypercall services with ${reg} on host ${host.name}: kernel ${kernel.name} has no such register` });
  }
  const services = new Set(
    kernel.services.filter((s) => {
      const reg = bitmapOf(s)?.name;
      if (reg && listed.has(reg)) return bitmaps.get(reg)!.includes(s);
      // no bitmap on this kernel: on unconditionally, unless only a reset-to-0 bitmap could enable it
      return !(reg && registerInfo(reg)?.reset === 'none');
    }),
  );

  // PV stolen time: QEMU's kvm-steal-time, auto resolving per host
  let stolen: VmState['stolenTime'];
  const vmmCan = vmm.stealTime.supported;
  const kernelCan = kernel.stolenTime.supported;
  const oldMachine = guest.machineType && vmm.stealTime.offForMachineTypesUpTo && compareVersions(guest.machineType.replace(/^virt-?/, '') || '999', vmm.stealTime.offForMachineTypesUpTo) <= 0;
  const mode = guest.stolenTime === 'auto' ? (oldMachine ? 'off' : vmm.stealTime.default) : guest.stolenTime ? 'on' : 'off';
  if (mode === 'off') stolen = { enabled: false, why: guest.stolenTime === false ? 'disabled by the guest configuration' : oldMachine ? `machine type ${guest.machineType} defaults kvm-steal-time off` : `VMM ${vmm.name} does not enable it` };
  else if (!vmmCan) stolen = { enabled: false, why: `VMM ${vmm.name} has no stolen-time support`, ...(mode === 'on' ? { problem: { subject: 'guest.stolenTime', message: `cannot enable stolen time on host ${host.name}: VMM ${vmm.name} has no kvm-steal-time` } } : {}) };
  else if (!kernelCan) stolen = { enabled: false, why: `kernel ${kernel.name} lacks PV stolen time (KVM_CAP_STEAL_TIME)`, ...(mode === 'on' ? { problem: { subject: 'guest.stolenTime', message: `'kvm-steal-time' cannot be enabled on host ${host.name}: kernel ${kernel.name} lacks PV stolen time` } } : {}) };
  else if (!services.has('PV_TIME')) stolen = { enabled: false, why: 'PV_TIME is cleared in STD_HYP_BMAP' };
  else stolen = { enabled: true, why: mode === 'auto' ? `kvm-steal-time=auto resolves on with ${kernel.name}` : 'kvm-steal-time=on' };

  const workarounds = new Map<WorkaroundName, number>();
  for (const wa of ['WORKAROUND_1', 'WORKAROUND_2', 'WORKAROUND_3'] as const) workarounds.set(wa, workaroundLevel(host, wa));

  const values = new Map<string, number>();
  values.set('PSCI_VERSION', psciCode(psciVersion));
  for (const [wa, level] of workarounds) values.set(`SMCCC_ARCH_${wa}`, level);
  for (const [reg, bits] of bitmaps) {
    const all = registerInfo(reg)?.bits ?? [];
    values.set(reg, bits.reduce((m, b) => m | (1 << all.indexOf(b)), 0));
  }

  return {
    endpoint: e,
    listed,
    values,
    psci: { version: psciVersion, ...(psciProblem ? { problem: psciProblem } : {}) },
    services,
    bitmaps,
    bitmapProblems,
    stolenTime: stolen,
    workarounds,
  };
}
