// Whether a VM has PV stolen time on a host: QEMU's kvm-steal-time (on, off, or auto
// resolving per host), the machine type's default, and the kernel's support.
import type { Endpoint } from '../model.js';
import { compareVersions } from '../kb/version.js';
import type { VmState } from './vm-state.js';

export function stolenTimeState({ host, guest }: Endpoint, services: ReadonlySet<string>): VmState['stolenTime'] {
  const { kernel, vmm } = host;
  const vmmCan = vmm.stealTime.supported;
  const kernelCan = kernel.stolenTime.supported;
  const oldMachine = guest.machineType && vmm.stealTime.offForMachineTypesUpTo && compareVersions(guest.machineType.replace(/^virt-?/, '') || '999', vmm.stealTime.offForMachineTypesUpTo) <= 0;
  const mode = guest.stolenTime === 'auto' ? (oldMachine ? 'off' : vmm.stealTime.default) : guest.stolenTime ? 'on' : 'off';
  if (mode === 'off') return { enabled: false, why: guest.stolenTime === false ? 'disabled by the guest configuration' : oldMachine ? `machine type ${guest.machineType} defaults kvm-steal-time off` : `VMM ${vmm.name} does not enable it` };
  else if (!vmmCan) return { enabled: false, why: `VMM ${vmm.name} has no stolen-time support`, ...(mode === 'on' ? { problem: { subject: 'guest.stolenTime', message: `cannot enable stolen time on host ${host.name}: VMM ${vmm.name} has no kvm-steal-time` } } : {}) };
  else if (!kernelCan) return { enabled: false, why: `kernel ${kernel.name} lacks PV stolen time (KVM_CAP_STEAL_TIME)`, ...(mode === 'on' ? { problem: { subject: 'guest.stolenTime', message: `'kvm-steal-time' cannot be enabled on host ${host.name}: kernel ${kernel.name} lacks PV stolen time` } } : {}) };
  else if (!services.has('PV_TIME')) return { enabled: false, why: 'PV_TIME is cleared in STD_HYP_BMAP' };
  else return { enabled: true, why: mode === 'auto' ? `kvm-steal-time=auto resolves on with ${kernel.name}` : 'kvm-steal-time=on' };

}
