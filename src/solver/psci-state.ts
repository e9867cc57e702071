// The PSCI version a VM sees on a host: the guest's pin when the kernel and VMM can
// apply it, else the kernel default.
import type { Endpoint } from '../model.js';
import type { ConfigProblem } from './vm-state.js';

export type PsciState = { readonly version: string; readonly problem?: ConfigProblem };

// one object per (host, pin): the baseline search's candidate guests share them, and rule keys
// made from a part are made once per object
const states = new WeakMap<Endpoint['host'], Map<string, PsciState>>();
export function psciState(e: Endpoint): PsciState {
  let byPin = states.get(e.host);
  if (!byPin) states.set(e.host, (byPin = new Map()));
  const pin = e.guest.psciVersion ?? '';
  let s = byPin.get(pin);
  if (!s) byPin.set(pin, (s = Object.freeze(compute(e))));
  return s;
}

function compute({ host, guest }: Endpoint): PsciState {
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
