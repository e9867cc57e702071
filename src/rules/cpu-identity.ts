// MIDR_EL1/REVIDR_EL1/AIDR_EL1: "invariant" until 6.15 — the destination must be the
// same implementation, unless its kernel and VMM make the registers writable.
import type { CpuIdentity, HostModel } from '../model.js';
import { hex32, hex64 } from '../kb/cpus.js';
import { defineRule, hostOf, pairKey, say, type FindingInput } from './rule.js';

const srcKeys = new WeakMap<HostModel, WeakMap<ReadonlySet<string>, string>>();
const dstKeys = new WeakMap<HostModel, WeakMap<ReadonlySet<string>, string>>();

const REF_INV = 'arch/arm64/kvm/sys_regs.c set_invariant_sys_reg / set_imp_id_reg ("This is what we mean by invariant: you can\'t change it.")';
const REF_615 = 'KVM/arm64 updates for 6.15: KVM_CAP_ARM_WRITABLE_IMP_ID_REGS (239), Documentation/virt/kvm/api.rst';

const ID_REGS: { reg: string; op: string; get: (c: CpuIdentity) => string }[] = [
  { reg: 'MIDR_EL1', op: 'op0:3 op1:0 crn:0 crm:0 op2:0', get: (c) => hex32(c.midr) },
  { reg: 'REVIDR_EL1', op: 'op0:3 op1:0 crn:0 crm:0 op2:6', get: (c) => hex64(c.revidr) },
  { reg: 'AIDR_EL1', op: 'op0:3 op1:1 crn:0 crm:0 op2:7', get: (c) => hex64(c.aidr) },
];

const bare = (hex: string) => hex.replace(/^0x0*/, '') || '0';
/** The destination QEMU's own wording (kb/vmm-timeline.yaml setRegisterError): 10.2 names the register, older releases do not. */
const qemuError = (template: string, op: string, value: string, current: string) =>
  template.replace('{op}', op).replace('{value}', bare(value)).replace('{current}', bare(current));

export default defineRule({
  id: 'cpu-identity',
  description: 'The implementation ID registers restore only onto the same implementation, unless the destination kernel (6.15+) and VMM make them writable.',
  references: [REF_INV, REF_615],
  key: {
    reads: ['listed'],
    // a side reads only its host and its register list
    src: (st) => pairKey(srcKeys, hostOf(st), st.listed, () => ID_REGS.map(({ reg, get }) => (st.listed.has(reg) ? get(hostOf(st).cpu) : null))),
    dst: (st) => {
      const d = hostOf(st);
      return pairKey(dstKeys, d, st.listed, () => [ID_REGS.map(({ reg, get }) => (st.listed.has(reg) ? get(d.cpu) : null)), d.kernel.writableImpIdRegs, d.vmm.canSet.impIdRegs]);
    },
  },
  check({ src, dst }) {
    const out: FindingInput[] = [];
    const s = hostOf(src);
    const d = hostOf(dst);
    const writable = d.kernel.writableImpIdRegs && d.vmm.canSet.impIdRegs;
    for (const { reg, op, get } of ID_REGS) {
      const a = get(s.cpu);
      const b = get(d.cpu);
      if (a === b || !src.listed.has(reg) || !dst.listed.has(reg)) continue;
      const what = (s: HostModel, d: HostModel) => (reg === 'MIDR_EL1' ? ` (${s.cpu.model ?? 'unknown'} ${s.cpu.revision} -> ${d.cpu.model ?? 'unknown'} ${d.cpu.revision})` : '');
      if (writable) {
        out.push({
          severity: 'info',
          subject: reg,
          message: say((s, d) => `${reg} ${a} differs from the destination's ${b}${what(s, d)}; ${d.kernel.name} with ${d.vmm.name} accepts it (KVM_CAP_ARM_WRITABLE_IMP_ID_REGS), so the guest keeps seeing ${a}`),
          note: `${reg} rewritten to the source value`,
          reference: REF_615,
          side: 'destination',
        });
        continue;
      }
      const why = (d: HostModel) => (d.kernel.writableImpIdRegs ? `VMM ${d.vmm.name} does not enable KVM_CAP_ARM_WRITABLE_IMP_ID_REGS` : `kernel ${d.kernel.name} treats it as invariant`);
      out.push({
        severity: 'fail',
        subject: reg,
        message: say((s, d) => `${reg} ${a} (source) differs from ${b} (destination boot CPU)${what(s, d)}; ${why(d)}, so KVM_SET_ONE_REG fails with -EINVAL (${d.vmm.name}: "${qemuError(d.vmm.setRegisterError, op, a, b)}")`),
        note: `${reg} differs (${a} vs ${b})`,
        reference: REF_INV,
        side: 'destination',
      });
    }
    return out;
  },
});
