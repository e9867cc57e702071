// The emulator: the system's qemu-system-aarch64, or QEMU 10.0 from bookworm-backports
// fetched through the private apt and only unpacked (run with -L for its firmware data).
// 10.0 is 2-3x faster under TCG and its named cores (Neoverse-N1/V1/N2, Cortex-A72, ...) boot
// with EL2; 7.2's do not.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { unpack } from './apt.mjs';

export function emulator(kind, apt, cacheDir, log) {
  if (kind === 'system') {
    const version = execFileSync('qemu-system-aarch64', ['--version'], { encoding: 'utf8' }).split('\n')[0];
    return { bin: 'qemu-system-aarch64', args: [], version, env: process.env };
  }
  if (kind !== '10.0') throw new Error(`--emulator ${kind}: use system or 10.0`);
  const dir = join(cacheDir, 'qemu-10.0');
  for (const pkg of ['qemu-system-arm:amd64', 'qemu-system-data']) {
    const v = apt.versionIn(pkg, 'bookworm-backports');
    if (!v) throw new Error(`${pkg}: bookworm-backports has no version (use --emulator system)`);
    unpack(apt.download(pkg, v), dir);
  }
  const bin = join(dir, 'usr', 'bin', 'qemu-system-aarch64');
  const ldd = spawnSync('ldd', [bin], { encoding: 'utf8' }).stdout;
  const missing = [...ldd.matchAll(/^\s*(\S+) => not found/gm)].map((m) => m[1]);
  if (missing.length) throw new Error(`QEMU 10.0 needs libraries this machine lacks: ${missing.join(', ')} (install qemu-system-arm once, or use --emulator system)`);
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  log(`emulator: ${version}`);
  return { bin, args: ['-L', join(dir, 'usr', 'share', 'qemu')], version, env: process.env };
}
