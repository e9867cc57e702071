// The fast path of src/profile/fleet-lines.ts (a Fleet whose hosts are one flow mapping a line,
// read straight into entry columns) against the library path: YAML 1.2 and the Fleet schema for
// the data, resolve.ts fleetDoc for the model and every error. Fleets in the written forms and
// their near misses: every key order, counts and node lists, missing and repeated keys, count
// with nodes, node names the schema refuses or YAML reads as numbers, booleans or nulls, a node
// listed twice, odd spacing, comments, block-form entries among flow ones, CRLF, a `hosts` key
// twice, headers the schema refuses; then, on disk, references that are missing, shipped
// names, unknown names, two files of one host name, broken Host files and guests.
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/profile/diagnostics.js';
import { entryData, readFleetLines, type FleetLines } from '../../src/profile/fleet-lines.js';
import { YAML_OPTIONS, loadDocument } from '../../src/profile/load.js';
import { Resolver } from '../../src/profile/resolve.js';
import * as validators from '../../src/generated/validators.cjs';

const SEED = 20261202;

const refWord = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('hosts/a.yaml', 'hosts/b.yaml', 'hosts/c.yaml', 'hosts/a-twin.yaml', 'hosts/broken.yaml', 'hosts/missing.yaml', 'altra-6.6', 'no-such-name', 'hosts/./a.yaml', 'hosts', 'guests/g.yaml') },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9_./+-]{0,12}$/) },
  fc.constantFrom('true', 'null', 'NULL', '~', '1.5', '12', '"hosts/a.yaml"', "'x'", 'a b', 'a,b', 'é', 'x'.repeat(4097)),
);
const nodeName = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^n[0-9]{1,2}$/) },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,8}$/) },
  fc.constantFrom('10-0-0-1', '1e3', '0x1f', '012', '6.10', '42', 'null', 'True', 'false', 'a-', '-a', 'a_', 'a b', 'a.', 'é', '"n1"', 'x'.repeat(254), 'y'.repeat(253)),
);
const count = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 60 }).map(String) }, fc.constantFrom('0', '01', '1000000', '1000001', '-1', '1.5', '0x10', 'many', '99999999'));
const nodes = fc.oneof(
  { weight: 4, arbitrary: fc.array(nodeName, { minLength: 1, maxLength: 4 }).map((ns) => `[${ns.join(', ')}]`) },
  fc.constantFrom('[]', '[ n1 ]', '[n1,n2]', '[n1, ]', 'n1', '[n1, [n2]]'),
);
const pair = fc.oneof(
  { weight: 4, arbitrary: refWord.map((r) => `host: ${r}`) },
  { weight: 3, arbitrary: nodes.map((n) => `nodes: ${n}`) },
  { weight: 2, arbitrary: count.map((c) => `count: ${c}`) },
  { weight: 2, arbitrary: refWord.map((r) => `upgradeTo: ${r}`) },
  fc.constantFrom('bogus: 1', 'hosts: x', 'host:hosts/a.yaml', 'host:  hosts/a.yaml', '__proto__: x'),
);
/** an entry mostly as inventories write it: host first, then nodes or a count, then maybe upgradeTo */
const goodRef = fc.oneof({ weight: 9, arbitrary: fc.constantFrom('hosts/a.yaml', 'hosts/b.yaml', 'hosts/c.yaml', 'altra-6.6') }, refWord);
const goodNodes = fc.oneof({ weight: 5, arbitrary: fc.array(fc.stringMatching(/^n[0-9]{1,3}$/), { minLength: 1, maxLength: 3 }).map((ns) => `[${ns.join(', ')}]`) }, nodes);
const goodCount = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 60 }).map(String) }, count);
const usual = fc
  .tuple(goodRef, fc.oneof(goodNodes.map((n) => `nodes: ${n}`), goodCount.map((c) => `count: ${c}`), fc.constant('')), fc.option(goodRef, { nil: undefined }))
  .map(([h, n, u]) => [`host: ${h}`, ...(n ? [n] : []), ...(u ? [`upgradeTo: ${u}`] : [])]);
const pairs = fc.oneof({ weight: 4, arbitrary: usual }, fc.array(pair, { minLength: 0, maxLength: 4 }), fc.shuffledSubarray(['host: hosts/a.yaml', 'nodes: [n1]', 'upgradeTo: hosts/b.yaml', 'count: 2']));
const line = fc.oneof(
  { weight: 30, arbitrary: usual.map((ps) => `{ ${ps.join(', ')} }`) },
  { weight: 12, arbitrary: pairs.map((ps) => `{ ${ps.join(', ')} }`) },
  fc.tuple(pairs, fc.constantFrom('{', '{  ', '{ '), fc.constantFrom('}', '  }', ' }', ' } # c', ' } ', ', }', ' },')).map(([ps, a, b]) => `${a}${ps.join(', ')}${b}`),
  // the block form, and a scalar item
  pairs.map((ps) => ps.join('\n    ')),
  fc.constantFrom('hosts/a.yaml', '', '# c'),
);
const header = fc.record(
  {
    apiVersion: fc.constantFrom('apiVersion: migcheck/v1', 'apiVersion: migcheck/v2'),
    kind: fc.constantFrom('kind: Fleet', 'kind: Fleet', 'kind: Host', 'kind: "Fleet"'),
    name: fc.constantFrom('name: f', 'name: f', 'name: bad name!', 'name: 42'),
    description: fc.constantFrom('description: a fleet', 'description: |\n  two\n  lines', 'description: 7'),
    guests: fc.constantFrom('guests: [default]', 'guests: [guests/g.yaml]', 'guests: [guests/none.yaml]', 'guests: [default, default]', 'guests:\n  - default', 'guests: []'),
    extra: fc.constantFrom('bogus: 1', '# a comment', 'hosts: []', 'hosts:\n  - { host: hosts/a.yaml }'),
  },
  { requiredKeys: [] },
);
/** a header the schema accepts, as most are */
const plainHeader = fc.record({ apiVersion: fc.constant('apiVersion: migcheck/v1'), kind: fc.constant('kind: Fleet'), name: fc.constant('name: f'), guests: fc.constantFrom('guests: [default]', 'guests: [guests/g.yaml]') }, { requiredKeys: ['apiVersion', 'kind', 'name'] });
const fleetText = fc
  .tuple(fc.oneof({ weight: 3, arbitrary: plainHeader }, header), fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom('  ', '  ', '', '    '), fc.boolean(), fc.constantFrom('\n', '\n', '', '\r\n', '\n\n'), fc.boolean())
  .map(([h, ls, indent, hostsFirst, end, guestsAfter]) => {
    const { guests, ...rest } = h;
    const others = Object.values(rest);
    const list = `hosts:\n${ls.map((l) => `${indent}- ${l.replace(/\n/g, `\n${indent}`)}`).join('\n')}`;
    const g = guests === undefined ? [] : [guests];
    const parts = [...(hostsFirst ? [] : others), ...(guestsAfter ? [] : g), list, ...(hostsFirst ? others : []), ...(guestsAfter ? g : [])];
    return parts.join('\n').replace(/\n/g, end === '\r\n' ? '\r\n' : '\n') + end;
  });

/** what YAML 1.2 reads (as load.ts parses), or undefined when it reports a problem */
const yamlOf = (s: string) => {
  const doc = parseDocument(s, YAML_OPTIONS);
  return doc.errors.length || doc.warnings.length ? undefined : (doc.toJS() as Record<string, unknown>);
};

describe('a fleet read straight into entries', () => {
  it('is what YAML 1.2 reads and the Fleet schema accepts, with no node listed twice, or is declined', () => {
    let read = 0;
    fc.assert(
      fc.property(fleetText, (t) => {
        const f = readFleetLines(t);
        if (f === undefined) return;
        read++;
        const entries = Array.from({ length: f.length }, (_, k) => entryData(f, k));
        const data = yamlOf(t);
        expect(data, t).toBeDefined();
        expect({ ...f.header, hosts: entries }, t).toEqual(data);
        // every entry as written is one the schema accepts (the header is checked by resolve.ts)
        const standIn = { apiVersion: 'migcheck/v1', kind: 'Fleet', name: 'f', hosts: entries };
        expect(validators.fleet(standIn), t).toBe(true);
        const names = entries.flatMap((e) => e.nodes ?? []);
        expect(new Set(names).size, t).toBe(names.length);
        // each reference once
        expect([...f.refs].sort(), t).toEqual([...new Set(entries.flatMap((e) => [e.host, ...(e.upgradeTo === undefined ? [] : [e.upgradeTo])]))].sort());
      }),
      { seed: SEED, numRuns: 3000 },
    );
    expect(read).toBeGreaterThan(500);
  });

  it('reads long lists of the usual lines, in runs of one form and its neighbours', () => {
    const entry = fc.record(
      { host: fc.constantFrom('hosts/a.yaml', 'hosts/b.yaml', 'x'), nodes: fc.array(fc.stringMatching(/^[a-z][a-z0-9.-]{0,6}[a-z0-9]$/), { minLength: 1, maxLength: 3 }), count: fc.integer({ min: 1, max: 10 ** 6 }), upgradeTo: fc.constantFrom('hosts/c.yaml', 'y') },
      { requiredKeys: ['host'] },
    );
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 60 }), (es) => {
        const list = es.map((e) => (e.nodes && e.count !== undefined ? { host: e.host, nodes: e.nodes } : e)).map((e, k) => (e.nodes ? { ...e, nodes: e.nodes.map((n) => `${n}${k}`) } : e));
        const t = `apiVersion: migcheck/v1\nkind: Fleet\nname: f\nhosts:\n${list.map((e) => `  - { ${Object.entries(e).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`).join(', ')} }`).join('\n')}\n`;
        const data = yamlOf(t)!;
        const names = list.flatMap((e) => e.nodes ?? []);
        const f = readFleetLines(t);
        if (new Set(names).size !== names.length) return expect(f).toBeUndefined();
        expect(f, t).toBeDefined();
        expect({ ...f!.header, hosts: Array.from({ length: f!.length }, (_, k) => entryData(f!, k)) }).toEqual(data);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

// on disk: the Resolver's model (fast path) against fleetDoc over loadDocument (the library path)
const dir = mkdtempSync(join(tmpdir(), 'migcheck-fleet-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'hosts'));
mkdirSync(join(dir, 'guests'));
const host = (name: string, kernel = 'linux-6.6') => `apiVersion: migcheck/v1\nkind: Host\nname: ${name}\nkernel: ${kernel}\nvmm: qemu-8.2\ncpu: neoverse-n1\n`;
writeFileSync(join(dir, 'hosts/a.yaml'), host('a'));
writeFileSync(join(dir, 'hosts/b.yaml'), host('b', 'linux-6.12'));
writeFileSync(join(dir, 'hosts/c.yaml'), host('c', 'linux-6.1'));
writeFileSync(join(dir, 'hosts/a-twin.yaml'), host('a', 'linux-6.1'));
writeFileSync(join(dir, 'hosts/broken.yaml'), host('broken', 'linux-99.1'));
writeFileSync(join(dir, 'guests/g.yaml'), 'apiVersion: migcheck/v1\nkind: Guest\nname: g\n');

type Outcome = { model: unknown } | { error: unknown };
const outcome = (f: () => unknown): Outcome => {
  try {
    return { model: f() };
  } catch (err) {
    return { error: err instanceof InputError ? err.diagnostics : `${(err as Error).constructor.name}: ${(err as Error).message}` };
  }
};

describe('a fleet read straight into entries, resolved', () => {
  it('is the model fleetDoc makes of the library path, or the same error', () => {
    let fast = 0;
    let fastModels = 0;
    let models = 0;
    let k = 0;
    fc.assert(
      fc.property(fleetText, (t) => {
        const file = join(dir, `fleet-${k++}.yaml`);
        writeFileSync(file, t);
        const viaFast = outcome(() => new Resolver().fleet(file));
        const viaLibrary = outcome(() => (new Resolver() as unknown as { fleetDoc(f: string, d: unknown): unknown }).fleetDoc(file, loadDocument(file, 'Fleet')));
        expect(viaFast, t).toEqual(viaLibrary);
        const lines = readFleetLines(t);
        if (lines) {
          fast++;
          // the model fleetLines itself makes, when it makes one: fleet() would hide a fast path
          // that always declined behind the library path's answer
          const direct = outcome(() => (new Resolver() as unknown as { fleetLines(f: string, l: FleetLines): unknown }).fleetLines(file, lines));
          if ('model' in direct && direct.model !== undefined) {
            fastModels++;
            expect(direct, t).toEqual(viaLibrary);
          }
        }
        if ('model' in viaFast) models++;
        rmSync(file);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    // both the fast models and the declines ran
    expect(fast).toBeGreaterThan(250);
    expect(models).toBeGreaterThan(200);
    expect(fastModels).toBeGreaterThan(200);
  });

  // a flow list holds at most MAX_FLOW_ITEMS (5000) items: read at the limit and declined past it,
  // by the first line's reader (entry) and by a later line's shape alike, with the library's answer
  it.each([
    [5000, 'first'],
    [5000, 'second'],
    [5001, 'first'],
    [5001, 'second'],
  ])('a node list of %i names on the %s line', (n, at) => {
    const big = `  - { host: hosts/a.yaml, nodes: [${Array.from({ length: n }, (_, i) => `big-${i}`).join(', ')}] }`;
    const other = '  - { host: hosts/b.yaml, nodes: [other-1] }';
    const t = `apiVersion: migcheck/v1\nkind: Fleet\nname: f\nhosts:\n${(at === 'first' ? [big, other] : [other, big]).join('\n')}\n`;
    const lines = readFleetLines(t);
    expect(lines === undefined).toBe(n > 5000);
    if (lines) expect(lines.nodes[at === 'first' ? 0 : 1]).toHaveLength(n);
    const file = join(dir, `fleet-big-${n}-${at}.yaml`);
    writeFileSync(file, t);
    const viaFast = outcome(() => new Resolver().fleet(file));
    expect(viaFast).toEqual(outcome(() => (new Resolver() as unknown as { fleetDoc(f: string, d: unknown): unknown }).fleetDoc(file, loadDocument(file, 'Fleet'))));
    expect('model' in viaFast).toBe(n <= 5000);
  });
});
