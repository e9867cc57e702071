// Host tools the lab needs, installed with apt-get when missing (as root; the system's apt
// configuration is used as it is, never changed).
import { execFileSync, spawnSync } from 'node:child_process';

const NEEDED = [
  { cmd: 'qemu-system-aarch64', pkg: 'qemu-system-arm' },
  { cmd: 'aarch64-linux-gnu-gcc', pkg: 'gcc-aarch64-linux-gnu' },
  { file: '/usr/aarch64-linux-gnu/lib/libc.a', pkg: 'libc6-dev-arm64-cross' },
  { cmd: 'cpio', pkg: 'cpio' },
  { cmd: 'zstd', pkg: 'zstd' },
  { cmd: 'xz', pkg: 'xz-utils' },
  { cmd: 'dpkg-deb', pkg: 'dpkg' },
];

const has = (n) => (n.cmd ? spawnSync('sh', ['-c', `command -v ${n.cmd}`]).status === 0 : spawnSync('test', ['-e', n.file]).status === 0);

export function ensureHostPackages(log) {
  const missing = NEEDED.filter((n) => !has(n)).map((n) => n.pkg);
  if (!missing.length) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  log(`host: installing ${missing.join(' ')}`);
  const install = () => execFileSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'install', '-y', '--no-install-recommends', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    install();
  } catch {
    execFileSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    install();
  }
  const still = NEEDED.filter((n) => !has(n)).map((n) => n.pkg);
  if (still.length) throw new Error(`host packages still missing after apt-get: ${still.join(' ')}`);
}
