// Every register the source VMM sends must be listed by the destination kernel,
// unless the destination VMM tolerates its absence.
import type { HostModel, VmmModel } from '../model.js';
import type { VmState } from '../solver/vm-state.js';
import { describeRegister, isRawId, registerInfo } from '../kb/registers.js';
import { defineRule, hostOf, partKey, say, sharedFinding, type FindingInput } from './rule.js';

// a host's VM states share these (vm-state.ts): their keys are made once
const lists = new WeakMap<readonly string[], string>();
const valueSets = new WeakMap<ReadonlyMap<string, number>, string>();
const vmmParts = new WeakMap<VmmModel, string>();

// the source's registers the destination does not list read only the two lists, which hosts
// of one kernel share (vm-state.ts listedOf): walked once per pair of lists, not per pair of keys
const missingMemo = new WeakMap<readonly string[], WeakMap<ReadonlySet<string>, readonly string[]>>();
function missing(src: readonly string[], dst: ReadonlySet<string>): readonly string[] {
  let byDst = missingMemo.get(src);
  if (!byDst) missingMemo.set(src, (byDst = new WeakMap()));
  let m = byDst.get(dst);
  if (!m) byDst.set(dst, (m = src.filter((r) => !dst.has(r))));
  return m;
}

const REF_QEMU = 'QEMU target/arm/machine.c cpu_post_load ("register in their list but not ours: fail migration"); target/arm/kvm.c kvm_arm_reg_syncs_via_cpreg_list';
const REF_TOL = 'QEMU 11.1 target/arm/cpu64.c kvm_arm_set_cpreg_mig_tolerances (commits 113ed8e, 6dd8be3)';

export default defineRule({
  id: 'register-list',
  description: 'Every register KVM lists on the source travels in the stream; the destination kernel must list it too, or its VMM must tolerate the gap.',
  references: [REF_QEMU, REF_TOL, 'Documentation/virt/kvm/api.rst KVM_GET_REG_LIST'],
  key: {
    reads: ['listedInOrder', 'values', 'listed'],
    // the source's registers and their values; the destination's list, whether it was probed, its VMM's tolerances
    // (values: only those of listed registers are read; a state has a handful, the firmware registers;
    // a values object is one list's, as it is made from bitmaps made per list: vm-state.ts valuesOf)
    src: (st) => `${partKey(lists, st.listedInOrder, (l) => l)} ${partKey(valueSets, st.values, (v) => [...v].filter(([r]) => st.listed.has(r)))}`,
    dst: (st) => {
      const d = hostOf(st);
      return `${partKey(lists, st.listedInOrder, (l) => l)} ${!d.kernel.probedRegisterList} ${partKey(vmmParts, d.vmm, (v) => [v.tolerances, v.name])}`;
    },
  },
  check: ({ src, dst }) => registerListFindings(src, dst),
});

/** The rule's findings (memo false: no list or finding shared, what test/property/register-list-memo.test.ts holds the memo to). */
export function registerListFindings(src: VmState, dst: VmState, memo = true): FindingInput[] {
  const d = hostOf(dst);
  if (memo) return missing(src.listedInOrder, dst.listed).map((reg) => findingFor(reg, src.values.get(reg), d));
  return src.listedInOrder
    .filter((r) => !dst.listed.has(r))
    .map((reg) => {
      const value = src.values.get(reg);
      const f = isRawId(reg) && !d.kernel.probedRegisterList ? unprobedFinding(reg) : missingFinding(reg, value, d);
      return { ...f, rule: 'register-list' } as FindingInput;
    });
}

// a finding reads the register, its value and the destination's VMM and probing: fleets meet
// each one in hundreds of pairs, so it is made once (sharedFinding)
const findings = new WeakMap<VmmModel, Map<string, Map<number | undefined, FindingInput>>>();
function findingFor(reg: string, value: number | undefined, d: HostModel): FindingInput {
  // a register the catalogue lacks is known only from a probe: a destination whose list
  // was not probed cannot be judged on it (whatever its VMM)
  const unprobed = isRawId(reg) && !d.kernel.probedRegisterList;
  let byReg = findings.get(d.vmm);
  if (!byReg) findings.set(d.vmm, (byReg = new Map()));
  const k = unprobed ? `? ${reg}` : reg;
  let byValue = byReg.get(k);
  if (!byValue) byReg.set(k, (byValue = new Map()));
  let f = byValue.get(value);
  if (!f) byValue.set(value, (f = sharedFinding('register-list', unprobed ? unprobedFinding(reg) : missingFinding(reg, value, d))));
  return f;
}

function unprobedFinding(reg: string): FindingInput {
  return {
    severity: 'info',
    subject: reg,
    message: say((s, d) => `source kernel ${s.kernel.name} lists ${describeRegister(reg)}, which the knowledge base does not catalogue; destination ${d.name} was not probed with --kvm, so whether it lists it is unknown (probe it to decide)`),
    note: `${reg} on the source only; destination not probed`,
    reference: 'migcheck probe --kvm (docs/probe.md)',
    side: 'destination',
  };
}

// reads d.vmm only (and the pair's hosts in its messages)
function missingFinding(reg: string, value: number | undefined, d: HostModel): FindingInput {
  const shown = value === undefined ? '' : ` = ${reg === 'PSCI_VERSION' ? `${value >> 16}.${value & 0xffff}` : `0x${value.toString(16)}`}`;
  const tol = d.vmm.tolerances.find((t) => t.register === reg);
  if (tol && (tol.kind === 'not-on-both-ends' || (tol.kind === 'only-src-value' && (value ?? 0) === (tol.value ?? 0))))
    return {
      severity: 'info',
      subject: reg,
      message: say((s, d) => `${reg}${shown} is listed by ${s.kernel.name} but not by ${d.kernel.name}; VMM ${d.vmm.name} tolerates it (${tol.kind}${tol.kind === 'only-src-value' ? ` ${tol.value ?? 0}` : ''})`),
      note: `${reg} not on the destination; tolerated by ${d.vmm.name}`,
      reference: REF_TOL,
      side: 'destination',
    };
  const why = tol ? ` (${d.vmm.name} tolerates it only when its value is ${tol.value ?? 0})` : '';
  const kind = registerInfo(reg)?.kind;
  return {
    severity: 'fail',
    subject: reg,
    message: say((s, d) => `source kernel ${s.kernel.name} lists ${describeRegister(reg)}${shown}; destination kernel ${d.kernel.name} does not, so the destination VMM refuses the stream ('failed to load cpu:cpreg_vmstate_array_len' / unexpected register)${why}`),
    note: `the destination does not know the ${reg}${kind === 'group' ? ' registers' : ' register'}${shown ? ` (sent${shown})` : ''}`,
    reference: REF_QEMU,
    side: 'destination',
  };
}
