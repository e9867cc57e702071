// pools --format kubernetes|openstack: the lines are in the shapes those tools accept,
// checked against their documented syntax (no cluster): kubectl label keys and values
// (a DNS-subdomain prefix, a name and a value of at most 63 characters, alphanumeric at both
// ends, '-', '_' and '.' inside), node names as DNS-1123 subdomains, Placement custom traits
// (^CUSTOM_[A-Z0-9_]+$, at most 255 characters) and the flavor extra spec that requires one.
import { describe, expect, it } from 'vitest';
import { cli, writeProfile } from '../helpers.js';

const FLEET = 'profiles/examples/fleet/eu-west.yaml';
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TRAIT = /^CUSTOM_[A-Z0-9_]+$/;

function labelKeyOk(key: string): boolean {
  const [prefix, name] = key.includes('/') ? key.split('/') : [undefined, key];
  return (prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix))) && name!.length <= 63 && LABEL_NAME.test(name!);
}

const nodesOf = async (...argv: string[]) => {
  const r = await cli('pools', '--fleet', FLEET, ...argv, '--format', 'json');
  const j = JSON.parse(r.stdout) as { pools: { pool: number; members: { nodes: string[] }[] }[] };
  return new Map(j.pools.flatMap((p) => p.members.flatMap((m) => m.nodes.map((n) => [n, p.pool] as const))));
};

describe('pools --format kubernetes', () => {
  it.each([[[]], [['--with-targets']], [['--guest', 'pinned']]])('%j: kubectl label lines with valid keys, values and node names; every node once, in its pool', async (extra) => {
    const r = await cli('pools', '--fleet', FLEET, ...extra, '--format', 'kubernetes');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    // before any wave: the pools now
    const end = lines.indexOf('');
    const now = (end < 0 ? lines : lines.slice(0, end)).filter((l) => !l.startsWith('#'));
    for (const l of lines.filter((l) => l && !l.startsWith('#'))) {
      const m = /^kubectl label node (\S+) (\S+)=(\S*) --overwrite$/.exec(l);
      expect(m, l).not.toBeNull();
      const [, node, key, value] = m!;
      expect(node!.length).toBeLessThanOrEqual(253);
      expect(node).toMatch(DNS1123_SUBDOMAIN);
      expect(labelKeyOk(key!), key).toBe(true);
      expect(key).toBe('migcheck.dev/pool');
      expect(value!.length).toBeLessThanOrEqual(63);
      expect(value).toMatch(LABEL_VALUE);
    }
    const expected = await nodesOf(...extra);
    const labelled = new Map(now.map((l) => /^kubectl label node (\S+) migcheck\.dev\/pool=(\S+) /.exec(l)!).map((m) => [m[1]!, Number(m[2])] as const));
    expect(labelled.size).toBe(now.length);
    expect(labelled).toEqual(expected);
    expect(labelled.size).toBe(184);
  });

  it('a node name Kubernetes would refuse is exit 3 where the fleet writes it; OpenStack takes it', async () => {
    const f = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Fleet', name: 'upper', hosts: [{ host: 'altra-6.6', nodes: ['Altra_1', 'altra-2'] }] });
    const k = await cli('pools', '--fleet', f, '--format', 'kubernetes');
    expect(k.code).toBe(3);
    expect(k.stdout).toBe('');
    expect(k.stderr).toMatch(/:\d+:\d+: hosts\[0\]\.nodes\[0\]: 'Altra_1' is not a Kubernetes node name: a DNS-1123 subdomain/);
    const o = await cli('pools', '--fleet', f, '--format', 'openstack');
    expect(o.code, o.stderr).toBe(0);
    expect(o.stdout).toMatch(/--name Altra_1 /);
  });
});

describe('pools --format openstack', () => {
  it.each([[[]], [['--with-targets']]])('%j: Placement traits by the trait rules, one per node, the flavor extra spec, the replace warning', async (extra) => {
    const r = await cli('pools', '--fleet', FLEET, ...extra, '--format', 'openstack');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(r.stdout).toMatch(/trait set` replaces all of a provider's traits/);
    const created = lines.flatMap((l) => /^openstack --os-placement-api-version 1\.6 trait create (\S+)$/.exec(l)?.[1] ?? []);
    expect(created.length).toBeGreaterThan(0);
    const set = lines.filter((l) => l.startsWith('rp='));
    expect(set.length).toBeGreaterThanOrEqual(184);
    for (const l of set) {
      const m = /^rp=\$\(openstack resource provider list --name (\S+) -f value -c uuid\) && openstack --os-placement-api-version 1\.6 resource provider trait set \$\(openstack --os-placement-api-version 1\.6 resource provider trait list -f value -c name "\$rp" \| grep -v '\^CUSTOM_MIGCHECK_POOL_' \| sed 's\/\^\/--trait \/'\) --trait (\S+) "\$rp"$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(m![1]!.length).toBeLessThanOrEqual(200);
      expect(created).toContain(m![2]);
    }
    for (const t of created) {
      expect(t).toMatch(TRAIT);
      expect(t.length).toBeLessThanOrEqual(255);
      expect(t).toMatch(/^CUSTOM_MIGCHECK_POOL_\d+$/);
      expect(r.stdout).toContain(`openstack flavor set --property trait:${t}=required FLAVOR`);
    }
    // the pools now: one trait per node, the pool JSON gives
    const expected = await nodesOf(...extra);
    const now = set.slice(0, 184).map((l) => [/--name (\S+) /.exec(l)![1]!, Number(/--trait CUSTOM_MIGCHECK_POOL_(\d+) "\$rp"$/.exec(l)![1])] as const);
    expect(new Map(now)).toEqual(expected);
  });
});
