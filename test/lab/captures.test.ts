// Every committed lab capture is a well-formed probe tree with a register dump that
// migcheck's parser contract accepts (tool, format 1, hex ids and values).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureDirs, cpregs, KVM_FIXTURES, readDump, readLab } from './captures.js';

const HEX = /^0x[0-9a-f]{1,16}$/;
const VOLATILE = ['0x603000000013df1a', '0x603000000013df01', '0x603000000013df02', '0x603000000013df12'];
const dirs = captureDirs();

describe.skipIf(!dirs.length)('lab captures (test/fixtures/kvm/<cpu>-<kernel>)', () => {
  it.each(dirs)('%s: the probe tree has the files probe --root reads', (dir) => {
    const root = join(KVM_FIXTURES, dir);
    const lab = readLab(dir);
    expect(dir.startsWith(`${lab.cpu}-${lab.kernel}`)).toBe(true);
    for (const f of ['proc/sys/kernel/osrelease', 'proc/version', 'proc/cmdline', 'sys/devices/system/cpu/cpu0/regs/identification/midr_el1', 'sys/devices/system/cpu/vulnerabilities/spectre_v2', 'capture/kvm-probe.json'])
      expect(existsSync(join(root, f)), f).toBe(true);
    expect(readFileSync(join(root, 'proc/sys/kernel/osrelease'), 'utf8').trim()).toBe(lab.osrelease);
    // 6.19-7.1 packages in the archive ship no config (their linux-base-<abi> has no provider)
    const config = join(root, 'boot', `config-${lab.osrelease}`);
    if (existsSync(config)) expect(readFileSync(config, 'utf8')).toMatch(/^CONFIG_KVM=y$/m);
  });

  it.each(dirs)('%s: the register dump parses, with a value for every migrated register but the timer counters', (dir) => {
    const d = readDump(dir);
    expect(d.tool).toBe('migcheck-kvm-probe');
    expect(d.format).toBe(1);
    expect(d.regList.every((r) => HEX.test(r))).toBe(true);
    expect(new Set(d.regList).size).toBe(d.regList.length);
    const list = cpregs(d);
    expect(d.cpregCount).toBe(list.length);
    for (const [id, v] of Object.entries(d.values)) {
      expect(HEX.test(id) && HEX.test(v), `${id}: ${v}`).toBe(true);
      expect(list).toContain(id);
    }
    expect(Object.keys(d.values).sort()).toEqual(list.filter((id) => !VOLATILE.includes(id)).sort());
    expect(d.vcpuFeatures).toContain('PSCI_0_2');
    // MIDR_EL1 as KVM reports it equals the machine's sysfs view of cpu0
    const midr = readFileSync(join(KVM_FIXTURES, dir, 'sys/devices/system/cpu/cpu0/regs/identification/midr_el1'), 'utf8').trim();
    expect(BigInt(d.values['0x603000000013c000']!)).toBe(BigInt(midr));
  });
});
