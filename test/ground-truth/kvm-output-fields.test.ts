// The helper's newer output (values of every migrated register, the vCPU it initialised, the
// KVM-relevant boot options) is read by probe --kvm and recorded in the Host profile; an
// older capture without those fields still reads.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { TMP, cli } from '../helpers.js';
import { KVM_FIXTURES, readDump } from '../lab/captures.js';
import { kvmFacts, parseKvmProbe } from '../../src/probe/kvm-output.js';
import { ProbeError } from '../../src/probe/tree.js';

const LAB = 'max-7.3.4';
const labText = () => readFileSync(join(KVM_FIXTURES, LAB, 'capture', 'kvm-probe.json'), 'utf8');
const OLD = join('test', 'fixtures', 'hosts', 'graviton3-v1-al2023-6.1', 'capture', 'kvm-probe.json');

describe('probe --kvm reads the helper output of issue 13', () => {
  it('a lab capture: the feature set, boot options, every register value', () => {
    const out = parseKvmProbe(labText(), LAB);
    expect(out.featureSet).toBe('qemu-7.0');
    expect(out.bootOptions).toEqual([]);
    expect(out.cmdline).toMatch(/rdinit=\/init/);
    const f = kvmFacts(out);
    expect(f.vcpuFeatures).toEqual(['PSCI_0_2', 'PMU_V3', 'SVE', 'PTRAUTH_ADDRESS', 'PTRAUTH_GENERIC']);
    const dump = readDump(LAB);
    expect(Object.keys(f.registerValues)).toHaveLength(Object.keys(dump.values).length);
    // catalogue names where the catalogue has the register, the Arm generic name otherwise
    expect(f.registerValues.MIDR_EL1).toBe(dump.values['0x603000000013c000']);
    expect(f.registerValues.PSCI_VERSION).toBe('0x10003');
    expect(f.registerValues.S3_0_C0_C4_0).toBe(dump.values['0x603000000013c020']); // ID_AA64PFR0_EL1, in ID_REG_SPACE
    expect(f.registerValues.DEMUX_CCSIDR_1).toBe(dump.values['0x6020000000110001']);
    expect(new Set(Object.values(f.registerValues).map((v) => BigInt(v)))).toEqual(new Set(Object.values(dump.values).map((v) => BigInt(v))));
  });

  it('the helper\'s KVM_REG_ARM64_SVE_VLS bitmap becomes vector lengths in bits (bit n: 128 * (n + 1))', () => {
    const f = kvmFacts(parseKvmProbe(JSON.stringify({ ...JSON.parse(labText()), sveVectorLengths: '0x3' }), LAB));
    expect(f.sveVectorLengths).toEqual([128, 256]);
    // the lab's emulated host offers every length QEMU handles (128 ... 2048)
    expect(kvmFacts(parseKvmProbe(labText(), LAB)).sveVectorLengths).toEqual(Array.from({ length: 16 }, (_, i) => 128 * (i + 1)));
  });

  it('an older capture (no boot options, feature set or cmdline) still reads', () => {
    const out = parseKvmProbe(readFileSync(OLD, 'utf8'), OLD);
    expect(out.bootOptions).toBeUndefined();
    expect(out.featureSet).toBeUndefined();
    expect(kvmFacts(out).bootOptions).toBeUndefined();
  });

  it.each([
    [{ mode: 'replay' }, 'not a capture'],
    [{ bootOptions: 'kvm-arm.mode=nvhe' }, "'bootOptions'"],
    [{ bootOptions: ['kvm-arm.mode nvhe'] }, 'not a kernel command-line option'],
    [{ cmdline: 7 }, 'cmdline: must be a string'],
    [{ sveVectorLengths: 'all' }, 'not a hex bitmap'],
  ])('refuses %j', (patch, message) => {
    const doc = { ...JSON.parse(labText()), ...patch };
    expect(() => parseKvmProbe(JSON.stringify(doc), 'x')).toThrow(ProbeError);
    expect(() => parseKvmProbe(JSON.stringify(doc), 'x')).toThrow(message);
  });

  it('records the vCPU features and register values in the profile, and says a KVM boot option is not modelled (kvm-arm.mode=nvhe is: no note)', async () => {
    const tree = join(TMP, `nvhe-${process.pid}`);
    rmSync(tree, { recursive: true, force: true });
    mkdirSync(tree, { recursive: true });
    cpSync(join(KVM_FIXTURES, LAB), tree, { recursive: true });
    const doc = JSON.parse(labText());
    doc.bootOptions = ['kvm-arm.mode=nvhe', 'arm64.nomops'];
    writeFileSync(join(tree, 'capture', 'kvm-probe.json'), JSON.stringify(doc));
    const r = await cli('probe', '--root', tree, '--kvm', '--vmm', 'qemu-10.0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('booted with arm64.nomops:');
    expect(r.stderr).not.toContain('kvm-arm.mode=nvhe');
    const probe = (parse(r.stdout) as { probe: Record<string, unknown> }).probe;
    expect(probe.bootOptions).toEqual(['kvm-arm.mode=nvhe', 'arm64.nomops']);
    expect(probe.vcpuFeatures).toContain('SVE');
    expect(Object.keys(probe.registerValues as object)).toHaveLength(Object.keys(doc.values).length);
    rmSync(tree, { recursive: true, force: true });
  });
});
