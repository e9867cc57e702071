// migcheck fleet add FLEET DIR...: a Fleet built from directories of probed Host profiles,
// one named node per file (the hostname the probe read, else the file's base name); an
// existing fleet is extended with its comments kept, and again is a no-op; a bad profile,
// a name a fleet does not take or a node already listed is exit 3 and nothing is written.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Resolver } from '../../src/profile/resolve.js';
import { TMP, cli } from '../helpers.js';

const CAPTURED = ['altra-n1-ubuntu-5.15', 'graviton3-v1-al2023-6.1', 'rk3399-biglittle-debian-6.1'].map((t) => `test/fixtures/hosts/${t}/expected/host.yaml`);

function probedDir(root: string, dir: string, files: Record<string, string>): string {
  const d = join(root, dir);
  mkdirSync(d, { recursive: true });
  for (const [name, from] of Object.entries(files)) copyFileSync(from, join(d, name));
  return d;
}

describe('fleet add', () => {
  it('writes a new fleet, one node per file, that validates and pools label', async () => {
    const root = mkdtempSync(join(TMP, 'fleet-add-'));
    const dir = probedDir(root, 'probed', { 'altra-01.yaml': CAPTURED[0]!, 'g3-01.yaml': CAPTURED[1]!, 'rk-01.yml': CAPTURED[2]! });
    writeFileSync(join(dir, 'notes.txt'), 'not a profile');
    const fleet = join(root, 'eu.yaml');
    const r = await cli('fleet', 'add', fleet, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote .*eu\.yaml: 3 nodes added/);
    const f = new Resolver().fleet(fleet);
    expect(f.name).toBe('eu');
    expect(f.hosts.map((e) => [e.nodes, e.count])).toEqual([[['altra-01'], 1], [['g3-01'], 1], [['rk-01'], 1]]);
    expect((await cli('validate', fleet)).code).toBe(0);
    const k = await cli('pools', '--fleet', fleet, '--format', 'kubernetes');
    expect(k.code, k.stderr).toBe(0);
    expect(k.stdout.split('\n').filter((l) => l.startsWith('kubectl')).map((l) => l.split(' ')[3]).sort()).toEqual(['altra-01', 'g3-01', 'rk-01']);
  });

  it('--name takes what the Fleet schema takes (eu+west, a trailing -), and refuses what it refuses', async () => {
    const root = mkdtempSync(join(TMP, 'fleet-name-'));
    const dir = probedDir(root, 'probed', { 'altra-01.yaml': CAPTURED[0]! });
    for (const name of ['eu+west', 'eu-west-']) {
      const fleet = join(root, `${name}.yaml`);
      const r = await cli('fleet', 'add', fleet, dir, '--name', name);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(new Resolver().fleet(fleet).name).toBe(name);
    }
    const bad = await cli('fleet', 'add', join(root, 'bad.yaml'), dir, '--name', 'eu west');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/fleet name 'eu west'/);
  });

  it('extends a fleet, keeping its comments; a hostname the probe read names the node; again adds nothing', async () => {
    const root = mkdtempSync(join(TMP, 'fleet-add-'));
    const fleet = join(root, 'fleet.yaml');
    writeFileSync(fleet, '# our fleet\napiVersion: migcheck/v1\nkind: Fleet\nname: ours\nhosts:\n  - { host: altra-6.6, nodes: [old-1] } # hand-written\n');
    const dir = join(root, 'more');
    mkdirSync(dir);
    // as probe writes it when the name came from /proc/sys/kernel/hostname
    const doc = { apiVersion: 'migcheck/v1', kind: 'Host', name: 'web-7.example', kernel: 'linux-6.12', vmm: 'qemu-9.2', cpu: 'neoverse-n1:r3p1', probe: { tool: 'migcheck probe', evidence: { name: '/proc/sys/kernel/hostname' } } };
    writeFileSync(join(dir, 'capture-7.yaml'), stringify(doc));
    const r = await cli('fleet', 'add', fleet, dir);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(fleet, 'utf8');
    expect(text).toMatch(/^# our fleet\n/);
    expect(text).toMatch(/# hand-written/);
    const f = new Resolver().fleet(fleet);
    expect(f.hosts.map((e) => e.nodes)).toEqual([['old-1'], ['web-7.example']]);
    expect(f.hosts[1]!.host.name).toBe('web-7.example');
    const again = await cli('fleet', 'add', fleet, dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/0 nodes added, 1 file skipped/);
    expect(readFileSync(fleet, 'utf8')).toBe(text);
  });

  it('-o - prints the fleet and leaves the file as it was', async () => {
    const root = mkdtempSync(join(TMP, 'fleet-add-'));
    const dir = probedDir(root, 'p', { 'a1.yaml': CAPTURED[0]! });
    const fleet = join(root, 'f.yaml');
    writeFileSync(fleet, 'apiVersion: migcheck/v1\nkind: Fleet\nname: f\nhosts:\n  - { host: altra-6.6, count: 2 }\n');
    const r = await cli('fleet', 'add', fleet, dir, '-o', '-');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nodes: \[ a1 \]/);
    expect(readFileSync(fleet, 'utf8')).not.toMatch(/a1/);
  });

  it.each([
    ['a file name a fleet does not take', { 'bad name.yaml': CAPTURED[0]! }, /bad name\.yaml:\d+:\d+: \(document\): node name 'bad name' \(from the file name\) is not one a fleet takes/],
    ['a node already in the fleet', { 'old-1.yaml': CAPTURED[0]! }, /old-1\.yaml:\d+:\d+: \(document\): node 'old-1' is already in .*fleet\.yaml; a node is one machine/],
    ['two files with one host name', { 'x1.yaml': CAPTURED[0]!, 'x2.yaml': CAPTURED[0]! }, /x2\.yaml:\d+:\d+: name: host name 'altra-01' is also the name of .*x1\.yaml/],
  ])('%s: exit 3, located, nothing written', async (_what, files, message) => {
    const root = mkdtempSync(join(TMP, 'fleet-add-'));
    const fleet = join(root, 'fleet.yaml');
    const before = 'apiVersion: migcheck/v1\nkind: Fleet\nname: ours\nhosts:\n  - { host: altra-6.6, nodes: [old-1] }\n';
    writeFileSync(fleet, before);
    const dir = probedDir(root, 'p', files);
    const r = await cli('fleet', 'add', fleet, dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(fleet, 'utf8')).toBe(before);
  });

  it('a bad Host profile is exit 3 where it is wrong; no fleet is created', async () => {
    const root = mkdtempSync(join(TMP, 'fleet-add-'));
    const dir = probedDir(root, 'p', { 'broken.yaml': 'test/fixtures/bad/unknown-key.yaml' });
    const r = await cli('fleet', 'add', join(root, 'new.yaml'), dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: .*unknown key/);
    expect(() => readFileSync(join(root, 'new.yaml'))).toThrow();
  });
});
