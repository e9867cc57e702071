// PV stolen time: a guest that uses it needs it on the destination; the VMM decides
// per host whether to set it up (QEMU kvm-steal-time=auto), and nothing migrates that choice.
import type { VmState } from '../solver/vm-state.js';
import { configFailures, defineRule, hostOf, partKey, problemKey, say, type FindingInput } from './rule.js';

const REF_KVM = 'arch/arm64/kvm/pvtime.c kvm_arm_pvtime_set_attr (-ENXIO without support); Documentation/virt/kvm/devices/vcpu.rst KVM_ARM_VCPU_PVTIME_CTRL';
const REF_RAM =
  'QEMU hw/arm/virt.c virt_cpu_post_init: creates the "pvtime" RAM region (memory_region_init_ram) only when kvm-steal-time resolved on; migration/ram.c ram_load: a RAM block the destination lacks: Unknown ramblock "%s", cannot accept migration (-EINVAL)';
const REF_QEMU = "QEMU target/arm/kvm.c kvm_arm_steal_time_finalize (auto -> on only with KVM_CAP_STEAL_TIME; explicit on: \"'kvm-steal-time' cannot be enabled on this host\"); docs/system/arm/cpu-features.rst";

// stolen-time states are shared by a host's VM states (stolen-time-state.ts): keyed once per object
const states = new WeakMap<VmState['stolenTime'], string>();
const revisions = new WeakMap<readonly number[], string>();
const sideKey = (st: VmState) => `${partKey(states, st.stolenTime, ({ problem, ...t }) => [t, problemKey(problem)])} ${partKey(revisions, hostOf(st).kernel.stolenTime.revisions, (r) => r)}`;

export default defineRule({
  id: 'stolen-time',
  description: 'A guest that uses PV stolen time must find it on the destination; the structure revision must be one the destination implements.',
  references: [REF_KVM, REF_QEMU, REF_RAM, 'Documentation/virt/kvm/arm/pvtime.rst'],
  key: {
    reads: ['stolenTime'],
    machine: true,
    src: (st) => sideKey(st),
    dst: (st) => sideKey(st),
  },
  check(ctx) {
    const { src, dst } = ctx;
    const out: FindingInput[] = configFailures(ctx, (s) => [s.stolenTime.problem], 'stolen time', REF_QEMU);
    const s = hostOf(src);
    const d = hostOf(dst);
    if (dst.stolenTime.problem) return out;
    if (src.stolenTime.enabled) {
      const revs = s.kernel.stolenTime.revisions;
      const missing = revs.filter((r) => !d.kernel.stolenTime.revisions.includes(r));
      if (!dst.stolenTime.region) {
        // QEMU migrates the region as a RAM block: a destination without it refuses the stream
        out.push({
          severity: 'fail',
          subject: 'stolenTime',
          message: say((s, d) => `the guest uses PV stolen time on ${s.name} (${src.stolenTime.why}), so QEMU migrates its "pvtime" RAM block; on ${d.name} it is not set up (${dst.stolenTime.why}), and the load fails: Unknown ramblock "pvtime", cannot accept migration`),
          note: 'no pvtime RAM block on the destination',
          reference: REF_RAM,
          side: 'destination',
        });
      } else if (!dst.stolenTime.enabled) {
        // the region exists but the guest cannot reach it: the value stops updating
        out.push({
          severity: 'unsafe',
          subject: 'stolenTime',
          message: say((s, d) => `the guest uses PV stolen time on ${s.name} (${src.stolenTime.why}); on ${d.name} it is not set up (${dst.stolenTime.why}), so the guest keeps reading a frozen stolen-time value`),
          note: 'stolen time stops updating',
          reference: REF_QEMU,
          side: 'destination',
        });
      } else if (missing.length) {
        out.push({
          severity: 'fail',
          subject: 'stolenTime.revision',
          message: say((_s, d) => `the guest's stolen-time structure is revision ${missing.join(', ')}; ${d.kernel.name} implements revision ${d.kernel.stolenTime.revisions.join(', ') || 'none'}`),
          note: 'stolen-time structure revision unknown to the destination',
          reference: REF_KVM,
          side: 'destination',
        });
      }
    } else if (dst.stolenTime.enabled) {
      out.push({
        severity: 'info',
        subject: 'stolenTime',
        message: say((_s, d) => `${d.name} sets up PV stolen time (${dst.stolenTime.why}) for a guest that did not have it at boot; the guest probes PV_TIME_FEATURES only at boot`),
        note: 'stolen time appears (unused until reboot)',
        reference: REF_QEMU,
        side: 'destination',
      });
    }
    return out;
  },
});
