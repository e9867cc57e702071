// The initramfs: busybox-static, the static arm64 helper, /init, and (replay pass) the
// source captures under /mc/src. newc cpio written by cpio(1), gzipped here.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

/** sources: {name: text} placed in /mc/src/<name>; files: {path: host file} copied as they are
 * (the arm64 QEMU and its libraries, migration states). Returns the .gz path. */
export function buildInitramfs({ busybox, helper, sources = {}, files = {}, out }) {
  const stage = `${out}.d`;
  rmSync(stage, { recursive: true, force: true });
  for (const d of ['bin', 'mc/src', 'proc', 'sys', 'dev', 'tmp']) mkdirSync(join(stage, d), { recursive: true });
  copyFileSync(busybox, join(stage, 'bin', 'busybox'));
  copyFileSync(helper, join(stage, 'mc', 'migcheck-kvm-probe'));
  copyFileSync(join(here, 'init.sh'), join(stage, 'init'));
  for (const f of ['bin/busybox', 'mc/migcheck-kvm-probe', 'init']) chmodSync(join(stage, f), 0o755);
  for (const [name, text] of Object.entries(sources)) writeFileSync(join(stage, 'mc', 'src', name), text);
  for (const [path, from] of Object.entries(files)) {
    mkdirSync(dirname(join(stage, path)), { recursive: true });
    copyFileSync(from, join(stage, path));
    chmodSync(join(stage, path), 0o755);
  }
  const list = execFileSync('find', ['.', '-mindepth', '1'], { cwd: stage, encoding: 'utf8' });
  const cpio = execFileSync('cpio', ['-o', '-H', 'newc', '--owner=0:0', '--quiet'], { cwd: stage, input: list, maxBuffer: 256 << 20 });
  writeFileSync(out, gzipSync(cpio));
  rmSync(stage, { recursive: true, force: true });
  return out;
}
