// What a verdict rests on that no profile said: a distribution release read as mainline X.Y.0
// (its name hides the upstream stable version and so its backports), a CPU named without a
// revision (errata and MIDR equality depend on it), ID-register values of a core that neither a
// public source nor the lab confirmed (id-registers compares them), an explicit ID-register
// override the host's kernel does not parse (read as not given). Info only: the other rules
// already used the assumption; this says so, so that a verdict can be read for what it rests on.
import type { VmState } from '../solver/vm-state.js';
import { ignoredOverrides, overrideSince, overrideValueUnread } from '../solver/id-state.js';
import type { HostModel } from '../model.js';
import { acceptanceLevel } from '../kb/id-registers.js';
import { defineRule, hostOf, keyOf, pairKey, type FindingInput, type PairContext } from './rule.js';

// what it reads of a side: nothing unless something there was assumed
const unconfirmedCore = (st: VmState) => {
  const core = st.id.source === 'derived' ? st.id.core : undefined;
  return core && core.status !== 'verified' && !core.labCaptures ? core : undefined;
};
// a side reads its host and its ID state: a key made once per pair of them
const keys = new WeakMap<HostModel, WeakMap<VmState['id'], string>>();
const sideKey = (st: VmState) => pairKey(keys, hostOf(st), st.id, () => sideParts(st));
const sideParts = (st: VmState) => {
  const h = hostOf(st);
  const kernel = h.kernel.assumption && !h.kernel.probedRegisterList;
  const cpus = [h.cpu, ...h.otherCpus];
  const core = unconfirmedCore(st);
  const ignored = ignoredOverrides(st.endpoint);
  if (!kernel && !core && !ignored.length && !cpus.some((c) => c.assumption)) return '';
  return keyOf([
    kernel ? [h.kernel.assumption, h.kernel.version, h.kernel.release] : null,
    cpus.map((c) => (c.assumption ? [c.assumption, c.model ?? null, c.revision] : null)),
    core ? [core.core, core.status, core.reference] : null,
    ignored,
    // the message names the release; why an override is ignored reads the acceptance level (a point release)
    ignored.length ? [h.kernel.release, acceptanceLevel(h.kernel)] : null,
  ]);
};

const CPU_REF = 'MIDR_EL1 Variant[23:20] and Revision[3:0] (Arm ARM D23.2); arch/arm64/include/asm/cputype.h MIDR_CPU_VAR_REV, the errata ranges (cpu_errata.c) compare them';
const KERNEL_REF = 'Documentation/process/stable-kernel-rules.rst (stable point releases carry backports; a distribution release name such as 5.15.0-91-generic keeps .0)';
const OVERRIDE_REF = 'arch/arm64/kernel/idreg-override.c (arch/arm64/kernel/pi/idreg-override.c from 6.9): a command-line word matches only the register tables and fields the release lists; kb/id-registers.yaml bootOverrideFields gives the release of each';
const ID_REF = 'kb/id-registers.yaml cores: each core\'s ID-register values with their status and source; a host probed with migcheck probe --kvm is compared on its own KVM_GET_ONE_REG values';

export default defineRule({
  id: 'assumptions',
  description:
    'What the verdict assumes because a profile did not say it: the upstream base of a distribution kernel, the revision of a CPU named without one, ID-register values of a core no public source or lab capture confirmed; and a stated ID-register boot override the host\'s kernel does not parse, read as not given.',
  references: [KERNEL_REF, CPU_REF, ID_REF, OVERRIDE_REF],
  key: { reads: ['id'], src: sideKey, dst: sideKey },
  check({ src, dst }) {
    const out: FindingInput[] = [];
    for (const [side, state] of [['source', src], ['destination', dst]] as const) {
      const h = hostOf(state);
      // the host is named for the pair asked: the key holds no name, so pairs share the findings
      const on = (rest: string) => (c: PairContext) => `${side} ${hostOf(side === 'source' ? c.src : c.dst).name}: ${rest}`;
      if (h.kernel.assumption && !h.kernel.probedRegisterList)
        out.push({
          severity: 'info',
          subject: 'kernel.version',
          message: on(`${h.kernel.assumption}.`),
          note: `${h.kernel.version} read as mainline ${h.kernel.release}.0`,
          reference: KERNEL_REF,
          side,
        });
      for (const [subject, cpu] of [['cpu.revision', h.cpu], ...h.otherCpus.map((c, i) => [`otherCpus[${i}].revision`, c] as const)] as const)
        if (cpu.assumption)
          out.push({ severity: 'info', subject, message: on(`${cpu.assumption}.`), note: `${cpu.model ?? 'CPU'} ${cpu.revision} assumed`, reference: CPU_REF, side });
      // derived (not probed) values of a core whose table entry no source or lab capture confirmed
      const core = unconfirmedCore(state);
      if (core)
        out.push({
          severity: 'info',
          subject: 'cpu.idRegisters',
          message: on(`the ID-register values of ${core.core} are ${core.status}, not verified against a public source or a real kernel, and rule id-registers compares them; probe the host with \`migcheck probe --kvm\`, or set idRegisters in the Host profile.`),
          note: `${core.core} ID registers ${core.status}`,
          reference: core.reference,
          side,
        });
      // an override an older kernel does not know is just not matched: the value stays the core's
      for (const o of ignoredOverrides(state.endpoint)) {
        const since = overrideSince(o);
        const why = overrideValueUnread(state.endpoint, o)
          ? 'its idreg-override.c reads one hex digit from 6.8, a C integer before, and not this value'
          : since
            ? `its idreg-override.c table and field are from ${since}`
            : 'no idreg-override.c has that register table or field';
        out.push({
          severity: 'info',
          subject: 'idRegisters.bootOptions',
          message: on(`boot option ${o} is not parsed by linux ${h.kernel.release} (${why}), so the verdict reads the field as not overridden.`),
          note: `${o} ignored by linux ${h.kernel.release}`,
          reference: OVERRIDE_REF,
          side,
        });
      }
    }
    return out;
  },
});
