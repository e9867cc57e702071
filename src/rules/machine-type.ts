// The guest's versioned machine type (virt-X.Y): the destination QEMU must register the
// exact type the source runs, and two features block live migration whatever the type.
import type { FindingInput } from './rule.js';
import type { HostModel } from '../model.js';
import { defineRule, hostOf, partKey, say } from './rule.js';

// a QEMU's machine types, one key per list (many VM states share a VMM); machine states are
// one object per VMM and type (machine-state.ts), guests one per filled-in type
const typeLists = new WeakMap<HostModel['vmm']['machineTypes'], string>();
const machines = new WeakMap<VmState['machine'], string>();
const vmmParts = new WeakMap<HostModel['vmm'], string>();
const guestParts = new WeakMap<VmState['endpoint']['guest'], string>();
import type { VmState } from '../solver/vm-state.js';

const REF_LIBVIRT = "libvirt src/qemu/qemu_validate.c: \"unsupported configuration: Emulator '%1$s' does not support machine type '%2$s'\"; qemu_domain.c qemuCanonicalizeMachine (the alias is stored as the canonical type at define time)";
const REF_QEMU = 'QEMU system/vl.c select_machine: \'unsupported machine type: "%s"\' (the quoted name since 9.1); hw/arm/virt.c DEFINE_VIRT_MACHINE_AS_LATEST (mc->alias = "virt" on the newest type only); include/hw/boards.h MACHINE_VER_DELETION (6 years, from 10.1)';
const REF_STREAM = "QEMU migration/savevm.c configuration_post_load: \"Machine type received is '%.*s' and local is '%s'\" (-EINVAL: load of migration failed: Invalid argument)";
const REF_DEPRECATED = 'QEMU include/hw/boards.h MACHINE_VER_DEPRECATION (3 years, since 9.1): "machines more than 3 years old are subject to deletion after 6 years"; docs/about/deprecated.rst (a deprecated type is meant for incoming migrations)';
const REF_MTE = 'QEMU target/arm/kvm.c (pull-target-arm-20241029 "arm/kvm: add support for MTE", 9.2): migration blocker "Live migration disabled due to MTE enabled"; before 9.2 mte=on is refused with KVM';
const REF_NV = 'QEMU hw/intc/arm_gicv3_kvm.c kvm_arm_gicv3_realize (10.1, [PULL 30/36] 2025-07-11): migration blocker "Live migration disabled because KVM nested virt is enabled"; hw/arm/virt.c: before 10.1 virtualization=on is refused with KVM, and KVM EL2 needs an in-kernel GICv3';

/** Registered types as a short range: "virt-2.6 … virt-9.2" (upstream lists are contiguous). */
const range = (ts: readonly string[]) => (ts.length > 2 ? `${ts[0]} … ${ts.at(-1)}` : ts.join(', ') || 'none');

function blockers(src: VmState): FindingInput[] {
  const s = hostOf(src);
  const o = src.endpoint.guest.machineOptions ?? {};
  const out: FindingInput[] = [];
  if (o.mte)
    out.push(
      s.vmm.kvmOptions.mte === 'blocks-migration'
        ? { severity: 'fail', subject: 'machineOptions.mte', message: say((s, d) => `mte=on with KVM: ${s.vmm.name} on ${s.name} refuses to migrate the guest ("Live migration disabled due to MTE enabled"), whatever the destination`), note: 'MTE blocks live migration', reference: REF_MTE, side: 'source' }
        : { severity: 'fail', subject: 'machineOptions.mte', message: say((s, d) => `mte=on with KVM: ${s.vmm.name} on ${s.name} cannot start the guest (MTE under KVM needs QEMU 9.2, which then blocks migration)`), note: 'MTE cannot be applied on the source', reference: REF_MTE, side: 'source' },
    );
  if (o.virtualization) {
    const gic2 = o.gicVersion === '2';
    out.push(
      s.vmm.kvmOptions.virtualization === 'blocks-migration' && !gic2
        ? { severity: 'fail', subject: 'machineOptions.virtualization', message: say((s, d) => `virtualization=on with KVM: ${s.vmm.name} on ${s.name} refuses to migrate the guest ("Live migration disabled because KVM nested virt is enabled"), whatever the destination`), note: 'nested virtualisation blocks live migration', reference: REF_NV, side: 'source' }
        : { severity: 'fail', subject: 'machineOptions.virtualization', message: say((s, d) => `virtualization=on with KVM: ${s.vmm.name} on ${s.name} cannot start the guest (${gic2 ? 'KVM EL2 is only supported with the in-kernel GICv3' : 'KVM nested virtualisation needs QEMU 10.1, which then blocks migration'})`), note: 'nested virtualisation cannot be applied on the source', reference: REF_NV, side: 'source' },
    );
  }
  return out;
}

export default defineRule({
  id: 'machine-type',
  description: "The destination QEMU must register the guest's exact machine type (virt-X.Y); MTE and nested virtualisation under KVM block migration.",
  references: [REF_QEMU, REF_LIBVIRT, REF_STREAM, REF_DEPRECATED, REF_MTE, REF_NV],
  key: {
    reads: ['machine', 'guest.machineOptions', 'guest.machineType'],
    machine: true,
    src: (st) => {
      const s = hostOf(st);
      const g = st.endpoint.guest;
      return `${partKey(machines, st.machine, (m) => m)} ${partKey(vmmParts, s.vmm, (v) => [v.machineTypes.newest, v.kvmOptions])} ${partKey(guestParts, g, (g) => [g.machineOptions ?? null, g.machineType ?? null])}`;
    },
    dst: (st) => `${partKey(machines, st.machine, (m) => m)} ${partKey(typeLists, hostOf(st).vmm.machineTypes, (mt) => [mt.newest, mt.registered])}`,
  },
  check({ src, dst }) {
    const s = hostOf(src);
    const d = hostOf(dst);
    const sm = src.machine;
    const dm = dst.machine;
    const out: FindingInput[] = [];
    // said only where it decides something: the two QEMUs would give a new guest different types
    if (sm.assumed && s.vmm.machineTypes.newest !== d.vmm.machineTypes.newest)
      out.push({ severity: 'info', subject: 'machineType', message: say((s, d) => `no machineType in the guest configuration: assumed ${sm.type}, the newest type of ${s.vmm.name}, as libvirt stores it when the guest is defined on ${s.name}; set guest.machineType to the type in the domain XML (<type machine=…>) if it was defined elsewhere`), note: `machine type assumed ${sm.type}`, reference: REF_LIBVIRT, side: 'guest' });
    if (!sm.registered) {
      out.push({ severity: 'fail', subject: 'guest.machineType', message: say((s, d) => `${s.vmm.name} on ${s.name} does not register ${sm.type} (it has ${range(s.vmm.machineTypes.registered)}): the guest cannot run there (unsupported machine type: "${sm.type}")`), note: 'machine type cannot be applied on the source', reference: REF_QEMU, side: 'source' });
      return [...out, ...blockers(src)];
    }
    out.push(...blockers(src));
    if (sm.alias && dm.type !== sm.type && dm.registered) {
      out.push({ severity: 'fail', subject: 'machineType', message: say((s, d) => `the guest runs the alias virt: ${s.vmm.name} resolves it to ${sm.type} and ${d.vmm.name} to ${dm.type}, so the destination refuses the stream: Machine type received is '${sm.type}' and local is '${dm.type}' (give the versioned type, as libvirt does)`), note: 'virt alias resolves differently on each side', reference: REF_STREAM, side: 'destination' });
    } else if (!d.vmm.machineTypes.registered.includes(sm.type)) {
      out.push({ severity: 'fail', subject: 'machineType', message: say((s, d) => `the guest runs ${sm.type}; ${d.vmm.name} on ${d.name} registers ${range(d.vmm.machineTypes.registered)}, so libvirt refuses the incoming migration (Emulator '…' does not support machine type '${sm.type}') and plain QEMU exits (unsupported machine type: "${sm.type}")`), note: `destination QEMU does not register ${sm.type}`, reference: sm.assumed || src.endpoint.guest.machineType ? REF_LIBVIRT : REF_QEMU, side: 'destination' });
    } else if (dm.type !== sm.type) {
      // two definitions of the guest (compat rows) that name different types
      out.push({ severity: 'fail', subject: 'machineType', message: say((s, d) => `the source runs ${sm.type} and the destination is started with ${dm.type}: Machine type received is '${sm.type}' and local is '${dm.type}'`), note: 'machine types differ', reference: REF_STREAM, side: 'destination' });
    } else if (dm.deprecated) {
      out.push({ severity: 'info', subject: 'machineType', message: say((s, d) => `${sm.type} is deprecated in ${d.vmm.name}: QEMU warns and accepts the incoming guest; it is no longer registered 6 years after its release, so re-pin the guest (a cold boot) to a newer type before the fleet moves past that`), note: `${sm.type} deprecated on the destination`, reference: REF_DEPRECATED, side: 'destination' });
    }
    return out;
  },
});
