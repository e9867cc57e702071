// Build the optional native helper (native/kvm-probe.c) with the machine's C compiler:
// `npm run build:probe` -> build/migcheck-kvm-probe. Only when asked: migcheck itself needs no compiler.
//   node scripts/build-probe.mjs [OUT] [--static]     (CC=aarch64-linux-gnu-gcc for an arm64 build;
//   the lab builds it static so it runs alone in an initramfs)
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const isStatic = args.includes('--static');
const out = args.find((a) => !a.startsWith('--')) ?? join(root, 'build', 'migcheck-kvm-probe');
const cc = process.env.CC || 'cc';
mkdirSync(dirname(out), { recursive: true });
try {
  execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-Werror', '-std=c11', ...(isStatic ? ['-static'] : []), '-o', out, join(root, 'native', 'kvm-probe.c')], { stdio: 'inherit' });
} catch (err) {
  console.error(`build:probe: ${cc} failed (${err.code ?? err.status}); install a C compiler (Debian: apt install gcc) or set CC`);
  process.exit(1);
}
console.log(`build:probe: ${out}`);
