// The optional native helper: it compiles with the machine's cc, says plainly where there is
// no KVM (or no arm64 KVM), and `probe --kvm` passes that message on with exit 3.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TMP, probeKvmWith } from '../helpers.js';

const helper = join(TMP, 'migcheck-kvm-probe');
const hasCc = spawnSync('cc', ['--version']).status === 0;

describe.skipIf(!hasCc && !process.env.CI)('native helper (native/kvm-probe.c)', () => {
  it('builds with `npm run build:probe` (cc -Wall -Wextra -Werror)', () => {
    execFileSync(process.execPath, ['scripts/build-probe.mjs', helper], { stdio: 'pipe' });
  });

  it('reports a missing /dev/kvm cleanly: exit 2, one line naming the device', () => {
    const r = spawnSync(helper, ['--device', '/nonexistent/kvm'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('migcheck-kvm-probe: no KVM on this machine: /nonexistent/kvm does not exist (is the kvm module loaded, or is this a guest without nested virtualisation?)\n');
  });

  it.skipIf(process.arch === 'arm64')('on a non-arm64 host with KVM it refuses instead of reading x86 state', () => {
    const r = spawnSync(helper, ['--device', '/dev/null'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not arm64 KVM');
  });

  // where an arm64 cross compiler is installed (Debian gcc-aarch64-linux-gnu), the arm64 path
  // must build with -Werror too; with qemu-user it runs, and fails cleanly (no KVM passthrough)
  const cross = spawnSync('aarch64-linux-gnu-gcc', ['--version']).status === 0;
  it.skipIf(!cross)('the arm64 build compiles (-Werror) and, under qemu-user, fails cleanly without KVM', () => {
    const arm = join(TMP, 'migcheck-kvm-probe-arm64');
    execFileSync(process.execPath, ['scripts/build-probe.mjs', arm], { stdio: 'pipe', env: { ...process.env, CC: 'aarch64-linux-gnu-gcc' } });
    if (spawnSync('qemu-aarch64', ['--version']).status !== 0) return;
    for (const args of [['--device', '/nonexistent/kvm'], []]) {
      const r = spawnSync('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', arm, ...args], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^migcheck-kvm-probe: .+\n$/);
    }
  });

  it('probe --kvm passes the helper message on (exit 3)', async () => {
    const { code, stderr } = await probeKvmWith(helper);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^migcheck: migcheck-kvm-probe: (no KVM on this machine|\/dev\/kvm is not arm64 KVM|cannot open)/);
  });

  it('probe --kvm without a built helper says how to build it', async () => {
    const { code, stderr } = await probeKvmWith(join(TMP, 'no-such-helper'));
    expect(code).toBe(3);
    expect(stderr).toContain('npm run build:probe');
  });
});
