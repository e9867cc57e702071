// Whether a VM has PV stolen time on a host: QEMU's kvm-steal-time (on, off, or auto
// resolving per host), forced off by old machine types, and the kernel's support.
import type { Endpoint } from '../model.js';
import type { MachineState } from './machine-state.js';
import type { VmState } from './vm-state.js';

// a state reads the host, the guest's stolenTime, whether PV_TIME is discoverable and, of the
// machine state, only whether (and as which type) it forces kvm-steal-time off: a host's states
// under a fleet's filled-in machine types mostly share one object, and rule keys made from it
// are made once
const states = new WeakMap<Endpoint['host'], Map<string, (VmState['stolenTime'] | undefined)[]>>();
export function stolenTimeState(e: Endpoint, services: ReadonlySet<string>, machine: MachineState): VmState['stolenTime'] {
  let byType = states.get(e.host);
  if (!byType) states.set(e.host, (byType = new Map()));
  const forcedOff = machine.stealTimeOff ? machine.type : '';
  let slots = byType.get(forcedOff);
  if (!slots) byType.set(forcedOff, (slots = []));
  const mode = e.guest.stolenTime;
  const i = (mode === 'auto' ? 2 : mode ? 1 : 0) * 2 + +services.has('PV_TIME');
  return (slots[i] ??= Object.freeze(compute(e, services, machine)));
}

function compute({ host, guest }: Endpoint, services: ReadonlySet<string>, machine: MachineState): VmState['stolenTime'] {
  const { kernel, vmm } = host;
  const vmmCan = vmm.stealTime.supported;
  const kernelCan = kernel.stolenTime.supported;
  // virt-5.1 and older force the CPU property off (virt_machine_5_1_options), even over an explicit on
  const mode = machine.stealTimeOff ? 'off' : guest.stolenTime === 'auto' ? vmm.stealTime.default : guest.stolenTime ? 'on' : 'off';
  if (mode === 'off')
    return { enabled: false, region: false, why: machine.stealTimeOff ? `machine type ${machine.type} keeps kvm-steal-time off` : guest.stolenTime === false ? 'disabled by the guest configuration' : `VMM ${vmm.name} does not enable it` };
  else if (!vmmCan) return { enabled: false, region: false, why: `VMM ${vmm.name} has no stolen-time support`, ...(mode === 'on' ? { problem: { subject: 'guest.stolenTime', message: `cannot enable stolen time on host ${host.name}: VMM ${vmm.name} has no kvm-steal-time` } } : {}) };
  else if (!kernelCan) return { enabled: false, region: false, why: `kernel ${kernel.name} lacks PV stolen time (KVM_CAP_STEAL_TIME)`, ...(mode === 'on' ? { problem: { subject: 'guest.stolenTime', message: `'kvm-steal-time' cannot be enabled on host ${host.name}: kernel ${kernel.name} lacks PV stolen time` } } : {}) };
  // QEMU has set up the region; the guest cannot discover it
  else if (!services.has('PV_TIME')) return { enabled: false, region: true, why: 'PV_TIME is cleared in STD_HYP_BMAP' };
  else return { enabled: true, region: true, why: mode === 'auto' ? `kvm-steal-time=auto resolves on with ${kernel.name}` : 'kvm-steal-time=on' };
}
