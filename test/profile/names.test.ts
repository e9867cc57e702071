// Names (issue 12, item 13): a QEMU stable point release resolves to its X.Y; a version the
// knowledge base lacks is answered with the nearest release by version, not by spelling;
// 'default' is the built-in guest, also as a Guest's `extends`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, TMP } from '../helpers.js';
import { Resolver } from '../../src/profile/resolve.js';
import { qemuRelease } from '../../src/kb/vmms.js';

const DIR = join(TMP, 'names');
mkdirSync(DIR, { recursive: true });

function file(name: string, text: string): string {
  const f = join(DIR, name);
  writeFileSync(f, text);
  return f;
}
const hostWith = (name: string, vmm: string) => file(`${name}.yaml`, `apiVersion: migcheck/v1\nkind: Host\nname: ${name}\nkernel: linux-6.6\ncpu: neoverse-n1:r3p1\nvmm: ${vmm}\n`);

describe('QEMU names', () => {
  it('a stable point release qemu-X.Y.Z is modelled as qemu-X.Y under its own name', () => {
    const r = new Resolver();
    const { vmm } = r.host(hostWith('point', 'qemu-9.2.0'));
    const { name, version, sources, ...model } = vmm;
    const { name: _n, version: _v, sources: _s, ...release } = qemuRelease('9.2')!;
    expect({ name, version }).toEqual({ name: 'qemu-9.2.0', version: '9.2.0' });
    expect(model).toEqual(release);
    expect(sources).toEqual(qemuRelease('9.2')!.sources);
    expect(r.host(hostWith('point-ext', '{ extends: qemu-11.1.2 }')).vmm.tolerances).toEqual(qemuRelease('11.1')!.tolerances);
  });

  it('gives the same verdict as the release it belongs to', async () => {
    const a = await cli('check', '--from', hostWith('p-a', 'qemu-9.2.3'), '--to', '2018-old', '--format', 'json');
    const b = await cli('check', '--from', hostWith('p-b', 'qemu-9.2'), '--to', '2018-old', '--format', 'json');
    expect(a.code).toBe(b.code);
    const strip = (s: string) => JSON.parse(s).findings.map((f: { rule: string; severity: string; subject: string }) => [f.rule, f.severity, f.subject]);
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
  });

  it.each([
    ['qemu-11.1.0.1', 'qemu-11.1'],
    ['qemu-9.3', 'qemu-9.2'],
    ['qemu-12.0', 'qemu-11.1'],
    ['qemu-4.0', 'qemu-4.2'],
    ['qemu-9.1.50', 'qemu-9.1'],
    ['qemu-9.22', 'qemu-9.2'],
  ])('%s is unknown and suggests %s (nearest by version)', async (name, suggestion) => {
    const r = await cli('validate', hostWith(`u-${name}`, name));
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd()).toMatch(new RegExp(`:6:6: vmm: unknown VMM profile '${name.replace(/\./g, '\\.')}': shipped are qemu-4\\.2 … qemu-11\\.1.* \\(did you mean '${suggestion.replace(/\./g, '\\.')}'\\?\\)$`));
  });

  it('a development snapshot X.Y.50+ is not taken for the stable X.Y', async () => {
    const r = await cli('validate', hostWith('snapshot', 'qemu-9.1.50'));
    expect(r.stderr).toMatch(/development snapshots of the next release/);
  });

  it('a name that is not a version is still matched by spelling, and a long digit run is not read as a short version', async () => {
    const r = await cli('validate', hostWith('spelling', 'qemu-latest'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unknown VMM profile 'qemu-latest'/);
    const long = await cli('validate', hostWith('long', `qemu-9.${'9'.repeat(200)}`));
    expect(long.code).toBe(3);
    expect(long.stderr).toMatch(/\(did you mean 'qemu-9\.2'\?\)/); // 9.999… lies between 9.2 and 10.0
  });
});

describe('kernel names', () => {
  it.each([
    ['linux-7.99', 'linux-7.3'],
    ['linux-5.99.1', 'linux-5.19'],
    ['linux-4.4', 'linux-4.14'],
  ])('%s suggests %s (nearest by version)', async (name, suggestion) => {
    const f = file(`k-${name}.yaml`, `apiVersion: migcheck/v1\nkind: Host\nname: k\nkernel: ${name}\nvmm: qemu-9.2\ncpu: neoverse-n1:r3p1\n`);
    const r = await cli('validate', f);
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd()).toMatch(new RegExp(`:4:9: kernel: unknown kernel profile '${name.replace(/\./g, '\\.')}'.*\\(did you mean '${suggestion.replace(/\./g, '\\.')}'\\?\\)$`));
  });

  it('profiles show answers an unknown version the same way', async () => {
    const r = await cli('profiles', 'show', 'linux-7.99');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^migcheck: unknown kernel profile 'linux-7\.99': newer than the knowledge base \(4\.14 … 7\.3\).*\(did you mean 'linux-7\.3'\?\)/);
  });
});

// issue 16, items 3 and 5: what hosts report and users type
describe('distribution kernels and bare versions', () => {
  const kernelHost = (name: string, kernel: string) => file(`d-${name}.yaml`, `apiVersion: migcheck/v1\nkind: Host\nname: d\nkernel: ${kernel}\nvmm: qemu-9.2\ncpu: neoverse-n1:r3p1\n`);

  it.each([
    ['linux-6.1.0-13-arm64', '6.1', '6.1.0-13-arm64', true],
    ['6.1.0-13-cloud-arm64', '6.1', '6.1.0-13-cloud-arm64', true],
    ['5.15.0-91-generic', '5.15', '5.15.0-91-generic', true],
    ['5.14.0-427.el9.aarch64', '5.14', '5.14.0-427.el9.aarch64', true],
    ['6.1.192-3', '6.1', '6.1.192-3', false],
    ['6.1', '6.1', '6.1', false],
    ['6.10', '6.10', '6.10', false], // a YAML number 6.1: taken as written
    ['"6.12"', '6.12', '6.12', false],
  ])('kernel: %s resolves to %s (version %s; assumption: %s)', (kernel, release, version, assumed) => {
    const h = new Resolver().host(kernelHost(kernel.replace(/\W/g, '_'), kernel));
    expect(h.kernel).toMatchObject({ release, version });
    expect(Boolean(h.kernel.assumption)).toBe(assumed);
  });

  it("Debian's package version takes the stable backports of its patch level", () => {
    const r = new Resolver();
    expect(r.host(kernelHost('deb-pkg', '6.1.192-3')).kernel.backports).toEqual(r.host(kernelHost('deb-up', 'linux-6.1.192')).kernel.backports);
  });

  it('upstream: names the stable base of a distribution release, and must be of its series', async () => {
    const r = new Resolver();
    const f = (name: string, up: string) => file(`up-${name}.yaml`, `apiVersion: migcheck/v1\nkind: Host\nname: u\nkernel: { version: 5.15.0-91-generic, upstream: ${up} }\nvmm: qemu-9.2\ncpu: neoverse-n1:r3p1\n`);
    const k = r.host(f('ok', '5.15.131')).kernel;
    expect(k).toMatchObject({ version: '5.15.0-91-generic', release: '5.15' });
    expect(k.assumption).toBeUndefined();
    expect(k.backports).toEqual(r.host(kernelHost('up-ref', 'linux-5.15.131')).kernel.backports);
    const bad = await cli('validate', f('bad', '6.1.131'));
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/:4:\d+: kernel\.upstream: upstream 6\.1\.131 is a 6\.1 kernel, but kernel\.version 5\.15\.0-91-generic is 5\.15/);
  });

  it.each([
    ['linux-7.4', /unknown kernel profile 'linux-7\.4': newer than the knowledge base \(4\.14 … 7\.3\); probe the host with --kvm, or name the closest release \(did you mean 'linux-7\.3'\?\)$/],
    ['linux-6.20', /\(did you mean 'linux-6\.19'\?\)$/],
    ['linux-5.20', /\(did you mean 'linux-5\.19'\?\)$/],
    ['linux-3.18', /older than the knowledge base \(4\.14 … 7\.3\), which cannot model it \(did you mean 'linux-4\.14'\?\)$/],
    ["'linux 6.1'", /expected a kernel like .*, got string "linux 6\.1" \(names have no spaces: did you mean 'linux-6\.1'\?\)$/],
  ])('kernel: %s is answered by version', async (kernel, message) => {
    const r = await cli('validate', kernelHost(`m-${kernel.replace(/\W/g, '_')}`, kernel));
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd()).toMatch(message);
  });

  it('linux-6.19 is a shipped release, not a misspelt 4.19', async () => {
    const r = await cli('profiles', 'show', 'linux-6.19', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).name).toBe('linux-6.19');
  });

  it("'qemu 8.2' with a space gets a readable message in a profile and on the command line; qemu-8.2.1 is QEMU 8.2", async () => {
    const y = await cli('validate', hostWith('spaced', "'qemu 8.2'"));
    expect(y.code).toBe(3);
    expect(y.stderr.trimEnd()).toMatch(/:6:6: vmm: expected a name of letters, digits, .* \(no spaces\), got string "qemu 8\.2" \(names have no spaces: did you mean 'qemu-8\.2'\?\)$/);
    expect(y.stderr).not.toMatch(/\^\[/);
    const c = await cli('fence', '--kernels', 'linux-6.6', '--vmms', 'qemu 8.2');
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(/unknown VMM profile 'qemu 8\.2': .* \(names have no spaces: did you mean 'qemu-8\.2'\?\)/);
    const p = await cli('profiles', 'show', 'qemu-8.2.1', '--format', 'json');
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout).name).toBe('qemu-8.2.1');
  });
});

describe("'default', the built-in guest", () => {
  const guest = (name: string, ext: string) => file(`${name}.yaml`, `apiVersion: migcheck/v1\nkind: Guest\nname: ${name}\nextends: ${ext}\npsciVersion: "1.0"\n`);

  it('a Guest may extend default: it is the built-in guest, so only its own fields count', () => {
    const g = new Resolver().guest(guest('on-default', 'default'));
    expect(g).toMatchObject({ name: 'on-default', stolenTime: 'auto', psciVersion: '1.0' });
  });

  it('validate and check accept it', async () => {
    const f = guest('on-default-cli', 'default');
    expect((await cli('validate', f)).code).toBe(0);
    const r = await cli('check', '--from', '2018-old', '--to', '2018-old', '--guest', f);
    expect(r.code, r.stderr).toBeLessThan(3);
  });

  it("a misspelt default still points at 'default', which now works", async () => {
    const r = await cli('validate', guest('on-defualt', 'defualt'));
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd()).toMatch(/on-defualt\.yaml:4:10: extends: unknown guest profile 'defualt' \(did you mean 'default'\?\)$/);
  });

  it('a Host extending default is not offered the guest', async () => {
    const f = file('host-default.yaml', 'apiVersion: migcheck/v1\nkind: Host\nname: h\nextends: default\n');
    const r = await cli('validate', f);
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd()).toMatch(/host-default\.yaml:4:10: extends: unknown host profile 'default'$/);
  });
});
