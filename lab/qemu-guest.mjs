// Debian's arm64 qemu-system-aarch64 for the inside of the emulated machine: the package and
// its dependency closure (as apt resolves it for one suite) fetched through the private apt
// and unpacked, then only the binary, the dynamic loader and the shared libraries it loads
// (ELF NEEDED, followed recursively) are kept for the initramfs. No firmware or data files:
// the guest is `-S` paused with no kernel, so nothing of /usr/share/qemu is read.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unpack } from './apt.mjs';

// bookworm's 7.2: the oldest QEMU in the archive that initialises -cpu host as the helper's
// default feature set assumes (>= 7.0: SVE finalised, pointer authentication), and the one
// whose libraries are all in one suite
export const GUEST_QEMU = { pkg: 'qemu-system-arm', suite: 'bookworm' };

const LIB_DIRS = ['lib/aarch64-linux-gnu', 'usr/lib/aarch64-linux-gnu', 'lib', 'usr/lib'];

/** -> { version, files: {pathInInitramfs: hostPath} } */
export function fetchGuestQemu(apt, cacheDir, log, { pkg, suite } = GUEST_QEMU) {
  const version = apt.versionIn(`${pkg}:arm64`, suite);
  if (!version) throw new Error(`${pkg}: ${suite} has no arm64 version`);
  const dir = join(cacheDir, `qemu-arm64-${version.replace(/[:~+]/g, '_')}`);
  const root = join(dir, 'root');
  if (!existsSync(join(dir, '.complete'))) {
    // the closure apt would install on an empty system, versions from that suite first
    const sim = apt.run('apt-get', ['install', '-s', '--no-install-recommends', '-t', suite, `${pkg}:arm64=${version}`]);
    const wanted = [...sim.matchAll(/^Inst (\S+) \((\S+) [^[]*\[(\S+)\]\)/gm)].map(([, name, ver, arch]) => ({ name, ver, arch }));
    if (!wanted.length) throw new Error(`${pkg}=${version}: apt resolved no packages`);
    log(`qemu-inside: ${pkg} ${version} and ${wanted.length - 1} dependencies`);
    const debs = join(apt.root, 'debs');
    const have = new Set(readdirSync(debs));
    const debName = (w) => `${w.name}_${w.ver.replace(':', '%3a')}_${w.arch}.deb`;
    const missing = wanted.filter((w) => !have.has(debName(w)));
    if (missing.length) apt.run('apt-get', ['download', '-q', ...missing.map((w) => `${w.name}=${w.ver}`)], { cwd: debs });
    for (const w of wanted) unpack(join(debs, debName(w)), join(dir, 'pkgs', w.name));
    // one tree: packages unpacked one by one so that a merged-/usr symlink in one cannot hide another's files
    for (const w of wanted) execFileSync('cp', ['-a', '--remove-destination', `${join(dir, 'pkgs', w.name)}/.`, root]);
    writeFileSync(join(dir, '.complete'), `${pkg} ${version}\n`);
  }
  return { version: `${pkg} ${version} (${suite}, arm64)`, files: closure(root) };
}

const needed = (file) => [...execFileSync('readelf', ['-d', file], { encoding: 'utf8' }).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);

function findLib(root, soname) {
  for (const d of LIB_DIRS) {
    const p = join(root, d, soname);
    if (existsSync(p)) return p;
  }
  throw new Error(`qemu-inside: ${soname} is in none of the unpacked packages`);
}

/** the binary, the loader and every library it needs, as initramfs paths -> real files */
export function closure(root) {
  const bin = join(root, 'usr', 'bin', 'qemu-system-aarch64');
  const files = { 'usr/bin/qemu-system-aarch64': bin, 'lib/ld-linux-aarch64.so.1': realpathSync(findLib(root, 'ld-linux-aarch64.so.1')) };
  const todo = [bin];
  const seen = new Set();
  while (todo.length) {
    for (const so of needed(todo.pop())) {
      if (seen.has(so)) continue;
      seen.add(so);
      const real = realpathSync(findLib(root, so));
      files[`lib/aarch64-linux-gnu/${so}`] = real;
      todo.push(real);
    }
  }
  return files;
}
