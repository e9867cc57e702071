// Errata workarounds are chosen once, at boot, from the MIDR/REVIDR the guest saw (or,
// on 6.15+, from the target implementations the VMM advertised). Moving to silicon
// with errata the guest never worked around leaves it exposed.
import { coreForMidr, erratum, guestErrata, hex32 } from '../kb/cpus.js';
import { mainlineKernel } from '../kb/kernels.js';
import { bhbLoopK } from '../kb/spectre.js';
import { configFailures, defineRule, hostOf, keyOf, pairKey, problemKey, say, type FindingInput } from './rule.js';
import type { CpuIdentity, CpuModel, HostModel } from '../model.js';
import type { TargetState } from '../solver/target-state.js';
import type { VmState } from '../solver/vm-state.js';

const cpuName = (c: CpuModel) => `${c.model ?? hex32(c.midr)} ${c.revision}`;

// what the guest enabled at boot depends on the source side only: once per VM state (fleets
// compare each state with every destination)
const bootMemo = new WeakMap<VmState, { enabled: ReadonlySet<string>; seen: string }>();
function bootErrata(src: VmState) {
  let m = bootMemo.get(src);
  if (!m) {
    const s = hostOf(src);
    const boot = src.targets;
    m = {
      enabled: new Set(boot.bootCpus.flatMap((c) => (c === s.cpu && s.cpu.errata ? s.cpu.errata : guestErrata(c).map((e) => e.id)))),
      seen: boot.viaList
        ? `its target CPU list (${boot.bootCpus.map((c) => hex32(c.midr)).join(', ')})`
        : boot.bootCpus.map((c) => cpuName(c as CpuModel)).join(', '), // the host's own CPUs
    };
    bootMemo.set(src, m);
  }
  return m;
}

// what the check reads of a CPU (identity, errata, the name its messages give), once per CPU
// object: the whole model (features, Spectre classes) is ~20x longer and holds bigints
const cpuKeys = new WeakMap<CpuIdentity, string>();
function cpuKey(c: CpuIdentity): string {
  let k = cpuKeys.get(c);
  if (k === undefined) {
    const m = c as Partial<CpuModel>;
    cpuKeys.set(c, (k = keyOf([c.midr, c.revidr.toString(16), m.model ?? null, m.revision ?? null, m.errata ?? null])));
  }
  return k;
}
const cpusKey = (cs: readonly CpuIdentity[]) => cs.map(cpuKey).join(';');
const srcKeys = new WeakMap<HostModel, WeakMap<TargetState, string>>();
const dstKeys = new WeakMap<HostModel, WeakMap<TargetState, string>>();

const REF_MATCH = 'arch/arm64/kernel/cpu_errata.c is_affected_midr_range (MIDR range + REVIDR fixed_revs); arch/arm64/include/asm/cputype.h';
const REF_BHB = 'arch/arm64/kernel/proton-pack.c spectre_bhb_loop_affected (k = max over the CPUs seen at boot; spectre_bhb_k*_list)';
const REF_TARGET = 'Documentation/virt/kvm/arm/hypercalls.rst DISCOVER_IMPL_VER/CPUS; drivers/firmware/smccc/kvm_guest.c kvm_arm_target_impl_cpu_init (v6.15, commit 86edf6bdcf05)';

export default defineRule({
  id: 'guest-errata',
  description: "Errata of the destination CPU whose workaround runs in the guest must have been enabled by the guest at boot.",
  references: [REF_MATCH, REF_TARGET, REF_BHB, 'Documentation/arch/arm64/silicon-errata.rst'],
  key: {
    reads: ['targets', 'guest.guestKernel'],
    // a side reads its host and its target state (one object per host, list and guest kernel:
    // target-state.ts), so a key is made once per pair of them
    src: (st) =>
      pairKey(srcKeys, hostOf(st), st.targets, () => {
        const s = hostOf(st);
        const t = st.targets;
        return `${keyOf([problemKey(t.problem), t.viaList, t.bootCpus.map((c) => c === s.cpu), s.cpu.errata ?? null, st.endpoint.guest.guestKernel ?? null, s.kernel.bhbScheme])} ${cpusKey(t.bootCpus)}`;
      }),
    dst: (st) => pairKey(dstKeys, hostOf(st), st.targets, () => `${keyOf(problemKey(st.targets.problem))} ${cpuKey(hostOf(st).cpu)} ${cpusKey(hostOf(st).otherCpus)}`),
  },
  check(ctx) {
    const { src, dst } = ctx;
    const out: FindingInput[] = configFailures(ctx, (st) => [st.targets.problem], 'target CPU list', REF_TARGET);
    const s = hostOf(src);
    const d = hostOf(dst);
    const boot = src.targets;
    // every implementation of the destination may run a vCPU (big.LITTLE hosts have several)
    const dstCpus = [d.cpu, ...d.otherCpus];
    const seenAtBoot = (c: CpuModel) => boot.bootCpus.some((b) => b.midr === c.midr && b.revidr === c.revidr);
    if (dstCpus.every(seenAtBoot) && !d.cpu.errata) return out;
    const { enabled } = bootErrata(src);
    const reported = new Set<string>();
    for (const c of dstCpus) {
      const needed = c.errata ? c.errata.filter((id) => erratum(id)?.guestWorkaround !== false) : guestErrata(c).map((e) => e.id);
      for (const id of needed) {
        if (enabled.has(id) || reported.has(id)) continue;
        reported.add(id);
        const e = erratum(id);
        out.push({
          severity: 'unsafe',
          subject: `erratum ${id}`,
          message: say((_s, d) => `${cpuName(c)} on ${d.name} has erratum ${id}${e?.capability ? ` (${e.capability})` : ''}, whose workaround runs in the guest${e?.workaround ? `: ${e.workaround}` : ''}; the guest chose its workarounds at boot from ${bootErrata(src).seen} and did not enable it`),
          note: `erratum ${id} not worked around by the guest`,
          reference: `${REF_MATCH}; erratum ${id}${e?.source ? ` (${e.source})` : ''}`,
          side: 'destination',
        });
      }
    }
    // The guest patched its Spectre-BHB loop for the largest k among the CPUs it booted on
    // (its own kernel's lists; the source host's kernel era when the guest kernel is unknown).
    const guestKernel = ctx.src.endpoint.guest.guestKernel; // already normalised to X.Y
    const scheme = (guestKernel && mainlineKernel(guestKernel)?.bhbScheme) || s.kernel.bhbScheme;
    const bootK = Math.max(0, ...boot.bootCpus.map((c) => bhbLoopK(coreForMidr(c.midr), scheme)));
    const worst = dstCpus.reduce((a, c) => (bhbLoopK(coreForMidr(c.midr), scheme) > bhbLoopK(coreForMidr(a.midr), scheme) ? c : a));
    const needK = bhbLoopK(coreForMidr(worst.midr), scheme);
    if (needK > bootK) {
      out.push({
        severity: 'unsafe',
        subject: 'Spectre-BHB loop',
        message: say((_s, d) => `${worst.model ?? hex32(worst.midr)} needs the Spectre-BHB branchy loop with k=${needK}; the guest patched k=${bootK || 'none'} at boot, so its branch-history clearing is too short on ${d.name}`),
        note: `BHB loop k=${bootK} < ${needK}`,
        reference: REF_BHB,
        side: 'destination',
      });
    }
    return out;
  },
});
