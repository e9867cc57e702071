// examples/libvirt-hook/qemu driven the way libvirt drives it on the destination:
// `qemu GUEST migrate begin -`, the domain XML on stdin; non-zero cancels; stdout must stay
// empty (libvirt would take it as a replacement domain XML).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TMP } from '../helpers.js';

const root = resolve('.');
const HOOK = join(root, 'examples/libvirt-hook/qemu');
const HOSTS = join(TMP, 'hook-hosts');
const GUESTS = join(TMP, 'hook-guests');
mkdirSync(HOSTS, { recursive: true });
mkdirSync(GUESTS, { recursive: true });
// profiles captured by `migcheck probe --kvm` (the fixture machines' golden profiles)
copyFileSync(join(root, 'test/fixtures/hosts/altra-n1-ubuntu-5.15/expected/host-kvm.yaml'), join(HOSTS, 'altra-01.yaml'));
copyFileSync(join(root, 'test/fixtures/hosts/graviton3-v1-al2023-6.1/expected/host-kvm.yaml'), join(HOSTS, 'graviton3-01.yaml'));
copyFileSync(join(root, 'test/fixtures/guests/stolen-time-on.yaml'), join(GUESTS, 'steal.yaml'));

const domain = (metadata: string, machine = 'virt-6.2') => `<domain type='kvm' id='7'>
  <name>vm1</name>
  <uuid>8b6c1c2e-4f0a-4d43-9d39-52b3e8c1a001</uuid>
  <metadata>
${metadata}
  </metadata>
  <memory unit='KiB'>4194304</memory>
  <vcpu placement='static'>4</vcpu>
  <os>
    <type arch='aarch64' machine='${machine}'>hvm</type>
  </os>
  <cpu mode='host-passthrough' check='none'/>
</domain>
`;
const META = (attrs: string) => `    <migcheck:host xmlns:migcheck="https://migcheck.dev/xmlns/1" ${attrs}/>`;

function libvirt(args: string[], xml: string, env: Record<string, string> = {}) {
  return spawnSync('/bin/sh', [HOOK, ...args], {
    input: xml,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH!,
      MIGCHECK: `${process.execPath} ${join(root, 'bin/migcheck')}`,
      MIGCHECK_HOSTS: HOSTS,
      MIGCHECK_GUESTS: GUESTS,
      MIGCHECK_SELF: join(HOSTS, 'altra-01.yaml'),
      ...env,
    },
  });
}
const begin = (xml: string, env?: Record<string, string>) => libvirt(['vm1', 'migrate', 'begin', '-'], xml, env);

describe('libvirt qemu hook, migrate begin on the destination (altra-01)', () => {
  it('clean: from another Altra with the same profile -> exit 0, stdout and stderr empty', () => {
    const r = begin(domain(META('source="altra-01"')));
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('fail: from the Graviton3 (6.1, Neoverse-V1) -> non-zero, the reason on stderr, stdout empty', () => {
    const r = begin(domain(META('guest="steal" source="graviton3-01"')));
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('migcheck hook: refusing incoming migration of vm1 from graviton3-01:');
    expect(r.stderr).toContain('FAIL  graviton3-01 -> altra-01');
    expect(r.stderr).toMatch(/register-list\s+OSLSR_EL1/);
    expect(r.stderr).toMatch(/cpu-identity\s+MIDR_EL1/);
  });

  it('unsafe: allowed with the reason on stderr by default, cancelled with MIGCHECK_FAIL_ON=unsafe', () => {
    // N1 r4p0 -> r3p1 with writable MIDR: erratum 1418040 is new to the guest (V1 -> N1, used before, fails on the ID registers)
    copyFileSync(join(root, 'test/fixtures/hosts/n1r4-6.15-next.yaml'), join(HOSTS, 'n1r4.yaml'));
    copyFileSync(join(root, 'test/fixtures/hosts/n1-6.15-next.yaml'), join(HOSTS, 'n1-6.15-next.yaml'));
    const self = { MIGCHECK_SELF: join(root, 'test/fixtures/hosts/n1-6.15-next.yaml') };
    const allowed = begin(domain(META('source="n1r4"')), self);
    expect([allowed.status, allowed.stdout]).toEqual([0, '']);
    expect(allowed.stderr).toContain('is unsafe (allowed, MIGCHECK_FAIL_ON=fail)');
    const refused = begin(domain(META('source="n1r4"')), { ...self, MIGCHECK_FAIL_ON: 'unsafe' });
    expect([refused.status, refused.stdout]).toEqual([1, '']);
    expect(refused.stderr).toMatch(/UNSAFE[\s\S]*guest-errata/);
  });

  it("passes the domain XML's machine type on: the same Altra on QEMU 9.2 -> 6.2 is clean with virt-6.2, fails with virt-9.2", () => {
    // the source is altra-01 with QEMU 9.2 (same kernel, CPU and register list)
    writeFileSync(join(HOSTS, 'altra-q92.yaml'), 'apiVersion: migcheck/v1\nkind: Host\nname: altra-q92\nextends: altra-01.yaml\nvmm: qemu-9.2\n');
    const pinned = begin(domain(META('source="altra-q92"'), 'virt-6.2'));
    expect([pinned.status, pinned.stdout, pinned.stderr]).toEqual([0, '', '']);
    const newer = begin(domain(META('source="altra-q92"'), 'virt-9.2'));
    expect([newer.status, newer.stdout]).toEqual([1, '']);
    expect(newer.stderr).toMatch(/FAIL  altra-q92 -> altra-01/);
    expect(newer.stderr).toMatch(/machine-type\s+machineType/);
    expect(newer.stderr).toContain("does not support machine type 'virt-9.2'");
    // with `<type machine=…>` written in double quotes and a Guest profile from the metadata
    const quoted = begin(domain(META('guest="steal" source="altra-q92"'), 'virt-9.2').replace("machine='virt-9.2'", 'machine="virt-9.2"'));
    expect(quoted.status).toBe(1);
    expect(quoted.stderr).toMatch(/machine-type\s+machineType/);
  });

  it('a machine type outside the syntax is not passed on (the source QEMU\'s newest is assumed)', () => {
    // taken whole, or cut at the $, this type would fail (exit 3, or not registered on QEMU 6.2)
    const r = begin(domain(META('source="altra-01"'), 'virt-9.2$(id)'));
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('other operations pass straight through, reading their XML', () => {
    for (const op of [['vm1', 'prepare', 'begin', '-'], ['vm1', 'start', 'begin', '-'], ['vm1', 'migrate', 'end', '-']]) {
      const r = libvirt(op, domain(META('source="graviton3-01"')));
      expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    }
  });

  it('no source in the XML: allowed with a note by default, refused with MIGCHECK_ON_UNKNOWN=deny', () => {
    const open = begin(domain(''));
    expect([open.status, open.stdout]).toEqual([0, '']);
    expect(open.stderr).toContain('not checking incoming migration of vm1: no source host');
    const closed = begin(domain(''), { MIGCHECK_ON_UNKNOWN: 'deny' });
    expect([closed.status, closed.stdout]).toEqual([1, '']);
  });

  it('MIGCHECK_SOURCE stands in for missing metadata; a name with a path is not followed', () => {
    expect(begin(domain(''), { MIGCHECK_SOURCE: 'graviton3-01' }).status).toBe(1);
    const r = begin(domain(META('source="../../etc/passwd"')), { MIGCHECK_ON_UNKNOWN: 'deny' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not a profile name');
  });

  it('a broken profile cancels (the gate cannot judge), with migcheck\'s file:line:col', () => {
    const broken = join(HOSTS, 'broken.yaml');
    copyFileSync(join(root, 'test/fixtures/bad/unknown-key.yaml'), broken);
    const r = begin(domain(META('source="broken"')));
    expect([r.status, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(/could not judge it \(exit 3\)[\s\S]*broken\.yaml:\d+:\d+:/);
  });
});
