// Fleet documents: schema errors and unresolvable references are one-line
// file:line:col diagnostics (exit 3); the fast reader gives exactly what YAML gives.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Document, isMap, isScalar, isSeq, parse, visit } from 'yaml';
import { describe, expect, it } from 'vitest';
import { quickParse } from '../../src/profile/quick-yaml.js';
import { Resolver } from '../../src/profile/resolve.js';
import { cli, writeProfile } from '../helpers.js';

const F = 'test/fixtures/fleets';

describe('Fleet validation', () => {
  it.each([
    [`${F}/bad-entry.yaml`, [/bad-entry\.yaml:5:42: hosts\[0\]\.count: expected a whole number of hosts from 1 to 1000000, got number 0/, /bad-entry\.yaml:6:36: hosts\[1\]\.upgradeTO: unknown key 'upgradeTO' \(did you mean 'upgradeTo'\?\)/]],
    // named nodes: listed once in a fleet, instead of a count, valid names
    [`${F}/bad-nodes.yaml`, [/bad-nodes\.yaml:5:55: hosts\[0\]\.nodes\[2\]: node 'n1-a' is also listed at hosts\[0\]\.nodes\[0\]/, /bad-nodes\.yaml:6:43: hosts\[1\]\.count: give count or nodes, not both/, /bad-nodes\.yaml:7:44: hosts\[2\]\.nodes\[0\]: node 'n1-b' is also listed at hosts\[0\]\.nodes\[1\]/]],
    [`${F}/bad-node-names.yaml`, [/bad-node-names\.yaml:5:43: hosts\[0\]\.nodes\[0\]: expected a node name .*got string "-bad-"/, /bad-node-names\.yaml:5:50: hosts\[0\]\.nodes\[1\]: expected a node name .*"sp ace"/, /bad-node-names\.yaml:6:42: hosts\[1\]\.nodes: expected a list of node names, got an empty list/]],
    [`${F}/missing-host.yaml`, [/missing-host\.yaml:6:11: hosts\[1\]\.host: no such host file '\.\.\/hosts\/no-such-host\.yaml'/, /missing-host\.yaml:8:19: guests\[1\]: unknown guest profile 'no-such-guest'/]],
  ])('%s', async (file, expected) => {
    const r = await cli('matrix', '--fleet', file);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(lines[i]).toMatch(re));
    expect(r.stdout).toBe('');
  });

  it('rejects two different host files with the same name, at the second reference', async () => {
    const a = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'twin', kernel: 'linux-6.6', vmm: 'qemu-9.2', cpu: 'neoverse-n1:r3p1' });
    const b = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'twin', kernel: 'linux-6.12', vmm: 'qemu-9.2', cpu: 'neoverse-n1:r3p1' });
    const f = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Fleet', name: 'twins', hosts: [{ host: a }, { host: b }] });
    const r = await cli('validate', f);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/:\d+:\d+: hosts\[1\]\.host: host name 'twin' is also the name of .* \(hosts\[0\]\.host\); names must be unique in a fleet/);
  });

  it('validates the shipped fleet and resolves names, counts and targets', () => {
    const f = new Resolver().fleet('eu-west');
    expect(f.hosts.map((e) => [e.host.name, e.count, e.upgradeTo?.name])).toEqual([
      ['altra-6.6', 120, 'altra-6.12'],
      ['altra-6.1', 24, 'altra-6.12'],
      ['v1-6.6', 40, 'v1-6.12'],
    ]);
    expect(f.guests.map((g) => g.name)).toEqual(['default', 'pinned']);
    // its machines are named: the count is the number of names, each named once
    expect(f.hosts.map((e) => e.nodes?.length)).toEqual([120, 24, 40]);
    expect(new Set(f.hosts.flatMap((e) => e.nodes)).size).toBe(184);
    expect(f.hosts[0]!.nodes!.slice(0, 2)).toEqual(['altra-001', 'altra-002']);
  });

  it('reports every repeated node past the first 20 as one counted line', async () => {
    const f = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Fleet', name: 'dups', hosts: [{ host: 'altra-6.6', nodes: ['a', 'b'] }, { host: 'altra-6.12', nodes: Array.from({ length: 50 }, (_, i) => (i % 2 ? 'a' : 'b')) }] });
    const r = await cli('validate', f);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toMatch(/… and 30 more problems in this file/);
  });

  it('schema fleet prints the Fleet schema', async () => {
    const r = await cli('schema', 'fleet');
    expect(JSON.parse(r.stdout).title).toBe('migcheck Fleet');
  });
});

describe('the fast YAML reader', () => {
  const word = fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9._/+-]{0,12}$/);
  const scalar = fc.oneof(word, fc.nat(100000).map(String), fc.constantFrom('true', 'null', '1.5', '0x10', "'q'", '"x"', 'a b', '~', '012', '-1'));
  const entry = fc.dictionary(fc.constantFrom('host', 'count', 'upgradeTo', 'HOST'), scalar, { minKeys: 1, maxKeys: 3 });
  const doc = fc.record({ name: scalar, kind: scalar, entries: fc.array(entry, { minLength: 0, maxLength: 5 }), guests: fc.array(scalar, { maxLength: 3 }) });
  const text = (d: { name: string; kind: string; entries: Record<string, string>[]; guests: string[] }) =>
    `name: ${d.name}\nkind: ${d.kind}\nhosts:\n${d.entries.map((e) => `  - { ${Object.entries(e).map(([k, v]) => `${k}: ${v}`).join(', ')} }`).join('\n')}\nguests: [${d.guests.join(', ')}]\n`;

  it('reads a document exactly as YAML 1.2 does, or declines', () => {
    let read = 0;
    fc.assert(
      fc.property(doc, (d) => {
        const t = text(d);
        const quick = quickParse(t);
        if (quick !== undefined) {
          read++;
          expect(quick).toEqual(parse(t, { version: '1.2', schema: 'core' }));
        }
      }),
      { seed: 20261122, numRuns: 400 },
    );
    // the comparison must have run, not only the declines
    expect(read).toBeGreaterThan(10);
  });

  it('reads every document inside the subset (words and integers), as YAML 1.2 does', () => {
    const plain = fc.oneof(word.filter((w) => !/^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/.test(w)), fc.nat(100000).map(String));
    const inside = fc.record({
      name: plain,
      kind: plain,
      entries: fc.array(fc.dictionary(fc.constantFrom('host', 'count', 'upgradeTo'), plain, { minKeys: 1, maxKeys: 3 }), { minLength: 1, maxLength: 5 }),
      guests: fc.array(plain, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(inside, (d) => {
        const t = text(d);
        const quick = quickParse(t);
        expect(quick).toBeDefined();
        expect(quick).toEqual(parse(t, { version: '1.2', schema: 'core' }));
      }),
      { seed: 20261122, numRuns: 300 },
    );
  });

  // nested documents as `migcheck probe` and hand-written profiles look: block maps, block
  // lists of flow maps, flow lists, double-quoted strings with spaces, quotes and backslashes
  const text1 = fc.string({ maxLength: 12 });
  const leaf = fc.oneof(word.filter((w) => !/^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/.test(w)), fc.nat(100000), fc.boolean(), text1);
  const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
  const flowMap = fc.dictionary(key, leaf, { minKeys: 1, maxKeys: 3 });
  const { value: nested } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: 3 }, leaf, fc.array(leaf, { maxLength: 4 }), fc.array(flowMap, { minLength: 1, maxLength: 3 }), tie('map')),
    map: fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 4 }),
  }));
  const nestedDoc = fc.dictionary(key, nested, { minKeys: 1, maxKeys: 5 });
  const probeStyle = (d: unknown, quoted: boolean) => {
    const doc = new Document(d);
    visit(doc, { Seq: (_k, n) => void (n.items.every((i) => isScalar(i) || isMap(i)) && (n.flow = n.items.every(isScalar))), Map: (_k, n, path) => void (path.at(-1) && isSeq(path.at(-1)) && (n.flow = true)) });
    return doc.toString({ lineWidth: 0, ...(quoted ? { defaultStringType: 'QUOTE_DOUBLE' as const, defaultKeyType: 'PLAIN' as const } : {}) });
  };

  it('reads nested documents written the way probe writes them, exactly as YAML 1.2 does', () => {
    let read = 0;
    fc.assert(
      fc.property(nestedDoc, fc.boolean(), (d, quoted) => {
        const t = probeStyle(d, quoted);
        const quick = quickParse(t);
        if (quoted && !/\\[^"\\]/.test(t)) expect(quick, t).toBeDefined(); // only \" and \\ escapes are in the subset
        if (quick !== undefined) {
          read++;
          expect(quick).toEqual(parse(t, { version: '1.2', schema: 'core' }));
        }
      }),
      { seed: 20261122, numRuns: 400 },
    );
    expect(read).toBeGreaterThan(150);
  });

  it('reads the golden probed profiles without the full parser', () => {
    for (const t of ['altra-n1-ubuntu-5.15', 'graviton3-v1-al2023-6.1', 'rk3399-biglittle-debian-6.1'])
      for (const f of ['host.yaml', 'host-kvm.yaml']) {
        const text = readFileSync(`test/fixtures/hosts/${t}/expected/${f}`, 'utf8');
        expect(quickParse(text), `${t}/${f}`).toEqual(parse(text));
      }
  });

  it('reads plain block scalars and multi-word plain strings as YAML does', () => {
    for (const t of ['description: >\n  a folded\n  text (2018)\nname: 2018-old\n', 'notes: |\n  line one\n  line two\nkernel: linux-6.6\n', 'name: qemu (2018) build\n'])
      expect(quickParse(t), t).toEqual(parse(t, { version: '1.2', schema: 'core' }));
  });

  it('declines duplicate keys, anchors, quotes and trailing comments', () => {
    for (const t of ['name: a\nname: b\n', 'name: &x a\n', "name: 'a'\n", 'name: a # c\n', 'hosts:\n  - { host: a, host: b }\n', 'name: True\n', 'name: 1.0\n', 'name: 0x10\n', 'a:\n  b: 1\n c: 2\n', 'name:\n', 'a: [1, [2, [3, [4, [5]]]]]\n', 'd: >-\n  a\n', 'd: >\n  a\n\n  b\n', 'd: >\n  a\n    b\n', 'd: >\n  a\n  # c\n', 'n: 012\n', 'n: 1e3\n', 'n: 0o7\n', 'n: .inf\n', 'n: ~\n'])
      expect(quickParse(t), t).toBeUndefined();
  });
});
