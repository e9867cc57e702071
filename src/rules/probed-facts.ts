// A probed Host carries what its kernel reported (KVM_GET_REG_LIST, firmware register
// values, sysfs). Where that differs from what the version tables imply, say so: the
// verdict rests on the probed value, and the difference is often a distribution backport.
import { defineRule, hostOf, keyOf, type FindingInput } from './rule.js';

// what it reads of a side: nothing unless the host was probed differently from its version
const sideKey = (st: Parameters<typeof hostOf>[0]) => {
  const h = hostOf(st);
  return h.probed.length ? keyOf([h.name, h.probed]) : '';
};

const REF = 'migcheck probe (docs/probe.md): KVM_GET_REG_LIST / KVM_GET_ONE_REG / KVM_CHECK_EXTENSION via migcheck-kvm-probe; /sys/devices/system/cpu/vulnerabilities/*';

export default defineRule({
  id: 'probed-facts',
  description: 'Fields a probed Host reports that differ from what its kernel version implies; the verdict uses the probed values.',
  references: [REF, 'Documentation/virt/kvm/api.rst KVM_GET_REG_LIST; Documentation/ABI/testing/sysfs-devices-system-cpu (vulnerabilities)'],
  key: { reads: [], src: sideKey, dst: sideKey },
  check({ src, dst }) {
    const out: FindingInput[] = [];
    for (const [side, state] of [['source', src], ['destination', dst]] as const) {
      const h = hostOf(state);
      for (const o of h.probed) {
        out.push({
          severity: 'info',
          subject: o.field,
          message: `${side} ${h.name}: ${o.field} is probed as ${o.probed} (${o.evidence}); its version implies ${o.derived}. The verdict uses the probed value.`,
          note: `${o.field} probed on ${h.name}`,
          reference: REF,
          side,
        });
      }
    }
    return out;
  },
});
