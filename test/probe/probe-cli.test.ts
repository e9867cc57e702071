// `migcheck probe --root` on the fixture machines: golden Host profiles, and the captured
// profiles round-trip (validate accepts them, check uses them, probed facts are named).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TMP, cli, writeProfile } from '../helpers.js';
import { kernelRelease } from '../../src/probe/kernel-release.js';
import { HostTree } from '../../src/probe/tree.js';
import { FIXTURES, TREES } from './trees.js';

const OUT = join(TMP, 'probed');
mkdirSync(OUT, { recursive: true });
const update = process.env.UPDATE_GOLDEN === '1';
const out = (tree: string, kvm: boolean) => join(OUT, `${tree}${kvm ? '-kvm' : ''}.yaml`);

async function probe(tree: string, kvm: boolean) {
  const root = join('test', 'fixtures', 'hosts', tree);
  const r = await cli('probe', '--root', root, ...(kvm ? ['--kvm'] : []));
  writeFileSync(out(tree, kvm), r.stdout);
  return r;
}

describe.each(TREES)('probe --root %s', (tree) => {
  it.each([false, true])('matches the golden profile (--kvm: %s)', async (kvm) => {
    const r = await probe(tree, kvm);
    expect(r.code, r.stderr).toBe(0);
    const golden = join(FIXTURES, tree, 'expected', kvm ? 'host-kvm.yaml' : 'host.yaml');
    if (update || !existsSync(golden)) {
      mkdirSync(join(FIXTURES, tree, 'expected'), { recursive: true });
      writeFileSync(golden, r.stdout);
    }
    expect(r.stdout).toBe(readFileSync(golden, 'utf8'));
    // without KVM the lists are the version's: say so on stderr, not in the profile
    if (!kvm) expect(r.stderr).toContain('without --kvm');
  });

  it('round-trips: validate accepts both, the host migrates to itself cleanly, sysfs and KVM captures agree', async () => {
    await probe(tree, false);
    await probe(tree, true);
    expect((await cli('validate', out(tree, false), out(tree, true))).code).toBe(0);
    // the KVM capture's vCPU had PSCI_0_2 and PMU_V3 only (probe.vcpuFeatures): the version-derived
    // profile agrees with it for a guest without the SVE and PAuth that QEMU >= 7.0 would turn on
    const plain = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Guest', name: 'plain-vcpu', cpu: { sve: false, pauth: false } });
    for (const [a, b] of [[false, false], [true, true], [true, false], [false, true]] as const) {
      const r = await cli('check', '--from', out(tree, a), '--to', out(tree, b), '--format', 'json', ...(a === b ? [] : ['--guest', plain]));
      expect(r.code, r.stdout).toBe(0);
      expect(JSON.parse(r.stdout).findings).toEqual([]);
    }
  });
});

describe('probed hosts in checks', () => {
  it('Altra -> Graviton3 fails on MIDR; Graviton3 (6.1) -> Altra (5.15) also on OSLSR_EL1 and the bitmaps', async () => {
    for (const t of TREES) await probe(t, true);
    const forward = JSON.parse((await cli('check', '--from', out(TREES[0], true), '--to', out(TREES[1], true), '-f', 'json')).stdout);
    expect(forward.verdict).toBe('fail');
    expect(forward.findings.filter((f: { severity: string }) => f.severity === 'fail').map((f: { subject: string }) => f.subject)).toEqual(['MIDR_EL1']);
    const back = await cli('check', '--from', out(TREES[1], true), '--to', out(TREES[0], true), '-f', 'json');
    expect(back.code).toBe(2);
    const subjects = JSON.parse(back.stdout).findings.map((f: { rule: string; subject: string }) => `${f.rule}:${f.subject}`);
    expect(subjects).toEqual(expect.arrayContaining(['register-list:OSLSR_EL1', 'register-list:STD_BMAP', 'cpu-identity:MIDR_EL1']));
  });

  it('a big-cores-only board -> the big.LITTLE board: the A53 errata the guest never enabled make it unsafe', async () => {
    await probe(TREES[2], true);
    const doc = readFileSync(out(TREES[2], true), 'utf8');
    // the same board with its little cores offline: only the A72s (cpu4-5) answer
    const bigOnly = join(OUT, 'rk3399-big-only.yaml');
    writeFileSync(
      bigOnly,
      doc
        .replace('name: rockpro64', 'name: rockpro64-big')
        .replace('cpu: { midr: "0x410fd034", revidr: "0x0" }\notherCpus:\n  - { midr: "0x410fd082", revidr: "0x0" }', 'cpu: { midr: "0x410fd082", revidr: "0x0" }'),
    );
    const withA72Boot = join(OUT, 'rk3399-a72-boot.yaml');
    writeFileSync(withA72Boot, doc.replace('cpu: { midr: "0x410fd034", revidr: "0x0" }\notherCpus:\n  - { midr: "0x410fd082", revidr: "0x0" }', 'cpu: { midr: "0x410fd082", revidr: "0x0" }\notherCpus:\n  - { midr: "0x410fd034", revidr: "0x0" }'));
    const r = JSON.parse((await cli('check', '--from', bigOnly, '--to', withA72Boot, '-f', 'json')).stdout);
    expect(r.verdict).toBe('unsafe');
    expect(r.findings.map((f: { subject: string }) => f.subject)).toEqual(expect.arrayContaining(['erratum 845719']));
  });

  it('a probed value that differs from the version tables is named by probed-facts', async () => {
    // the Altra with `mitigations=off`: sysfs reports Spectre-BHB vulnerable
    const tree = join(TMP, 'altra-mitigations-off');
    const src = join(FIXTURES, TREES[0]);
    const { cpSync } = await import('node:fs');
    cpSync(src, tree, { recursive: true });
    writeFileSync(join(tree, 'sys/devices/system/cpu/vulnerabilities/spectre_v2'), 'Mitigation: CSV2, but not BHB\n');
    const p = await cli('probe', '--root', tree);
    const file = join(OUT, 'altra-off.yaml');
    writeFileSync(file, p.stdout);
    const r = JSON.parse((await cli('check', '--from', out(TREES[0], false), '--to', file, '-f', 'json')).stdout);
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f: { rule: string; subject: string }) => `${f.rule}:${f.subject}`)).toEqual([
      'smccc-workarounds:SMCCC_ARCH_WORKAROUND_3',
      'probed-facts:mitigations.WORKAROUND_3',
    ]);
  });
});

describe('a kernel newer than the knowledge base', () => {
  it('is modelled as the newest release, and its sysfs BHB state is read as that kernel reports it', async () => {
    const { cpSync, rmSync } = await import('node:fs');
    const tree = join(TMP, 'altra-next');
    rmSync(tree, { recursive: true, force: true });
    cpSync(join(FIXTURES, TREES[0]), tree, { recursive: true });
    rmSync(join(tree, 'proc/version_signature'));
    writeFileSync(join(tree, 'proc/sys/kernel/osrelease'), '7.99.1-custom\n');
    // a kernel with the Spectre-BHB code and no BHB suffix: not affected
    writeFileSync(join(tree, 'sys/devices/system/cpu/vulnerabilities/spectre_v2'), 'Mitigation: CSV2\n');
    const r = await cli('probe', '--root', tree);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('kernel 7.99.1 is newer than the knowledge base');
    expect(r.stdout).toContain('extends: "linux-');
    expect(r.stdout).toContain('WORKAROUND_3: "unaffected"');
  });
});

describe('kernel release: the upstream version behind a distribution release', () => {
  it.each([
    ['altra-n1-ubuntu-5.15', '5.15.167'],
    ['graviton3-v1-al2023-6.1', '6.1.115'],
    ['rk3399-biglittle-debian-6.1', '6.1.115'],
  ])('%s -> %s', (tree, version) => {
    expect(kernelRelease(new HostTree(join(FIXTURES, tree))).version).toBe(version);
  });
});

describe('probe refuses what it cannot describe (exit 3, one line)', () => {
  it('on a non-arm64 machine without --root', async () => {
    const r = await cli('probe');
    if (process.arch === 'arm64') return; // meaningful only off arm64
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^migcheck: probe describes the arm64 KVM host it runs on; this machine is \w+/);
  });

  it('on an arm64 machine without /dev/kvm', async () => {
    const { main } = await import('../../src/cli/main.js');
    let stderr = '';
    const code = await main(['probe'], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, stdoutIsTTY: false, env: { MIGCHECK_PROBE_ARCH: 'arm64', MIGCHECK_PROBE_KVM_DEVICE: '/nonexistent/kvm' } });
    expect(code).toBe(3);
    expect(stderr).toContain('no /nonexistent/kvm: this arm64 machine has no KVM');
  });

  it.each([
    [['--root', 'test/fixtures/hosts/does-not-exist'], 'osrelease: cannot read it'],
    [['--root', 'test/fixtures/bad', '--vmm', 'qemu-9.2'], 'osrelease: cannot read it'],
  ])('%j', async (args, message) => {
    const r = await cli('probe', ...args);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(message);
  });
});
