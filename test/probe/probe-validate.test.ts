// What probe writes is a profile `migcheck validate` accepts, or probe refuses (exit 3) and
// names the capture file that is wrong: identification registers wider than they are,
// register lists KVM cannot have given, control characters in probed text. A seeded fuzz
// over mutated capture trees holds probe to: never exit 0 with a profile validate rejects,
// never exit 4, never a stack.
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { checkRoundTrip } from '../../src/probe/round-trip.js';
import { ProbeError } from '../../src/probe/tree.js';
import { FIXTURES, TREES } from './trees.js';

// outside the project: a FIFO under test/ would block the test runner's scan of the tree
const BASE = mkdtempSync(join(tmpdir(), 'migcheck-probe-validate-'));
afterAll(() => rmSync(BASE, { recursive: true, force: true }), 60_000);
let n = 0;
function tree(name: string = TREES[2]): string {
  const dir = join(BASE, `t${process.pid}-${n++}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(BASE, { recursive: true });
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}
const ID = (cpu: number, reg: 'midr_el1' | 'revidr_el1') => `sys/devices/system/cpu/cpu${cpu}/regs/identification/${reg}`;
const KVM = 'capture/kvm-probe.json';

async function refused(root: string, ...extra: string[]) {
  const r = await cli('probe', '--root', root, ...extra);
  expect(r.code, r.stderr).toBe(3);
  expect(r.stdout).toBe('');
  return r.stderr;
}

/** The line and column where the nth (0-based) occurrence of a JSON string starts. */
function where(text: string, literal: string, nth = 0): string {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(`"${literal}"`, i + 1);
  const before = text.slice(0, i);
  return `${before.split('\n').length}:${i - before.lastIndexOf('\n')}`;
}

/** Rewrite the captured helper output of a tree. */
function editKvm(root: string, edit: (o: { regList: string[]; values: Record<string, string>; vcpuFeatures: unknown[] }) => void): string {
  const o = JSON.parse(readFileSync(join(root, KVM), 'utf8'));
  edit(o);
  const text = JSON.stringify(o, null, 2);
  writeFileSync(join(root, KVM), text);
  return text;
}

describe('identification registers', () => {
  it('a MIDR_EL1 with bits above 31 is refused, not truncated', async () => {
    const root = tree();
    writeFileSync(join(root, ID(0, 'midr_el1')), '0xdeadbeef410fd034\n');
    expect(await refused(root)).toBe(`${join(root, ID(0, 'midr_el1'))}:1:1: (document): MIDR_EL1 is 32 bits (bits 63:32 are RES0); 0xdeadbeef410fd034 has bits above 31\n`);
  });

  it('sysfs leading zeros (0x%016llx) are a 32-bit MIDR', async () => {
    const root = tree();
    writeFileSync(join(root, ID(0, 'midr_el1')), '0x00000000410fd034\n');
    const r = await cli('probe', '--root', root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(FIXTURES, TREES[2], 'expected', 'host.yaml'), 'utf8'));
  });

  it('a REVIDR_EL1 over 16 hex digits is refused; 64 bits are kept', async () => {
    const root = tree();
    writeFileSync(join(root, ID(4, 'revidr_el1')), '0x1ffffffffffffffff\n');
    expect(await refused(root)).toBe(`${join(root, ID(4, 'revidr_el1'))}:1:1: (document): REVIDR_EL1 is a 64-bit register; '0x1ffffffffffffffff' has 17 hex digits\n`);
    writeFileSync(join(root, ID(4, 'revidr_el1')), '0xffffffffffffffff\n');
    const r = await cli('probe', '--root', root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('revidr: "0xffffffffffffffff"');
  });

  it.each(['413fd0c1', '0x', '0x41 3fd0c1', '-0x1'])('a value that is not hex (%j) is refused, located', async (value) => {
    const root = tree();
    writeFileSync(join(root, ID(2, 'midr_el1')), `${value}\n`);
    expect(await refused(root)).toMatch(new RegExp(`^${join(root, ID(2, 'midr_el1'))}:1:1: \\(document\\): '.*' is not a hex MIDR_EL1 value`));
  });
});

describe('the captured KVM register list', () => {
  it('a register id listed twice is refused at its second entry', async () => {
    const root = tree();
    let dup = '';
    const text = editKvm(root, (o) => {
      dup = o.regList[3]!;
      o.regList.push(dup);
    });
    const i = JSON.parse(text).regList.length - 1;
    expect(await refused(root, '--kvm')).toBe(`${join(root, KVM)}:${where(text, dup, 1)}: regList[${i}]: register id ${dup} is listed twice (also regList[3]); KVM_GET_REG_LIST lists each register once\n`);
  });

  it('an id that is not an arm64 KVM id (KVM_REG_ARM64 in bits 63:56) is refused', async () => {
    const root = tree();
    const text = editKvm(root, (o) => o.regList.splice(5, 0, '0x2030000000000011'));
    expect(await refused(root, '--kvm')).toBe(`${join(root, KVM)}:${where(text, '0x2030000000000011')}: regList[5]: 0x2030000000000011 is not an arm64 KVM register id (bits 63:56 must be 0x60, KVM_REG_ARM64)\n`);
  });

  it('a KVM MIDR_EL1 value with bits above 31 is refused, not truncated', async () => {
    const root = tree();
    const key = '0x603000000013c000';
    const text = editKvm(root, (o) => (o.values[key] = '0x1410fd034'));
    expect(await refused(root, '--kvm')).toBe(`${join(root, KVM)}:${where(text, '0x1410fd034')}: values.${key}: MIDR_EL1 is 32 bits (bits 63:32 are RES0); 0x1410fd034 has bits above 31\n`);
  });

  it('a vCPU feature name with a terminal escape is refused', async () => {
    const root = tree();
    const text = editKvm(root, (o) => o.vcpuFeatures.push('PMU\u001b[2K'));
    const i = JSON.parse(text).vcpuFeatures.length - 1;
    expect(await refused(root, '--kvm')).toBe(`${join(root, KVM)}:${where(text, 'PMU\\u001b[2K')}: vcpuFeatures[${i}]: "PMU\\u001b[2K" is not a vCPU feature name (KVM_ARM_VCPU_* without the prefix)\n`);
  });
});

describe('free text the profile quotes', () => {
  it('a control character in the captured QEMU version line is refused, located', async () => {
    const root = tree();
    writeFileSync(join(root, 'capture/qemu-version.txt'), 'QEMU emulator version 7.2.13 (Debian \u001b[1A\u001b[2KCLEAN)\n');
    expect(await refused(root)).toBe(`${join(root, 'capture/qemu-version.txt')}:1:38: (document): the version line has a control or non-text character (U+001B); a real host writes none\n`);
  });

  it.each(['proc/version', 'sys/devices/system/cpu/vulnerabilities/spectre_v2', 'proc/sys/kernel/hostname'])('a terminal escape in %s is refused, located at it', async (path) => {
    const root = tree();
    const text = readFileSync(join(root, path), 'utf8').split('\n')[0]!;
    writeFileSync(join(root, path), `${text}\u001b]0;owned\u0007\n`);
    expect(await refused(root)).toBe(`${join(root, path)}:1:${text.length + 1}: (document): the value has a control or non-text character (U+001B); a real host writes none\n`);
  });
});

describe('the written profile is read back by the loader', () => {
  it('a profile the loader rejects is refused, blaming the capture the field came from', () => {
    const yaml = 'apiVersion: migcheck/v1\nkind: Host\nname: x\nkernel: linux-6.6\nvmm: qemu-9.2\ncpu: { midr: "0xzz" }\n';
    const blame = (path: string) => ({ file: `capture-of-${path}` });
    expect(() => checkRoundTrip(yaml, blame)).toThrow(ProbeError);
    try {
      checkRoundTrip(yaml, blame);
    } catch (err) {
      expect((err as ProbeError).at).toEqual({ file: 'capture-of-cpu.midr', line: 1, col: 1 });
      expect((err as ProbeError).message).toMatch(/^this capture gives an invalid profile: cpu\.midr: /);
    }
    expect(() => checkRoundTrip(yaml.replace('0xzz', '0x413fd0c1'), blame)).not.toThrow();
  });

  it('many distinct CPU implementations: a profile validate accepts, or exit 3 at the CPU directory', async () => {
    const root = tree();
    for (let i = 0; i < 100; i++) {
      mkdirSync(join(root, `sys/devices/system/cpu/cpu${i}/regs/identification`), { recursive: true });
      writeFileSync(join(root, ID(i, 'midr_el1')), '0x00000000410fd034\n');
      writeFileSync(join(root, ID(i, 'revidr_el1')), `0x${i.toString(16).padStart(16, '0')}\n`);
    }
    const r = await cli('probe', '--root', root);
    if (r.code === 0) {
      const file = join(BASE, `many-${process.pid}.yaml`);
      writeFileSync(file, r.stdout);
      expect((await cli('validate', file)).code).toBe(0);
    } else {
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`^${join(root, 'sys/devices/system/cpu')}:1:1: \\(document\\): this capture gives an invalid profile: otherCpus`));
    }
  });
});

// ---- fuzz ---------------------------------------------------------------------------

const SEED = 20261201;
const TARGETS = [
  'proc/sys/kernel/osrelease',
  'proc/sys/kernel/hostname',
  'proc/version',
  'proc/cmdline',
  ID(0, 'midr_el1'),
  ID(0, 'revidr_el1'),
  ID(4, 'midr_el1'),
  ID(5, 'revidr_el1'),
  'sys/devices/system/cpu/vulnerabilities/spectre_v2',
  'sys/devices/system/cpu/vulnerabilities/spec_store_bypass',
  'boot/config-6.1.0-27-arm64',
  'capture/qemu-version.txt',
  KVM,
];
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
const CONTROL = ['\u0000', '\u0007', '\u001b[1A\u001b[2K', '\u001b]0;x\u0007', '\r', '\u009b2K', '\u202e', '\ufffd', '\n\n'];

type Edit =
  | { op: 'long'; at: number; len: number }
  | { op: 'control'; at: number; c: string; pos: number }
  | { op: 'wideHex'; at: number; digits: number; hi: boolean }
  | { op: 'empty'; at: number }
  | { op: 'linkOut'; at: number; to: string }
  | { op: 'linkEscape'; at: number }
  | { op: 'fifo'; at: number }
  | { op: 'kvm'; what: 'dup' | 'foreign' | 'wideValue' | 'wideMidr' | 'badFeature' | 'drop' | 'junk'; i: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('long' as const), at: fc.nat(), len: fc.constantFrom(70, 300, 5000, 70_000) }),
  fc.record({ op: fc.constant('control' as const), at: fc.nat(), c: fc.constantFrom(...CONTROL), pos: fc.nat() }),
  fc.record({ op: fc.constant('wideHex' as const), at: fc.nat(), digits: fc.integer({ min: 1, max: 40 }), hi: fc.boolean() }),
  fc.record({ op: fc.constant('empty' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('linkOut' as const), at: fc.nat(), to: fc.constantFrom('/dev/zero', '/proc/sys/kernel/osrelease', '/etc/hostname', '/nonexistent') }),
  fc.record({ op: fc.constant('linkEscape' as const), at: fc.nat() }),
  ...(hasMkfifo ? [fc.record({ op: fc.constant('fifo' as const), at: fc.nat() })] : []),
  fc.record({ op: fc.constant('kvm' as const), what: fc.constantFrom('dup', 'foreign', 'wideValue', 'wideMidr', 'badFeature', 'drop', 'junk'), i: fc.nat() }),
);

function apply(root: string, e: Edit): void {
  if (e.op === 'kvm') {
    const file = join(root, KVM);
    let o: Record<string, unknown>;
    try {
      if (!lstatSync(file).isFile()) return;
      o = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return;
    }
    const list = (Array.isArray(o.regList) ? o.regList : []) as string[];
    const values = (o.values ?? {}) as Record<string, string>;
    const keys = Object.keys(values);
    if (e.what === 'dup' && list.length) list.push(list[e.i % list.length]!);
    if (e.what === 'foreign') list.splice(e.i % (list.length + 1), 0, `0x${(e.i % 255).toString(16).padStart(2, '0')}30000000140001`);
    if (e.what === 'wideValue' && keys.length) values[keys[e.i % keys.length]!] = `0x1${'0'.repeat(16)}`;
    if (e.what === 'wideMidr') values['0x603000000013c000'] = '0xdeadbeef410fd034';
    if (e.what === 'badFeature') o.vcpuFeatures = ['PSCI_0_2', e.i % 2 ? 'x\u001b[2K' : 7];
    if (e.what === 'drop') delete o[['regList', 'values', 'capabilities', 'tool'][e.i % 4]!];
    rmSync(file);
    writeFileSync(file, e.what === 'junk' ? JSON.stringify(o).slice(0, e.i % 200) : JSON.stringify(o, null, 1), { flag: 'wx' });
    return;
  }
  const path = join(root, TARGETS[e.at % TARGETS.length]!);
  // an earlier edit may have made it a symlink out of the tree or a FIFO: never read or write through it
  const isFile = (() => {
    try {
      return lstatSync(path).isFile();
    } catch {
      return false;
    }
  })();
  const old = isFile ? readFileSync(path, 'utf8') : '';
  const replaceWith = (make: () => void) => {
    rmSync(path, { force: true });
    make();
  };
  const put = (text: string) => replaceWith(() => writeFileSync(path, text, { flag: 'wx' }));
  switch (e.op) {
    case 'long':
      put(`${old.split('\n')[0]}${'7'.repeat(e.len)}\n`);
      break;
    case 'control': {
      const at = e.pos % (old.length + 1);
      put(old.slice(0, at) + e.c + old.slice(at));
      break;
    }
    case 'wideHex':
      put(`0x${(e.hi ? 'f' : '0').repeat(e.digits - 1)}${e.hi ? '1' : 'f'}\n`);
      break;
    case 'empty':
      put('');
      break;
    case 'linkOut':
      replaceWith(() => symlinkSync(e.to, path));
      break;
    case 'linkEscape':
      replaceWith(() => symlinkSync('../../../../../../../../../../etc/hostname', path));
      break;
    case 'fifo':
      replaceWith(() => spawnSync('mkfifo', [path]));
      break;
  }
}

describe('fuzz: mutated capture trees', () => {
  it('never exit 0 with a profile validate rejects, never exit 4, never a stack', async () => {
    const out = join(BASE, `fuzz-${process.pid}.yaml`);
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), async (edits, kvm) => {
        const root = tree();
        for (const e of edits) apply(root, e);
        const r = await cli('probe', '--root', root, ...(kvm ? ['--kvm'] : []));
        rmSync(root, { recursive: true, force: true });
        expect([0, 3], r.stderr).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at |Error:|TypeError|RangeError/);
        if (r.code === 3) {
          expect(r.stdout).toBe('');
          // one located line, or a usage line outside any file
          expect(r.stderr).toMatch(/^(\S[^\n]*:\d+:\d+: \S[^\n]*|migcheck: [^\n]+)\n/);
          return;
        }
        writeFileSync(out, r.stdout);
        const v = await cli('validate', out);
        expect(v.code, `${v.stderr}\n${r.stdout}`).toBe(0);
        // nothing raw reaches the profile: every string is double-quoted YAML, so no control byte
        // eslint-disable-next-line no-control-regex
        expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      }),
      { seed: SEED, numRuns: 60 },
    );
  }, 120_000);
});
