// Contradictory input (issue 12, item 4): two fields that disagree are exit 3 at the field
// that loses, naming what it conflicts with — never one of them silently winning.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cli, TMP } from '../helpers.js';
import { MAX_FLEET_HOSTS, Resolver } from '../../src/profile/resolve.js';

const DIR = join(TMP, 'contradictions');
mkdirSync(DIR, { recursive: true });
const HOST = 'apiVersion: migcheck/v1\nkind: Host\nname: h\nvmm: qemu-9.2\n';

function file(name: string, text: string): string {
  const f = join(DIR, name);
  writeFileSync(f, text);
  return f;
}

const located = (name: string, line: number, col: number, path: string) => new RegExp(`${name.replace('.', '\\.')}:${line}:${col}: ${path.replace(/[.[\]]/g, '\\$&')}: `);

async function refused(name: string, text: string, line: number, col: number, path: string, message: RegExp) {
  const r = await cli('validate', file(name, text));
  expect(r.code, r.stderr).toBe(3);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(located(name, line, col, path));
  expect(lines[0]).toMatch(message);
}

describe('kernel: extends and version must describe one kernel', () => {
  it('a version whose upstream patch level is not the extended stable version is refused', async () => {
    await refused('k-backports.yaml', `${HOST}cpu: neoverse-n1:r3p1\nkernel: {extends: linux-5.4.190, version: 5.4.0-150-generic}\n`, 6, 43, 'kernel.version', /5\.4\.0-150-generic is upstream 5\.4\.0, but kernel\.extends is linux-5\.4\.190/);
  });

  it('a version of another release than the extended one is refused', async () => {
    await refused('k-series.yaml', `${HOST}cpu: neoverse-n1:r3p1\nkernel:\n  extends: linux-5.4\n  version: 5.10.190\n`, 8, 12, 'kernel.version', /5\.10\.190 is a 5\.10 kernel, but kernel\.extends is linux-5\.4 \(5\.4\)/);
  });

  it('an older version than the extended release is refused too', async () => {
    await refused('k-older.yaml', `${HOST}cpu: neoverse-n1:r3p1\nkernel: {extends: linux-6.6, version: 6.1.0}\n`, 6, 39, 'kernel.version', /6\.1\.0 is a 6\.1 kernel, but kernel\.extends is linux-6\.6/);
  });

  it('README’s refinement of a release by a distribution version stays valid, and a stable one keeps its backports', () => {
    const r = new Resolver();
    const distro = r.host(file('k-distro.yaml', `${HOST}cpu: neoverse-n1:r3p1\nkernel: {extends: linux-5.4, version: 5.4.0-150-generic}\n`));
    expect(distro.kernel).toMatchObject({ release: '5.4', version: '5.4.0-150-generic' });
    const stable = r.host(file('k-stable.yaml', `${HOST}cpu: neoverse-n1:r3p1\nkernel: {extends: linux-5.4.190, version: 5.4.190-1-arm64}\n`));
    expect(stable.kernel.registers.map((x) => x.name)).toContain('SMCCC_ARCH_WORKAROUND_3'); // backported to 5.4.186
  });

  it('a kernel newer than the knowledge base may extend an older release (what probe writes)', () => {
    const h = new Resolver().host(file('k-newer.yaml', `${HOST}cpu: neoverse-n1:r3p1\nkernel: {extends: linux-6.18, version: 9.1.3}\n`));
    expect(h.kernel).toMatchObject({ release: '6.18', version: '9.1.3' });
  });
});

describe('cpu: model, revision and midr must name one CPU', () => {
  it('a model with the midr of another part is refused (no silent Neoverse-V1)', async () => {
    await refused('c-part.yaml', `${HOST}kernel: linux-6.6\ncpu: {model: neoverse-n1, midr: "0x411fd401"}\n`, 6, 33, 'cpu.midr', /midr 0x411fd401 is Neoverse-V1 r1p1, but model 'neoverse-n1' is Neoverse-N1/);
  });

  it('a product name is checked against the midr like a core name', async () => {
    await refused('c-product.yaml', `${HOST}kernel: linux-6.6\ncpu: {model: graviton2, midr: "0x411fd401"}\n`, 6, 31, 'cpu.midr', /is Neoverse-V1 r1p1, but model 'graviton2' is Neoverse-N1/);
  });

  it('a revision the midr does not carry is refused', async () => {
    await refused('c-rev.yaml', `${HOST}kernel: linux-6.6\ncpu: {model: neoverse-n1, revision: r1p0, midr: "0x413fd0c1"}\n`, 6, 37, 'cpu.revision', /revision r1p0 contradicts midr 0x413fd0c1 \(Neoverse-N1 r3p1\)/);
    await refused('c-rev-only.yaml', `${HOST}kernel: linux-6.6\ncpu: {revision: r0p0, midr: "0x413fd0c1"}\n`, 6, 17, 'cpu.revision', /revision r0p0 contradicts midr/);
  });

  it('a model with a midr of an unknown part is refused; an unknown model with a midr is not ignored', async () => {
    await refused('c-unknown-part.yaml', `${HOST}kernel: linux-6.6\ncpu: {model: neoverse-n1, midr: "0x12345678"}\n`, 6, 33, 'cpu.midr', /is part 0x12045670 \(not in the knowledge base\), but model 'neoverse-n1'/);
    await refused('c-unknown-model.yaml', `${HOST}kernel: linux-6.6\ncpu: {model: neoverse-n9, midr: "0x413fd0c1"}\n`, 6, 14, 'cpu.model', /unknown CPU model 'neoverse-n9'/);
  });

  it('agreeing model, revision and midr are the same CPU as the midr alone', () => {
    const r = new Resolver();
    const both = r.host(file('c-agree.yaml', `${HOST}kernel: linux-6.6\ncpu: {model: ampere-altra, revision: r3p1, midr: "0x413fd0c1"}\n`));
    const alone = r.host(file('c-alone.yaml', `${HOST}kernel: linux-6.6\ncpu: {midr: "0x413fd0c1"}\n`));
    expect(both.cpu).toEqual(alone.cpu);
  });

  it('a MIDR over 32 bits is refused in cpu, otherCpus and a guest’s targetCpus, not truncated', async () => {
    await refused('m-cpu.yaml', `${HOST}kernel: linux-6.6\ncpu: {midr: "0xdeadbeef413fd0c1"}\n`, 6, 13, 'cpu.midr', /expected a 32-bit MIDR as a quoted hex string/);
    await refused('m-other.yaml', `${HOST}kernel: linux-6.6\ncpu: neoverse-n1:r3p1\notherCpus: [{midr: "0x1410fd034"}]\n`, 7, 20, 'otherCpus[0].midr', /expected a 32-bit MIDR/);
    await refused('m-guest.yaml', 'apiVersion: migcheck/v1\nkind: Guest\nname: g\ntargetCpus: [{midr: "0x100000000"}]\n', 4, 21, 'targetCpus[0].midr', /expected a 32-bit MIDR/);
  });

  it('property: a MIDR is accepted exactly when it fits 32 bits (leading zeros allowed), and is read unchanged', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 8 }), (v, zeros) => {
        const text = `0x${'0'.repeat(zeros)}${v.toString(16)}`;
        const f = file(`m-prop-${n++}.yaml`, `${HOST}kernel: linux-6.6\ncpu: {midr: "${text}"}\n`);
        let midr: number | undefined;
        try {
          midr = new Resolver().host(f).cpu.midr;
        } catch {
          midr = undefined;
        }
        expect(midr).toBe(v <= 0xffffffffn ? Number(v) : undefined);
      }),
      { seed: 12, numRuns: 60 },
    );
  });
});

describe('fleet counts are whole numbers within a cap', () => {
  const FLEET = 'apiVersion: migcheck/v1\nkind: Fleet\nname: f\nhosts:\n';

  it('count: 1e308 is refused where it is written (no "Infinity clean")', async () => {
    const r = await cli('matrix', '--fleet', file('f-huge.yaml', `${FLEET}  - { host: 2018-old, count: 1e308 }\n`), '--format', 'json');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd()).toMatch(/f-huge\.yaml:5:30: hosts\[0\]\.count: expected a whole number of hosts from 1 to 1000000, got number 1e\+308$/);
  });

  it('a count past 2^53 is refused, not rounded', async () => {
    const r = await cli('plan', '--fleet', file('f-2p53.yaml', `${FLEET}  - { host: 2018-old, count: 9007199254740993 }\n`));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/f-2p53\.yaml:5:30: hosts\[0\]\.count: expected a whole number of hosts from 1 to 1000000/);
  });

  it('a fleet whose counts total more than 10 million is refused at the entry that crosses it', async () => {
    const entries = `${'  - { host: 2018-old, count: 1000000 }\n'.repeat(10)}  - { host: 2018-sysreg-new }\n`;
    const r = await cli('matrix', '--fleet', file('f-total.yaml', `${FLEET}${entries}`));
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd()).toMatch(/f-total\.yaml:15:5: hosts\[10\]: the counts up to this entry total 10000001 hosts; a fleet holds at most 10,000,000 hosts/);
    expect(MAX_FLEET_HOSTS ** 2).toBeLessThan(Number.MAX_SAFE_INTEGER); // ordered pairs stay exact
  });

  it('counts at the caps are accepted and tallied exactly', async () => {
    const r = await cli('matrix', '--fleet', file('f-cap.yaml', `${FLEET}${'  - { host: 2018-old, count: 1000000 }\n'.repeat(9)}  - { host: 2018-sysreg-new, count: 1000000 }\n`), '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/null|Infinity|e\+/);
  });
});
