// Every register the source VMM sends must be listed by the destination kernel,
// unless the destination VMM tolerates its absence.
import { describeRegister, isRawId, registerInfo } from '../kb/registers.js';
import { defineRule, hostOf, keyOf, partKey, say, type FindingInput } from './rule.js';

// a host's VM states share these (vm-state.ts): their keys are made once
const lists = new WeakMap<readonly string[], string>();
const valueSets = new WeakMap<ReadonlyMap<string, number>, string>();

const REF_QEMU = 'QEMU target/arm/machine.c cpu_post_load ("register in their list but not ours: fail migration"); target/arm/kvm.c kvm_arm_reg_syncs_via_cpreg_list';
const REF_TOL = 'QEMU 11.1 target/arm/cpu64.c kvm_arm_set_cpreg_mig_tolerances (commits 113ed8e, 6dd8be3)';

export default defineRule({
  id: 'register-list',
  description: 'Every register KVM lists on the source travels in the stream; the destination kernel must list it too, or its VMM must tolerate the gap.',
  references: [REF_QEMU, REF_TOL, 'Documentation/virt/kvm/api.rst KVM_GET_REG_LIST'],
  key: {
    // the source's registers and their values; the destination's list, whether it was probed, its VMM's tolerances
    src: (st) => `${partKey(lists, st.listedInOrder, (l) => l)} ${partKey(valueSets, st.values, () => st.listedInOrder.map((r) => st.values.get(r) ?? null))}`,
    dst: (st) => {
      const d = hostOf(st);
      return `${partKey(lists, st.listedInOrder, (l) => l)} ${keyOf([d.kernel.probedRegisterList ?? null, d.vmm.tolerances, d.vmm.name])}`;
    },
  },
  check({ src, dst }) {
    const out: FindingInput[] = [];
    const d = hostOf(dst);
    const tolerances = d.vmm.tolerances;
    for (const reg of src.listedInOrder) {
      if (dst.listed.has(reg)) continue;
      const value = src.values.get(reg);
      const shown = value === undefined ? '' : ` = ${reg === 'PSCI_VERSION' ? `${value >> 16}.${value & 0xffff}` : `0x${value.toString(16)}`}`;
      // a register the catalogue lacks is known only from a probe: a destination whose list
      // was not probed cannot be judged on it
      if (isRawId(reg) && !d.kernel.probedRegisterList) {
        out.push({
          severity: 'info',
          subject: reg,
          message: say((s, d) => `source kernel ${s.kernel.name} lists ${describeRegister(reg)}, which the knowledge base does not catalogue; destination ${d.name} was not probed with --kvm, so whether it lists it is unknown (probe it to decide)`),
          note: `${reg} on the source only; destination not probed`,
          reference: 'migcheck probe --kvm (docs/probe.md)',
          side: 'destination',
        });
        continue;
      }
      const tol = tolerances.find((t) => t.register === reg);
      if (tol && (tol.kind === 'not-on-both-ends' || (tol.kind === 'only-src-value' && (value ?? 0) === (tol.value ?? 0)))) {
        out.push({
          severity: 'info',
          subject: reg,
          message: say((s, d) => `${reg}${shown} is listed by ${s.kernel.name} but not by ${d.kernel.name}; VMM ${d.vmm.name} tolerates it (${tol.kind}${tol.kind === 'only-src-value' ? ` ${tol.value ?? 0}` : ''})`),
          note: `${reg} not on the destination; tolerated by ${d.vmm.name}`,
          reference: REF_TOL,
          side: 'destination',
        });
        continue;
      }
      const why = tol ? ` (${d.vmm.name} tolerates it only when its value is ${tol.value ?? 0})` : '';
      const kind = registerInfo(reg)?.kind;
      out.push({
        severity: 'fail',
        subject: reg,
        message: say((s, d) => `source kernel ${s.kernel.name} lists ${describeRegister(reg)}${shown}; destination kernel ${d.kernel.name} does not, so the destination VMM refuses the stream ('failed to load cpu:cpreg_vmstate_array_len' / unexpected register)${why}`),
        note: `the destination does not know the ${reg}${kind === 'group' ? ' registers' : ' register'}${shown ? ` (sent${shown})` : ''}`,
        reference: REF_QEMU,
        side: 'destination',
      });
    }
    return out;
  },
});
