// PSCI version: carried by the PSCI_VERSION register (the destination must implement
// the value) or not carried (the guest sees whatever the destination offers).
import { compareVersions } from '../kb/version.js';
import { configFailures, defineRule, hostOf, keyOf, problemKey, say, type FindingInput } from './rule.js';

const REF_SET = 'arch/arm64/kvm/hypercalls.c kvm_arm_set_fw_reg (PSCI_VERSION: only implemented versions, else -EINVAL); Documentation/virt/kvm/arm/fw-pseudo-registers.rst';
const REF_DOC = 'Documentation/virtual/kvm/arm/psci.txt (commit 85bd0ba1ff98): "a migration causes a different PSCI version to be exposed out of the blue"';

export default defineRule({
  id: 'psci-version',
  description: 'The PSCI version the guest probed at boot must be restorable on the destination, or at least not drop under the guest.',
  references: [REF_SET, REF_DOC],
  key: {
    reads: ['psci', 'listed'],
    src: (st) => keyOf([st.psci.version, problemKey(st.psci.problem), st.listed.has('PSCI_VERSION')]),
    dst: (st) => keyOf([st.psci.version, problemKey(st.psci.problem), st.listed.has('PSCI_VERSION'), hostOf(st).kernel.psci.versions]),
  },
  check(ctx) {
    const { src, dst } = ctx;
    const out: FindingInput[] = configFailures(ctx, (s) => [s.psci.problem], 'PSCI pin', REF_SET);
    const d = hostOf(dst);
    const before = src.psci.version;
    if (src.listed.has('PSCI_VERSION')) {
      if (!dst.listed.has('PSCI_VERSION')) return out; // register-list reports the unknown register
      if (!d.kernel.psci.versions.includes(before)) {
        out.push({
          severity: 'fail',
          subject: 'PSCI_VERSION',
          message: say((s, d) => `the stream carries PSCI_VERSION = ${before} from ${s.kernel.name}; destination kernel ${d.kernel.name} implements PSCI ${d.kernel.psci.versions.join(', ')} only, so KVM_SET_ONE_REG fails with -EINVAL (pin the guest to ${d.kernel.psci.versions.at(-1)} on the source to avoid it)`),
          note: `destination cannot restore PSCI ${before}`,
          reference: REF_SET,
          side: 'destination',
        });
      }
      return out;
    }
    // not carried: the destination keeps its own pin or default
    const after = dst.psci.version;
    const cmp = compareVersions(after, before);
    if (cmp < 0)
      out.push({
        severity: 'unsafe',
        subject: 'PSCI_VERSION',
        message: say((s, d) => `the guest booted with PSCI ${before} on ${s.name} and will see PSCI ${after} on ${d.name}: no register carries the version, and calls it discovered (PSCI_FEATURES, SMCCC_VERSION, ARCH_WORKAROUND_1) may vanish under it`),
        note: `PSCI ${before} -> ${after} under a running guest`,
        reference: REF_DOC,
        side: 'destination',
      });
    else if (cmp > 0)
      out.push({
        severity: 'info',
        subject: 'PSCI_VERSION',
        message: say((_s, d) => `the guest booted with PSCI ${before} and will see PSCI ${after} on ${d.name}; PSCI ${after} is backward compatible with ${before}`),
        note: `PSCI ${after} is backward compatible with ${before}`,
        reference: REF_DOC,
        side: 'destination',
      });
    return out;
  },
});
