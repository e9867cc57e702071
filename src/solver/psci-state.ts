// The PSCI version a VM sees on a host: the guest's pin when the kernel and VMM can
// apply it, else the kernel default.
import type { Endpoint } from '../model.js';
import type { ConfigProblem } from './vm-state.js';

export function psciState({ host, guest }: Endpoint): { version: string; problem?: ConfigProblem } {
  const { kernel, vmm } = host;
  const pin = guest.psciVersion;
  if (!pin || pin === kernel.psci.default) return { version: kernel.psci.default };
  const why = !kernel.psci.versions.includes(pin)
    ? `kernel ${kernel.name} implements PSCI ${kernel.psci.versions.join(', ')} only`
    : !kernel.psci.pinnable
      ? `kernel ${kernel.name} has no way to select a PSCI version`
      : !vmm.canSet.psciVersion
        ? `VMM ${vmm.name} cannot set the PSCI version`
        : undefined;
  return why ? { version: kernel.psci.default, problem: { subject: 'guest.psciVersion', message: `cannot pin PSCI ${pin} on host ${host.name}: ${why}` } } : { version: pin };
}
