// Fleet documents: schema errors and unresolvable references are one-line
// file:line:col diagnostics (exit 3); the fast reader gives exactly what YAML gives.
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { quickParse } from '../../src/profile/quick-yaml.js';
import { Resolver } from '../../src/profile/resolve.js';
import { cli, writeProfile } from '../helpers.js';

const F = 'test/fixtures/fleets';

describe('Fleet validation', () => {
  it.each([
    [`${F}/bad-entry.yaml`, [/bad-entry\.yaml:5:42: hosts\[0\]\.count: expected a whole number of hosts, at least 1, got number 0/, /bad-entry\.yaml:6:36: hosts\[1\]\.upgradeTO: unknown key 'upgradeTO' \(did you mean 'upgradeTo'\?\)/]],
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

  it('declines duplicate keys, anchors, quotes and trailing comments', () => {
    for (const t of ['name: a\nname: b\n', 'name: &x a\n', "name: 'a'\n", 'name: a # c\n', 'hosts:\n  - { host: a, host: b }\n', 'name: true\n', 'name: 1.0\n'])
      expect(quickParse(t), t).toBeUndefined();
  });
});
