// For every lab kernel the knowledge base models (linux-X.Y.Z: X.Y plus the stable backports up
// to Z), what real KVM reported equals the version-derived profile for that kernel and CPU:
// the catalogued registers listed, the PSCI version, the hypercall bitmap values, the
// capabilities, the SMCCC workaround levels.
import { describe, expect, it } from 'vitest';
import { Resolver, DEFAULT_GUEST } from '../../src/profile/resolve.js';
import { mainlineKernel } from '../../src/kb/kernels.js';
import { registerInfo } from '../../src/kb/registers.js';
import { vmState } from '../../src/solver/vm-state.js';
import { kvmFacts, parseKvmProbe } from '../../src/probe/kvm-output.js';
import { readDump } from '../lab/captures.js';
import { writeProfile } from '../helpers.js';
import { captures, derivedDoc } from './lab.js';

const resolver = new Resolver();
const known = captures.filter((c) => mainlineKernel(c.lab.kernel)).map((c) => c.dir);

function sides(dir: string) {
  const dump = readDump(dir);
  const facts = kvmFacts(parseKvmProbe(JSON.stringify(dump), dir));
  const host = resolver.host(writeProfile(derivedDoc(dir), `gt-derived-${dir}`));
  return { dump, facts, host, state: vmState({ host, guest: DEFAULT_GUEST }) };
}

describe.skipIf(!known.length)('real KVM = the version-derived profile', () => {
  it('covers every lab kernel the timeline reaches (5.10 ... 7.3)', () => {
    expect(known.length).toBe(captures.length);
  });

  it.each(known)('%s: the catalogued registers listed', (dir) => {
    const { facts, state } = sides(dir);
    const probed = [...facts.firmwareRegisters, ...facts.systemRegisters].sort();
    expect(probed).toEqual([...state.listed].sort());
  });

  it.each(known)('%s: PSCI version, bitmap values, capabilities, SMCCC levels', (dir) => {
    const { dump, facts, host, state } = sides(dir);
    expect(facts.psciDefault).toBe(state.psci.version);
    for (const reg of ['STD_BMAP', 'STD_HYP_BMAP', 'VENDOR_HYP_BMAP', 'VENDOR_HYP_BMAP_2']) {
      const v = dump.values[registerInfo(reg)!.id!];
      if (v === undefined) {
        expect(state.listed.has(reg), reg).toBe(false);
        continue;
      }
      // VENDOR_HYP_BMAP_2 resets to 0 whatever the kernel offers (fw-pseudo-registers.rst)
      const derived = registerInfo(reg)!.reset === 'none' ? 0 : state.values.get(reg);
      expect(Number(BigInt(v)), reg).toBe(derived);
    }
    expect((dump.capabilities.KVM_CAP_STEAL_TIME ?? 0) > 0).toBe(host.kernel.stolenTime.supported);
    expect((dump.capabilities.KVM_CAP_ARM_WRITABLE_IMP_ID_REGS ?? 0) > 0).toBe(host.kernel.writableImpIdRegs);
    for (const wa of ['WORKAROUND_1', 'WORKAROUND_2', 'WORKAROUND_3'] as const)
      if (facts.workaroundLevels[wa] !== undefined) expect(facts.workaroundLevels[wa], wa).toBe(state.workarounds.get(wa));
  });
});
