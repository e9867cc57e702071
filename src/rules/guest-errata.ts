// Errata workarounds are chosen once, at boot, from the MIDR/REVIDR the guest saw (or,
// on 6.15+, from the target implementations the VMM advertised). Moving to silicon
// with errata the guest never worked around leaves it exposed.
import type { CpuIdentity } from '../model.js';
import { erratum, guestErrata, hex32 } from '../kb/cpus.js';
import { compareVersions } from '../kb/version.js';
import type { VmState } from '../solver/vm-state.js';
import { defineRule, hostOf, type FindingInput } from './rule.js';

const REF_MATCH = 'arch/arm64/kernel/cpu_errata.c is_affected_midr_range (MIDR range + REVIDR fixed_revs); arch/arm64/include/asm/cputype.h';
const REF_TARGET = 'Documentation/virt/kvm/arm/hypercalls.rst DISCOVER_IMPL_VER/CPUS; drivers/firmware/smccc/kvm_guest.c kvm_arm_target_impl_cpu_init (v6.15, commit 86edf6bdcf05)';

/** Whether the guest booted with a target-implementation list, and the CPUs it covers. */
function bootTargets(src: VmState): { cpus: readonly CpuIdentity[]; viaList: boolean; problem?: string } {
  const { host, guest } = src.endpoint;
  const targets = guest.targetCpus;
  if (!targets?.length) return { cpus: [host.cpu], viaList: false };
  const why = !host.kernel.targetImplCpus
    ? `kernel ${host.kernel.name} lacks the DISCOVER_IMPL hypercalls (6.15+)`
    : !host.vmm.canSet.targetCpus
      ? `VMM ${host.vmm.name} cannot advertise target CPUs`
      : undefined;
  // an older guest kernel ignores the list: not a configuration problem, but no union either
  if (!why && guest.guestKernel && compareVersions(guest.guestKernel, '6.15') < 0) return { cpus: [host.cpu], viaList: false };
  return why ? { cpus: [host.cpu], viaList: false, problem: why } : { cpus: targets, viaList: true };
}

export default defineRule({
  id: 'guest-errata',
  description: "Errata of the destination CPU whose workaround runs in the guest must have been enabled by the guest at boot.",
  references: [REF_MATCH, REF_TARGET, 'Documentation/arch/arm64/silicon-errata.rst'],
  check({ src, dst }) {
    const out: FindingInput[] = [];
    const s = hostOf(src);
    const d = hostOf(dst);
    const boot = bootTargets(src);
    if (boot.problem && src.endpoint.guest.targetCpus?.length)
      out.push({ severity: 'fail', subject: 'guest.targetCpus', message: `cannot advertise target CPUs on ${s.name}: ${boot.problem}`, note: 'target CPU list cannot be applied on the source', reference: REF_TARGET, side: 'source' });
    const same = boot.cpus.some((c) => c.midr === d.cpu.midr && c.revidr === d.cpu.revidr);
    if (same && !d.cpu.errata) return out;
    const enabled = new Set(boot.cpus.flatMap((c) => (c === s.cpu && s.cpu.errata ? s.cpu.errata : guestErrata(c).map((e) => e.id))));
    const needed = d.cpu.errata ? d.cpu.errata.filter((id) => erratum(id)?.guestWorkaround !== false) : guestErrata(d.cpu).map((e) => e.id);
    for (const id of needed) {
      if (enabled.has(id)) continue;
      const e = erratum(id);
      const seen = boot.viaList ? `its target CPU list (${boot.cpus.map((c) => hex32(c.midr)).join(', ')})` : `${s.cpu.model ?? hex32(s.cpu.midr)} ${s.cpu.revision}`;
      out.push({
        severity: 'unsafe',
        subject: `erratum ${id}`,
        message: `${d.cpu.model ?? hex32(d.cpu.midr)} ${d.cpu.revision} on ${d.name} has erratum ${id}${e?.capability ? ` (${e.capability})` : ''}, whose workaround runs in the guest${e?.workaround ? `: ${e.workaround}` : ''}; the guest chose its workarounds at boot from ${seen} and did not enable it`,
        note: `erratum ${id} not worked around by the guest`,
        reference: `${REF_MATCH}; erratum ${id}${e?.source ? ` (${e.source})` : ''}`,
        side: 'destination',
      });
    }
    return out;
  },
});
