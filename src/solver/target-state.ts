// Target implementation CPUs (6.15+): whether the host can advertise the guest's list
// (kernel DISCOVER_IMPL hypercalls + a VMM that answers them), and which CPUs the
// guest's boot-time errata choice covers as a result.
import type { CpuIdentity, Endpoint } from '../model.js';
import { compareVersions } from '../kb/version.js';
import type { ConfigProblem } from './vm-state.js';

export interface TargetState {
  /** the VMM advertises the list (and so sets VENDOR_HYP_BMAP_2) */
  readonly applied: boolean;
  /** the CPUs whose errata the guest enables at boot */
  readonly bootCpus: readonly CpuIdentity[];
  /** bootCpus came from the advertised list rather than the host's own CPU */
  readonly viaList: boolean;
  readonly problem?: ConfigProblem;
}

// one object per (host, target list object, guest kernel): the baseline search's candidate
// guests share the list, and rule keys made from a part are made once per object
const NO_TARGETS: readonly CpuIdentity[] = [];
const states = new WeakMap<Endpoint['host'], WeakMap<readonly CpuIdentity[], Map<string, TargetState>>>();
export function targetState(e: Endpoint): TargetState {
  let byList = states.get(e.host);
  if (!byList) states.set(e.host, (byList = new WeakMap()));
  const list = e.guest.targetCpus ?? NO_TARGETS;
  let byKernel = byList.get(list);
  if (!byKernel) byList.set(list, (byKernel = new Map()));
  const k = e.guest.guestKernel ?? '';
  let s = byKernel.get(k);
  if (!s) byKernel.set(k, (s = Object.freeze(compute(e))));
  return s;
}

function compute({ host, guest }: Endpoint): TargetState {
  const targets = guest.targetCpus;
  // on a heterogeneous host the guest's vCPUs may have started on any of its implementations
  const own = { bootCpus: [host.cpu, ...host.otherCpus], viaList: false };
  if (!targets?.length) return { applied: false, ...own };
  const why = !host.kernel.targetImplCpus
    ? `kernel ${host.kernel.name} lacks the DISCOVER_IMPL hypercalls (6.15+)`
    : !host.vmm.canSet.targetCpus
      ? `VMM ${host.vmm.name} cannot advertise target CPUs`
      : undefined;
  if (why) return { applied: false, ...own, problem: { subject: 'guest.targetCpus', message: `cannot advertise target CPUs on ${host.name}: ${why}` } };
  // an older guest kernel ignores the list: not a configuration problem, but no union either
  if (guest.guestKernel && compareVersions(guest.guestKernel, '6.15') < 0) return { applied: true, ...own };
  return { applied: true, bootCpus: targets, viaList: true };
}
