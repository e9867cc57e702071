// Hypercall feature bitmaps (5.19+) and the services they gate: a carried bitmap must
// be a subset of what the destination implements; services no bitmap carries must
// not vanish under the guest.
import { bitmapOf, describeRegister } from '../kb/registers.js';
import type { VmState } from '../solver/vm-state.js';
import { configFailures, defineRule, hostOf, partKey, problemKey, say, type FindingInput } from './rule.js';

// a state's bitmaps, bitmapProblems and services are one hypercall state, one object per host
// and inputs (hypercall-state.ts): its bitmaps map stands for all three, so keys are made once
// per host and selection, not once per VM state
type Bitmaps = VmState['bitmaps'];
const srcParts = new WeakMap<Bitmaps, string>();
const dstParts = new WeakMap<Bitmaps, string>();

const REF_SET = 'arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg_bmap ("if (val & ~fw_reg_features) return -EINVAL")';
const REF_DOC = 'Documentation/virt/kvm/arm/fw-pseudo-registers.rst (bitmap registers, reset values)';
// each VM state's services, sorted once (fleets compare a state with every other)
const sortedMemo = new WeakMap<ReadonlySet<string>, readonly string[]>();
const sorted = (set: ReadonlySet<string>) => {
  let v = sortedMemo.get(set);
  if (!v) sortedMemo.set(set, (v = [...set].sort()));
  return v;
};

const REF_THREAD = 'kvmarm thread "KVM/arm64: Guest ABI changes do not appear rollback-safe" (Aug 2021): TRNG and PTP exposed unconditionally break N+1 -> N';

const REF_PVTIME = 'arch/arm64/kvm/pvtime.c kvm_hypercall_pv_features / kvm_hypercall_stolen_time (PV_TIME_ST returns NOT_SUPPORTED without a stolen-time base); Documentation/virt/kvm/arm/pvtime.rst';

/**
 * A service the guest could discover but not use: early kernels answer PV_TIME_FEATURES for
 * every vCPU, yet PV_TIME_ST fails unless the VMM set up stolen time, and a guest that got no
 * stolen-time page at boot never calls it again.
 */
const unusable = (svc: string, s: { readonly stolenTime: { readonly enabled: boolean } }) => svc === 'PV_TIME' && !s.stolenTime.enabled;

export default defineRule({
  id: 'hypercall-services',
  description: 'Carried hypercall bitmaps must be implementable by the destination; services without a carrying bitmap must not disappear under the guest.',
  references: [REF_SET, REF_DOC, REF_THREAD, REF_PVTIME],
  key: {
    reads: ['bitmaps', 'bitmapProblems', 'services', 'stolenTime'],
    machine: true,
    src: (st) => `${partKey(srcParts, st.bitmaps, (b) => [st.bitmapProblems.map(problemKey), [...b], sorted(st.services)])} ${st.stolenTime.enabled}`,
    // the destination's list is read only for the bitmap registers the source carries: its own listed bitmaps
    dst: (st) => partKey(dstParts, st.bitmaps, (b) => [st.bitmapProblems.map(problemKey), [...b.keys()], sorted(st.services), hostOf(st).kernel.services]),
  },
  check(ctx) {
    const { src, dst } = ctx;
    const out: FindingInput[] = configFailures(ctx, (s) => s.bitmapProblems, 'hypercall selection', REF_SET);
    const d = hostOf(dst);

    const carried = new Set([...src.bitmaps.keys()].filter((r) => dst.listed.has(r)));
    for (const reg of carried) {
      const bits = src.bitmaps.get(reg)!;
      const missing = bits.filter((b) => !d.kernel.services.includes(b));
      if (missing.length)
        out.push({
          severity: 'fail',
          subject: reg,
          message: say((_s, d) => `the stream carries ${describeRegister(reg)} with ${bits.join(', ')}; destination kernel ${d.kernel.name} does not implement ${missing.join(', ')}, so KVM_SET_ONE_REG fails with -EINVAL`),
          note: `${reg} bit ${missing.join(', ')} unknown to the destination`,
          reference: REF_SET,
          side: 'destination',
        });
    }
    // what the guest sees after: carried bitmaps keep the source selection
    const after = (svc: string) => {
      const reg = bitmapOf(svc)?.name;
      return reg && carried.has(reg) ? src.bitmaps.get(reg)!.includes(svc) && d.kernel.services.includes(svc) : dst.services.has(svc);
    };
    for (const svc of sorted(src.services))
      if (!after(svc) && unusable(svc, src))
        out.push({
          severity: 'info',
          subject: svc,
          message: say((s, d) => `the guest could discover the ${svc} hypercall service on ${s.name} (${s.kernel.name}), but ${s.vmm.name} set up no stolen time there, so its PV_TIME_ST call failed at boot and it never used the service; that it is gone on ${d.name} (${d.kernel.name}) changes nothing`),
          note: `${svc} vanishes, unused`,
          reference: REF_PVTIME,
          side: 'destination',
        });
      else if (!after(svc))
        out.push({
          severity: 'unsafe',
          subject: svc,
          message: say((s, d) => `the guest can discover the ${svc} hypercall service on ${s.name} (${s.kernel.name}) and it is gone on ${d.name} (${d.kernel.name}); a guest driver using it gets NOT_SUPPORTED`),
          note: `${svc} hypercalls vanish`,
          reference: REF_THREAD,
          side: 'destination',
        });
    for (const svc of sorted(dst.services))
      if (!src.services.has(svc) && after(svc))
        out.push({
          severity: 'info',
          subject: svc,
          message: say((_s, d) => `${d.name} (${d.kernel.name}) offers the ${svc} hypercall service that the guest could not discover at boot; it only probes at boot, so nothing changes until it reboots`),
          note: `${svc} appears (unused until reboot)`,
          reference: REF_DOC,
          side: 'destination',
        });
    return out;
  },
});
