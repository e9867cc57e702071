// The helper's JSON -> catalogue names and values, on fixture outputs built from the
// kernel's documented register ids (test/fixtures/hosts/make-kvm-probe.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kvmFacts, parseKvmProbe } from '../../src/probe/kvm-output.js';
import { catalogueList, decodeId, describeId } from '../../src/kb/reg-ids.js';
import { ProbeError } from '../../src/probe/tree.js';
import { FIXTURES } from './trees.js';

const facts = (tree: string) => kvmFacts(parseKvmProbe(readFileSync(join(FIXTURES, tree, 'capture/kvm-probe.json'), 'utf8'), tree));

describe('register ids (arch/arm64/include/uapi/asm/kvm.h)', () => {
  it.each([
    ['0x6030000000140000', 'firmware', 0],
    ['0x6030000000140003', 'firmware', 3],
    ['0x6030000000160002', 'bitmap', 2],
    ['0x6020000000110002', 'demux', 2],
    ['0x6030000000100040', 'core', 0x40],
    ['0x6080000000150000', 'sve', 0],
  ])('%s is a %s register, index %i', (id, cls, index) => {
    expect(decodeId(BigInt(id))).toMatchObject({ class: cls, index });
  });

  it('system registers decode to (op0, op1, CRn, CRm, op2) as QEMU prints them', () => {
    expect(decodeId(0x603000000013c000n).encoding).toEqual([3, 0, 0, 0, 0]); // MIDR_EL1
    expect(decodeId(0x603000000013df1an).encoding).toEqual([3, 3, 14, 3, 2]); // KVM_REG_ARM_TIMER_CNT
    expect(describeId(0x603000000013c083n)).toBe('0x603000000013c083 (system register op0:3 op1:0 crn:1 crm:0 op2:3)');
  });

  it('maps catalogued ids to names, groups by their members, drops core/baseline, keeps the rest raw', () => {
    const list = catalogueList([
      0x6030000000100000n, // x0: core, not sent through cpreg
      0x603000000013c000n, // MIDR_EL1
      0x603000000013c020n, // ID_AA64PFR0_EL1 -> ID_REG_SPACE
      0x603000000013dce1n, // PMCNTENSET_EL0 -> PMU_REGS
      0x603000000013c100n, // SCTLR_EL1: baseline
      0x603000000013c083n, // SCTLR2_EL1: not catalogued
      0x6020000000110000n, // DEMUX CCSIDR 0
      0x6030000000140001n, // SMCCC_ARCH_WORKAROUND_1
      0x6030000000140009n, // a firmware register nobody documented yet
    ]);
    expect(list.firmware).toEqual(['SMCCC_ARCH_WORKAROUND_1', '0x6030000000140009']);
    expect(list.system).toEqual(expect.arrayContaining(['MIDR_EL1', 'ID_REG_SPACE', 'PMU_REGS', 'DEMUX_CCSIDR_HOST', '0x603000000013c083']));
    expect(list.system).not.toContain('DEMUX_CCSIDR_REST');
    expect(list.unknown).toEqual(['0x603000000013c083', '0x6030000000140009']);
  });
});

describe('fixture outputs', () => {
  it('Altra, Ubuntu 5.15.167: WA3 (5.15.28 backport), no bitmaps, PSCI 1.0, 3 DEMUX entries', () => {
    const f = facts('altra-n1-ubuntu-5.15');
    expect(f.firmwareRegisters).toEqual(['PSCI_VERSION', 'SMCCC_ARCH_WORKAROUND_1', 'SMCCC_ARCH_WORKAROUND_2', 'SMCCC_ARCH_WORKAROUND_3']);
    expect(f.systemRegisters).toEqual(expect.arrayContaining(['ID_REG_SPACE', 'ID_AA64ZFR0_EL1', 'DISR_EL1', 'PMU_REGS', 'PMCR_EL0', 'DEMUX_CCSIDR_HOST']));
    expect(f.systemRegisters).not.toContain('OSLSR_EL1');
    expect(f.uncatalogued).toEqual([]);
    expect(f.psciDefault).toBe('1.0');
    expect(f.workaroundLevels).toEqual({ WORKAROUND_1: 2, WORKAROUND_2: 0, WORKAROUND_3: 1 });
    expect(f.bitmaps).toEqual({});
    expect(f.midr).toBe(0x413fd0c1);
    expect(f.stolenTime).toBe(true);
  });

  it('Graviton3, 6.1: bitmaps read back at reset, OSLSR (5.18), PSCI 1.1', () => {
    const f = facts('graviton3-v1-al2023-6.1');
    expect(f.firmwareRegisters).toEqual(['PSCI_VERSION', 'SMCCC_ARCH_WORKAROUND_1', 'SMCCC_ARCH_WORKAROUND_2', 'SMCCC_ARCH_WORKAROUND_3', 'STD_BMAP', 'STD_HYP_BMAP', 'VENDOR_HYP_BMAP']);
    expect(f.bitmaps).toEqual({ STD_BMAP: ['TRNG_V1_0'], STD_HYP_BMAP: ['PV_TIME'], VENDOR_HYP_BMAP: ['FUNC_FEAT', 'PTP'] });
    expect(f.systemRegisters).toContain('OSLSR_EL1');
    expect(f.psciDefault).toBe('1.1');
  });

  it('RK3399: KVM reports the MIDR of the CPU that initialised it (cpu0, Cortex-A53)', () => {
    const f = facts('rk3399-biglittle-debian-6.1');
    expect(f.midr).toBe(0x410fd034);
    expect(f.workaroundLevels).toEqual({ WORKAROUND_1: 1, WORKAROUND_2: 3, WORKAROUND_3: 1 });
  });
});

describe('malformed helper output is a clean error', () => {
  it.each([
    ['not JSON', 'not JSON'],
    ['{"tool":"something-else","format":1,"regList":[]}', "'tool' is not migcheck-kvm-probe"],
    ['{"tool":"migcheck-kvm-probe","format":2,"regList":[]}', 'format 2'],
    ['{"tool":"migcheck-kvm-probe","format":1,"regList":["zz"]}', "'regList'"],
    ['{"tool":"migcheck-kvm-probe","format":1,"regList":[],"values":{"0x1":5}}', "'values'"],
  ])('%s', (text, message) => {
    expect(() => parseKvmProbe(text, 'out.json')).toThrow(ProbeError);
    expect(() => parseKvmProbe(text, 'out.json')).toThrow(message);
  });
});

// the kernel reads '-' and '_' alike in these option names: a helper whose filter did not left
// kvm_arm.mode=nvhe and id-aa64pfr0.sve=0 out of bootOptions; they are taken from the command line
describe('boot options', () => {
  const KVM = join(FIXTURES, '..', 'kvm');
  const real = (tree: string) => kvmFacts(parseKvmProbe(readFileSync(join(KVM, tree, 'capture/kvm-probe.json'), 'utf8'), tree));
  const capture = (tree: string, edit: (o: Record<string, unknown>) => void) => {
    const o = JSON.parse(readFileSync(join(KVM, tree, 'capture/kvm-probe.json'), 'utf8')) as Record<string, unknown>;
    edit(o);
    return kvmFacts(parseKvmProbe(JSON.stringify(o), tree));
  };
  it("takes the command line's relevant words the helper left out, spelt either way", () => {
    const f = capture('neoverse-n1-6.12.118', (o) => {
      o.cmdline = `${o.cmdline} kvm_arm.mode=nvhe id-aa64pfr0.sve=0 arm64.nosve nokaslr kvmx=1 idle=poll`;
      o.bootOptions = ['arm64.nosve'];
    });
    expect(f.bootOptions).toEqual(['arm64.nosve', 'kvm_arm.mode=nvhe', 'id-aa64pfr0.sve=0', 'nokaslr']);
  });
  it("keeps the helper's list as it is when it left nothing out", () => {
    expect(real('max-7.3.4-nvhe').bootOptions).toEqual(['kvm-arm.mode=nvhe']);
    expect(real('neoverse-n1-6.12.118').bootOptions).toEqual([]);
  });
});
