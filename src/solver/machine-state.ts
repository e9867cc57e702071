// The machine type a VM runs on one host: the guest's `virt-X.Y` (or the `virt` alias,
// resolved by this host's QEMU), whether this QEMU registers it, and what it pins.
import type { Endpoint, GuestModel, HostModel } from '../model.js';
import { machineTypePins } from '../kb/vmms.js';

export interface MachineState {
  /** the canonical type this side runs (the alias resolved here) */
  readonly type: string;
  /** the guest said `virt`: each side resolves it to its own newest */
  readonly alias: boolean;
  /** not in the guest configuration: the source QEMU's newest was assumed */
  readonly assumed: boolean;
  readonly registered: boolean;
  readonly deprecated: boolean;
  /** kvm-steal-time forced off by the type (virt-5.1 and older), with the kb reference */
  readonly stealTimeOff?: { readonly reference: string };
}

/** Guests whose machine type was filled in from a source host: one object per (guest, type), so VM states stay memoised. */
const derived = new WeakMap<GuestModel, Map<string, GuestModel>>();
const baseOf = new WeakMap<GuestModel, GuestModel>();

/** The guest configuration a derived guest was made from (itself otherwise). */
export const baseGuestOf = (g: GuestModel): GuestModel => baseOf.get(g) ?? g;

/**
 * A guest with no machine type is taken as defined on the source (libvirt stores the
 * canonical type of the QEMU installed there at define time): virt-<source newest>.
 */
export function withSourceMachineType(guest: GuestModel, source: HostModel): GuestModel {
  if (guest.machineType) return guest;
  const type = source.vmm.machineTypes.newest;
  let byType = derived.get(guest);
  if (!byType) derived.set(guest, (byType = new Map()));
  let g = byType.get(type);
  if (!g) {
    byType.set(type, (g = Object.freeze({ ...guest, machineType: type })));
    baseOf.set(g, guest);
  }
  return g;
}

// a fleet's VM states meet a few types thousands of times
const pinsOf = new Map<string, ReturnType<typeof machineTypePins>>();

// a state reads only the VMM and (type, alias, assumed): one object per VMM and triple, so
// rule keys made from a machine state are made once per object (fleets have ~10^3 VM states)
const states = new WeakMap<HostModel['vmm'], Map<string, MachineState>>();
const byGuest = new WeakMap<HostModel['vmm'], WeakMap<GuestModel, MachineState>>();

export function machineState(e: Endpoint): MachineState {
  let forVmm = byGuest.get(e.host.vmm);
  if (!forVmm) byGuest.set(e.host.vmm, (forVmm = new WeakMap()));
  let m = forVmm.get(e.guest);
  if (!m) forVmm.set(e.guest, (m = internedState(e)));
  return m;
}

function internedState({ host, guest }: Endpoint): MachineState {
  const mt = host.vmm.machineTypes;
  const alias = guest.machineType === 'virt';
  const type = alias || !guest.machineType ? mt.newest : guest.machineType;
  const assumed = baseOf.has(guest) || !guest.machineType;
  let byType = states.get(host.vmm);
  if (!byType) states.set(host.vmm, (byType = new Map()));
  const key = `${type} ${+alias}${+assumed}`;
  let m = byType.get(key);
  if (!m) {
    let pins = pinsOf.get(type);
    if (!pins) pinsOf.set(type, (pins = machineTypePins(type)));
    m = Object.freeze({
      type,
      alias,
      assumed,
      registered: mt.registered.includes(type),
      deprecated: mt.deprecated.includes(type),
      ...(host.vmm.stealTime.supported && pins.stealTimeOff ? { stealTimeOff: pins.stealTimeOff } : {}),
    });
    byType.set(key, m);
  }
  return m;
}
