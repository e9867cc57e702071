// SMCCC_ARCH_WORKAROUND_1/2/3: the restored level must not promise more than the
// destination host can deliver (kvm_arm_set_fw_reg / get_kernel_wa_level).
import type { HostModel, WorkaroundName } from '../model.js';
import { levelName, mitigation } from '../kb/mitigations.js';
import { defineRule, hostOf, pairKey, say, type FindingInput } from './rule.js';

const srcKeys = new WeakMap<HostModel, WeakMap<ReadonlySet<string>, string>>();
const dstKeys = new WeakMap<HostModel, WeakMap<ReadonlySet<string>, string>>();

const REF_SET = 'arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg / get_kernel_wa_level; arch/arm64/include/uapi/asm/kvm.h KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_*';
const REF_510 = 'commit 29e8910a566a "KVM: arm64: Simplify handling of ARCH_WORKAROUND_2" (v5.10)';

const WAS: readonly WorkaroundName[] = ['WORKAROUND_1', 'WORKAROUND_2', 'WORKAROUND_3'];

export default defineRule({
  id: 'smccc-workarounds',
  description: "Restoring SMCCC_ARCH_WORKAROUND_1/2/3 fails when the source's level is higher than the destination host's.",
  references: [REF_SET, REF_510, 'Documentation/virt/kvm/arm/fw-pseudo-registers.rst'],
  key: {
    reads: ['listed', 'workarounds'],
    // a side reads only its register list and its host (the workaround levels are the host's)
    src: (st) => pairKey(srcKeys, hostOf(st), st.listed, () => WAS.map((wa) => (st.listed.has(`SMCCC_ARCH_${wa}`) ? st.workarounds.get(wa)! : null))),
    dst: (st) => pairKey(dstKeys, hostOf(st), st.listed, () => [WAS.map((wa) => (st.listed.has(`SMCCC_ARCH_${wa}`) ? st.workarounds.get(wa)! : null)), hostOf(st).kernel.wa2Scheme]),
  },
  check({ src, dst }) {
    const out: FindingInput[] = [];
    const d = hostOf(dst);
    for (const wa of WAS) {
      const reg = `SMCCC_ARCH_${wa}`;
      if (!src.listed.has(reg) || !dst.listed.has(reg)) continue;
      const sent = src.workarounds.get(wa)!;
      const host = dst.workarounds.get(wa)!;
      // 5.10+ narrows WA2 to NOT_AVAIL(0)/NOT_REQUIRED(3) before comparing
      const compared = wa === 'WORKAROUND_2' && d.kernel.wa2Scheme === 'v5.10' ? (sent <= 1 ? 0 : 3) : sent;
      if (compared <= host) continue;
      out.push({
        severity: 'fail',
        subject: reg,
        message: say((_s, d) => {
          const mapped = compared !== sent ? ` (read as ${levelName(wa, compared)} by ${d.kernel.name})` : '';
          const m = mitigation(d, wa);
          return `the stream carries ${reg} = ${levelName(wa, sent)}${mapped}; destination ${d.name} (${d.cpu.model ?? 'CPU'} ${d.cpu.revision}, ${m.state}: ${m.why}, kernel ${d.kernel.name}) reports ${levelName(wa, host)}, so KVM_SET_ONE_REG fails with -EINVAL`;
        }),
        note: `${reg} ${sent} > destination level ${host}`,
        reference: wa === 'WORKAROUND_2' ? `${REF_SET}; ${REF_510}` : REF_SET,
        side: 'destination',
      });
    }
    return out;
  },
});
