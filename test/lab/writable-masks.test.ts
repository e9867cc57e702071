// The acceptance table (kb/id-registers.yaml) against the writable masks real kernels report:
// the lab's captures on 6.7+ kernels carry KVM_ARM_GET_REG_WRITABLE_MASKS (`writableMasks`,
// native/kvm-probe.c). KVM_SET_ONE_REG keeps every bit outside the mask equal to its own value
// (arm64_check_features), so a field the table judges `lower` must lie inside the mask: one
// outside it is a clean verdict where KVM refuses. A field inside the mask that the table still
// judges exact errs towards fail; each is named below with why, so that a kernel that makes more
// fields writable shows up here.
import { describe, expect, it } from 'vitest';
import { kb } from '../../src/kb/data.js';
import { fieldMask, fieldsOf, ID_REGISTERS, judgeTable } from '../../src/kb/id-registers.js';
import { mainlineKernel } from '../../src/kb/kernels.js';
import { captureDirs, readDump, readLab } from './captures.js';

const withMasks = captureDirs()
  .map((dir) => ({ dir, dump: readDump(dir) as ReturnType<typeof readDump> & { writableMasks?: Record<string, string> }, lab: readLab(dir) }))
  .filter((c) => c.dump.writableMasks);

const sysregId = (reg: string) => {
  const [op0, op1, crn, crm, op2] = kb.idRegisters.registers[reg]!.map(BigInt);
  return `0x${(0x6030000000130000n | (op0! << 14n) | (op1! << 11n) | (crn! << 7n) | (crm! << 3n) | op2!).toString(16).padStart(16, '0')}`;
};
const MIDR = ['0x603000000013c000', '0x603000000013c006', '0x603000000013c807']; // MIDR_EL1, REVIDR_EL1, AIDR_EL1

/** Fields in the mask the table judges exact, and why that stands. */
const STRICTER: Record<string, string> = {
  'ID_AA64PFR0_EL1.RME': 'cpufeature.c does not describe RME, so arm64_check_features holds it equal although it is in the mask',
  'ID_AA64MMFR0_EL1.TGran4_2': 'writable from 6.15 (3f1e07275341), FTR_EXACT with safe value 1: KVM takes its own value or 1; exact errs only for a source showing 1',
  'ID_AA64MMFR0_EL1.TGran16_2': 'as TGran4_2',
  'ID_AA64MMFR0_EL1.TGran64_2': 'as TGran4_2',
  'ID_MMFR4_EL1.SpecSEI': 'FTR_HIGHER_SAFE: the table has no higher judgement, so it is held equal',
  'CTR_EL0.L1Ip': 'writable from 6.13 (e9b57d7f9740), FTR_EXACT with safe value VIPT (2): KVM takes its own value or VIPT; exact errs only for a VIPT source',
};
/** Fields the table judges otherwise than by the mask: their own set_user handlers decide. */
const OWN_RULES: Record<string, string> = {
  CLIDR_EL1: 'accept: set_clidr checks the geometry itself (7af0c2534f4c)',
  'CTR_EL0.DIC': "the table's DIC runs to bit 31 (up to TminLine); bits 31:30 are RES1/RES0, equal on every host",
};

describe('acceptance table vs KVM_ARM_GET_REG_WRITABLE_MASKS', () => {
  it('has captures with masks on 6.12 ... 7.3', () => {
    expect(withMasks.map((c) => c.lab.kernel)).toEqual(expect.arrayContaining(['6.12.118', '6.16.12', '7.3.4']));
  });

  for (const { dir, dump, lab } of withMasks) {
    const masks = dump.writableMasks!;
    const release = lab.kernel;
    it(`${dir}: every field judged lower is writable; every writable named field judged exact is listed`, () => {
      const permissive: string[] = [];
      const stricter: string[] = [];
      for (const reg of ID_REGISTERS) {
        if (reg in OWN_RULES) continue;
        const mask = BigInt(masks[sysregId(reg)] ?? '0');
        const table = judgeTable(release, reg);
        fieldsOf(reg).forEach((f, i) => {
          const ref = `${reg}.${f.name}`;
          // unnamed fields are RES0 on every core the kb describes: equal whatever the judgement
          if (f.name.startsWith('bits[') || ref in OWN_RULES) return;
          const bits = fieldMask(reg, f);
          const judge = table[i]!.judge;
          if (judge === 'lower' && (mask & bits) !== bits) permissive.push(ref);
          if (judge === 'exact' && (mask & bits) === bits && !(ref in STRICTER)) stricter.push(ref);
        });
      }
      expect(permissive, 'judged lower but outside the mask').toEqual([]);
      expect(stricter, 'writable but judged exact (add to STRICTER with a reason, or judge it)').toEqual([]);
    });

    it(`${dir}: MIDR/REVIDR/AIDR are writable exactly when the kernel model says so`, () => {
      const model = mainlineKernel(release)!;
      for (const id of MIDR) expect(id in masks, id).toBe(model.writableImpIdRegs);
    });
  }

  it('every STRICTER entry is still in some mask (a stale one is dropped)', () => {
    for (const ref of Object.keys(STRICTER)) {
      const [reg, name] = ref.split('.') as [string, string];
      const f = fieldsOf(reg).find((x) => x.name === name)!;
      const bits = fieldMask(reg, f);
      expect(
        withMasks.some((c) => (BigInt(c.dump.writableMasks![sysregId(reg)] ?? '0') & bits) === bits),
        ref,
      ).toBe(true);
    }
  });
});
