// `probe --root DIR` reads only the captured tree: a path that resolves outside it (an
// absolute or escaping symlink, a release naming ../..) is refused, located, exit 3; so is
// a file that is not a regular file (FIFO, device) and one larger than the host file it
// captures; config.gz inflation is bounded; the helpers' output is bounded.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, probeKvmWith } from '../helpers.js';
import { runQemuVersion } from '../../src/probe/qemu.js';
import { ProbeError } from '../../src/probe/tree.js';
import { FIXTURES, TREES } from './trees.js';

// outside the project: a FIFO under test/ would block the test runner's scan of the tree
const BASE = mkdtempSync(join(tmpdir(), 'migcheck-confine-'));
afterAll(() => rmSync(BASE, { recursive: true, force: true }), 60_000);
let n = 0;

/** A fresh copy of the Altra tree to mutate. */
function tree(): string {
  const dir = join(BASE, `t${process.pid}-${n++}`, 'root');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  cpSync(join(FIXTURES, TREES[0]), dir, { recursive: true });
  return dir;
}
const CONFIG = 'boot/config-5.15.0-125-generic';
const OSRELEASE = 'proc/sys/kernel/osrelease';
const replace = (root: string, path: string, make: (p: string) => void) => {
  rmSync(join(root, path), { recursive: true, force: true });
  make(join(root, path));
};

async function refused(root: string, ...extra: string[]) {
  const r = await cli('probe', '--root', root, ...extra);
  expect(r.code, r.stderr).toBe(3);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr;
}

describe('paths resolve inside the captured tree', () => {
  it('an absolute symlink out of the tree (osrelease -> /proc/...) is refused, not read from this machine', async () => {
    const root = tree();
    replace(root, OSRELEASE, (p) => symlinkSync('/proc/sys/kernel/osrelease', p));
    expect(await refused(root)).toBe(`${join(root, OSRELEASE)}:1:1: (document): a symlink to /proc/sys/kernel/osrelease, outside the captured tree\n`);
  });

  it('an osrelease naming ../.. is refused before it names /boot/config-<release>', async () => {
    const root = tree();
    // what the release would reach if it were joined into a path
    writeFileSync(join(root, '..', 'x'), 'CONFIG_SCHED_INFO=y\n');
    writeFileSync(join(root, OSRELEASE), '5.15.0-125-generic/../../../x\n');
    expect(await refused(root)).toMatch(new RegExp(`^${join(root, OSRELEASE)}:1:19: \\(document\\): '5\\.15\\.0-125-generic/\\.\\./\\.\\./\\.\\./x' is not a kernel release: it would name a path outside /boot`));
  });

  it.each([
    ['a space', '5.15.0 generic'],
    ['a terminal escape', '5.15.0-125-generic\u001b[1A\u001b[2K'],
    ['more than 64 characters', `5.15.0-${'x'.repeat(80)}`],
  ])('an osrelease with %s is refused, located', async (_what, value) => {
    const root = tree();
    writeFileSync(join(root, OSRELEASE), `${value}\n`);
    expect(await refused(root)).toMatch(new RegExp(`^${join(root, OSRELEASE)}:1:\\d+: \\(document\\): `));
  });

  it('a parent directory symlinked out of the tree (sys/devices/system/cpu -> /sys/...) is refused', async () => {
    const root = tree();
    replace(root, 'sys/devices/system/cpu', (p) => symlinkSync('/sys/devices/system/cpu', p));
    expect(await refused(root)).toBe(`${join(root, 'sys/devices/system/cpu')}:1:1: (document): a symlink to /sys/devices/system/cpu, outside the captured tree\n`);
  });

  it('a relative symlink that climbs out of the tree is refused; a dangling one pointing out too', async () => {
    const root = tree();
    writeFileSync(join(root, '..', 'outside'), 'CONFIG_SCHED_INFO=y\n');
    replace(root, CONFIG, (p) => symlinkSync('../../outside', p));
    expect(await refused(root)).toBe(`${join(root, CONFIG)}:1:1: (document): a symlink to ../../outside, outside the captured tree\n`);
    const other = tree();
    replace(other, 'proc/version_signature', (p) => symlinkSync('/nonexistent/version_signature', p));
    expect(await refused(other)).toContain(`${join(other, 'proc/version_signature')}:1:1: (document): a symlink to /nonexistent/version_signature, outside the captured tree`);
  });

  it('relative symlinks that stay inside the tree are followed', async () => {
    const root = tree();
    mkdirSync(join(root, 'capture', 'copies'));
    writeFileSync(join(root, 'capture', 'copies', 'osrelease'), '5.15.0-125-generic\n');
    replace(root, OSRELEASE, (p) => symlinkSync('../../../capture/copies/osrelease', p));
    const r = await cli('probe', '--root', root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(FIXTURES, TREES[0], 'expected', 'host.yaml'), 'utf8'));
  });

  it('a symlink loop is refused', async () => {
    const root = tree();
    replace(root, OSRELEASE, (p) => symlinkSync('osrelease', p));
    expect(await refused(root)).toBe(`${join(root, OSRELEASE)}:1:1: (document): a symlink loop\n`);
  });
});

describe('every file read ends', () => {
  it('a capture file linked to /dev/zero is refused (it is outside the tree)', async () => {
    const root = tree();
    replace(root, CONFIG, (p) => symlinkSync('/dev/zero', p));
    expect(await refused(root)).toBe(`${join(root, CONFIG)}:1:1: (document): a symlink to /dev/zero, outside the captured tree\n`);
  });

  it.skipIf(spawnSync('mkfifo', ['--version']).status !== 0)('a FIFO in the tree is refused at once, not waited on', async () => {
    for (const path of [CONFIG, OSRELEASE]) {
      const root = tree();
      replace(root, path, (p) => expect(spawnSync('mkfifo', [p]).status).toBe(0));
      expect(await refused(root)).toBe(`${join(root, path)}:1:1: (document): a FIFO, not a regular file; a capture holds copies of the host's files\n`);
    }
  });

  it('a sysfs value larger than a page is refused, located', async () => {
    const root = tree();
    writeFileSync(join(root, 'sys/devices/system/cpu/cpu0/regs/identification/midr_el1'), `0x413fd0c1${' '.repeat(100_000)}\n`);
    expect(await refused(root)).toBe(`${join(root, 'sys/devices/system/cpu/cpu0/regs/identification/midr_el1')}:1:1: (document): more than 65536 bytes; the host file it captures is smaller\n`);
  });

  it('a proc/config.gz that inflates to ~900 MB is refused at the cap (multi-member gzip, 0.9 MB)', async () => {
    const root = tree();
    rmSync(join(root, CONFIG));
    const member = gzipSync(Buffer.alloc(1 << 20), { level: 9 });
    writeFileSync(join(root, 'proc/config.gz'), Buffer.concat(Array.from({ length: 900 }, () => member)));
    expect(await refused(root)).toBe(`${join(root, 'proc/config.gz')}:1:1: (document): inflates to more than 4194304 bytes; a kernel config is far smaller\n`);
  });

  it('a proc/config.gz that is not gzip, or larger than 1 MiB compressed, is refused', async () => {
    const root = tree();
    rmSync(join(root, CONFIG));
    writeFileSync(join(root, 'proc/config.gz'), 'CONFIG_SCHED_INFO=y\n');
    expect(await refused(root)).toMatch(new RegExp(`^${join(root, 'proc/config.gz')}:1:1: \\(document\\): not gzip data`));
    writeFileSync(join(root, 'proc/config.gz'), Buffer.alloc((1 << 20) + 1));
    expect(await refused(root)).toBe(`${join(root, 'proc/config.gz')}:1:1: (document): more than 1048576 bytes; the host file it captures is smaller\n`);
  });

  it('a real-sized config.gz is read (CONFIG_SCHED_INFO is seen through it)', async () => {
    const root = tree();
    const config = readFileSync(join(root, CONFIG));
    rmSync(join(root, CONFIG));
    writeFileSync(join(root, 'proc/config.gz'), gzipSync(config));
    const r = await cli('probe', '--root', root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('kernel.stolenTime: "/proc/config.gz: CONFIG_SCHED_INFO=y"');
  });
});

describe('helper output is bounded', () => {
  const script = (name: string, body: string) => {
    const file = join(BASE, `${name}-${process.pid}.sh`);
    mkdirSync(BASE, { recursive: true });
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };

  it('a --qemu binary that floods its output is killed and refused', () => {
    const bin = script('qemu-flood', 'exec yes "QEMU emulator version 9.2.0"');
    expect(() => runQemuVersion(bin)).toThrow(ProbeError);
    expect(() => runQemuVersion(bin)).toThrow(`${bin} --version wrote more than 65536 bytes`);
  });

  it('a --kvm-helper that floods its output is killed; probe exits 3', async () => {
    const helper = script('kvm-flood', 'exec yes "{"');
    const { code, stderr } = await probeKvmWith(helper);
    expect(code).toBe(3);
    // (on a machine whose own kernel the knowledge base cannot model, that is said first)
    expect(stderr).toMatch(/wrote more than 1048576 bytes|migcheck: .*kernel/);
  });

  it('a captured kvm-probe.json over 1 MiB is refused, located', async () => {
    const root = tree();
    writeFileSync(join(root, 'capture/kvm-probe.json'), `${' '.repeat((1 << 20) + 1)}{}`);
    expect(await refused(root, '--kvm')).toBe(`${join(root, 'capture/kvm-probe.json')}:1:1: (document): more than 1048576 bytes; the host file it captures is smaller\n`);
  });
});
