// Which fields of a probed Host differ from what its kernel version implies, so the
// `probed-facts` rule can say the verdict rests on what the host reported.
import type { HostModel, KernelModel, ProbedOverride, WorkaroundName } from '../model.js';
import { isFirmwareRegister } from '../kb/registers.js';
import { mitigation } from '../kb/mitigations.js';

const listDiff = (derived: readonly string[], probed: readonly string[]) => {
  const add = probed.filter((x) => !derived.includes(x));
  const drop = derived.filter((x) => !probed.includes(x));
  return [...add.map((x) => `+${x}`), ...drop.map((x) => `-${x}`)].join(' ');
};

// a register the version lists only with a CPU feature this host lacks is not implied (ZCR_EL1 without SVE)
const regs = (k: KernelModel, firmware: boolean, features?: readonly string[]) =>
  k.registers.filter((r) => isFirmwareRegister(r.name) === firmware && (!features || !r.condition?.cpuFeature || features.includes(r.condition.cpuFeature))).map((r) => r.name);

/** field -> [derived, probed] as text; equal texts are no override. */
const FIELDS: Record<string, (k: KernelModel, base: KernelModel, features: readonly string[]) => [string, string]> = {
  'kernel.firmwareRegisters': (k, b, f) => [regs(b, true, f).join(', '), listDiff(regs(b, true, f), regs(k, true))],
  'kernel.systemRegisters': (k, b, f) => [regs(b, false, f).join(', '), listDiff(regs(b, false, f), regs(k, false))],
  'kernel.psci': (k, b) => [b.psci.default, k.psci.default],
  'kernel.hypercallBitmaps': (k, b) => [b.services.join(', '), listDiff(b.services, k.services)],
  'kernel.stolenTime': (k, b) => [String(b.stolenTime.supported), String(k.stolenTime.supported)],
  'kernel.writableImpIdRegs': (k, b) => [String(b.writableImpIdRegs), String(k.writableImpIdRegs)],
};

export function probedOverrides(host: HostModel, base: KernelModel | undefined, evidence: Readonly<Record<string, string>>): ProbedOverride[] {
  const out: ProbedOverride[] = [];
  for (const [field, why] of Object.entries(evidence)) {
    const f = FIELDS[field];
    if (f && base) {
      const [derived, probed] = f(host.kernel, base, host.cpu.features);
      // list fields report the difference; an empty difference is no override
      if (probed !== '' && probed !== derived) out.push({ field, derived: `${base.name}: ${derived || 'none'}`, probed, evidence: why });
      continue;
    }
    const wa = workaroundField(field);
    if (!wa || !host.mitigations[wa]) continue;
    const derived = mitigation({ ...host, mitigations: {} }, wa);
    if (derived.state !== host.mitigations[wa]) out.push({ field, derived: `${derived.state} (${derived.why})`, probed: host.mitigations[wa]!, evidence: why });
  }
  return out;
}

/**
 * /^mitigations\.(WORKAROUND_[123])$/.exec(field)?.[1] as string tests: start-up compiles no
 * expression for it (test/profile/plain-matchers.test.ts holds the two alike).
 */
export function workaroundField(field: string): WorkaroundName | undefined {
  return field.length === 24 && field.startsWith('mitigations.WORKAROUND_') && '123'.includes(field[23]!) ? (field.slice(12) as WorkaroundName) : undefined;
}
