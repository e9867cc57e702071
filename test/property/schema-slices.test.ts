// The fast path of src/profile/schema-problems.ts: a Fleet's hosts list validated a slice at a
// time (a slice of entries plainEntry vouches for not at all), the problems past 4 ×
// MAX_DIAGNOSTICS only counted, must report exactly what validating
// the whole document in one call reports (the library path: slice = Infinity) — the same
// diagnostics, in the same order, with the same "and N more" count and place. Fleets of up to
// 250 entries, valid and broken in every way the Fleet schema knows (several problems at one
// place included), with top-level problems beside them, cut into slices of 1 to 60.
// Likewise unknown keys past the first UNKNOWN_KEYS_BUILT of one mapping, only counted: Hosts
// with up to 300 of them at the top and inside `kernel`, among known keys right and wrong.
import fc from 'fast-check';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { dottedPath, MAX_DIAGNOSTICS, type Diagnostic } from '../../src/profile/diagnostics.js';
import { YAML_OPTIONS } from '../../src/profile/load.js';
import { locate } from '../../src/profile/locate.js';
import { UNKNOWN_KEYS_BUILT, plainEntry, plainHost, schemaDiagnostics } from '../../src/profile/schema-problems.js';
import * as validators from '../../src/generated/validators.cjs';

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const node = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,6}$/);
const entry = fc.oneof(
  { weight: 4, arbitrary: fc.record({ host: word, count: fc.integer({ min: 1, max: 5 }) }, { requiredKeys: ['host'] }) },
  { weight: 4, arbitrary: fc.record({ host: word, nodes: fc.array(node, { minLength: 1, maxLength: 3 }), upgradeTo: word }, { requiredKeys: ['host', 'nodes'] }) },
  fc.record({ host: word, nodes: fc.constantFrom([], ['-a'], ['a-'], ['ok', 'not ok'], [3], 'n1') }),
  fc.record({ host: word, count: fc.constantFrom(0, -1, 1.5, 2_000_000, 'x') }),
  fc.record({ host: fc.constantFrom('', 5, true) }),
  fc.record({ host: word, upgradeTo: fc.constantFrom('', 7) }),
  fc.record({ host: word, upgradeTO: word }),
  // several problems at one place: missing host, two unknown keys, a count of the wrong type
  fc.record({ count: fc.constantFrom('many', 0), bogus: fc.boolean(), extra: word }, { requiredKeys: [] }),
  fc.constantFrom('just-a-name', 3, null, ['a']),
);
const fleet = fc.record(
  {
    apiVersion: fc.constantFrom('migcheck/v1', 'migcheck/v2'),
    kind: fc.constant('Fleet'),
    name: fc.constantFrom('eu-west', 'bad name!', 42),
    description: fc.constantFrom('a fleet', 7),
    hosts: fc.array(entry, { minLength: 1, maxLength: 250, size: 'max' }),
    guests: fc.constantFrom(['default'], ['a', 'a'], [], ['', 3], 'default'),
    unknownTopKey: fc.constant(1),
  },
  { requiredKeys: ['kind', 'hosts'] },
);

/** diagnostics located by the full parser, as load.ts's fullParse does */
function located(data: Record<string, unknown>) {
  const text = stringify(data, { lineWidth: 0 });
  const lc = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: lc });
  const parsed = doc.toJS() as Record<string, unknown>;
  const at = (segs: readonly (string | number)[], message: string, preferKey = false): Diagnostic => ({ file: 'f.yaml', ...locate(doc, lc, segs.map(String), preferKey), path: dottedPath(segs), message });
  return { parsed, at };
}

describe('a Fleet validated a slice of hosts at a time reports what one validation of the whole reports', () => {
  it('the same diagnostics, order and "and N more" line, for every slice size', () => {
    let many = 0;
    fc.assert(
      fc.property(fleet, fc.integer({ min: 1, max: 60 }), (data, slice) => {
        const { parsed, at } = located(data);
        const whole = schemaDiagnostics('Fleet', parsed, at, Infinity);
        const sliced = schemaDiagnostics('Fleet', parsed, at, slice);
        expect(sliced).toEqual(whole);
        const more = /and ([\d,]+) more problems/.exec(whole?.at(-1)?.message ?? '');
        if (more && Number(more[1]!.replace(/,/g, '')) > 3 * MAX_DIAGNOSTICS) many++;
      }),
      { seed: 20261201, numRuns: 80 },
    );
    // the counted-only path must have run, not only short lists
    expect(many).toBeGreaterThan(20);
  });
});

// a mapping's keys in file order: unknown ones (some repeated across mappings), known ones right or wrong
const keysOf = (known: [string, fc.Arbitrary<unknown>][]) =>
  fc
    .tuple(fc.integer({ min: 0, max: 300 }), fc.array(fc.tuple(fc.constantFrom(...known), fc.nat()), { maxLength: 6 }))
    .chain(([unknown, picks]) => {
      const chosen = [...new Map(picks.map(([k, at]) => [k[0], { k, at }])).values()];
      return fc.tuple(fc.constant(unknown), fc.tuple(...chosen.map(({ k, at }) => fc.tuple(fc.constant(k[0]), k[1], fc.constant(at)))));
    })
    .map(([unknown, known]) => {
      const keys: [string, unknown][] = Array.from({ length: unknown }, (_, i) => [`unknown${i}`, i % 3 ? 1 : { deeper: true }]);
      for (const [k, v, at] of known) keys.splice(at % (keys.length + 1), 0, [k, v]);
      return Object.fromEntries(keys);
    });
const hostDoc = fc
  .tuple(
    keysOf([
      ['name', fc.constantFrom('h', 'bad name!', 7)],
      ['cpu', fc.constantFrom('neoverse-n1', 'no such cpu', 3)],
      ['vmm', fc.constantFrom('qemu-9.2', 5)],
      ['bootOptions', fc.constantFrom(['arm64.nosve'], ['a b'], 'x')],
    ]),
    keysOf([
      ['extends', fc.constantFrom('linux-6.6', 'linux 6.6')],
      ['firmwareRegisters', fc.constantFrom(['PSCI_VERSION'], ['bad'], 1)],
    ]),
  )
  .map(([top, kernel]) => ({ apiVersion: 'migcheck/v1', kind: 'Host', ...top, kernel }));

describe('unknown keys past the first of a mapping, counted only, change nothing', () => {
  it('the same diagnostics, order and "and N more" line as building every one', () => {
    let counted = 0;
    fc.assert(
      fc.property(hostDoc, (data) => {
        const { parsed, at } = located(data);
        const all = schemaDiagnostics('Host', parsed, at, Infinity, Infinity);
        expect(schemaDiagnostics('Host', parsed, at)).toEqual(all);
        if (Object.keys(parsed).length > UNKNOWN_KEYS_BUILT || Object.keys(parsed.kernel as object).length > UNKNOWN_KEYS_BUILT) counted++;
      }),
      { seed: 20261201, numRuns: 60 },
    );
    expect(counted).toBeGreaterThan(20);
  });
});

// plainEntry stands in for the validator on a Fleet's hosts entries: it may only vouch for what
// the validator accepts (and should vouch for the usual ones). Entries at every edge the schema
// has: string lengths around 1 and 4,096 (also in surrogate pairs, which the validator counts as
// one character), counts around 1 and 1,000,000 and not integers, node names of any characters
// and lengths around 253, other keys, other types.
describe('plainEntry vouches only for entries the Fleet validator accepts', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.constantFrom(0, 1, 4095, 4096, 4097).chain((n) => fc.constantFrom('a'.repeat(n), '\u{1F600}'.repeat(Math.ceil(n / 2)), `${'a'.repeat(Math.max(0, n - 1))}\u00e9`)),
  );
  const nodeName = fc.oneof(
    node,
    fc.string({ maxLength: 5 }),
    fc.stringMatching(/^[A-Za-z0-9._-]{0,6}$/),
    fc.constantFrom(252, 253, 254).map((n) => 'n'.repeat(n)),
    fc.constantFrom('a', 'A9', 'a.b', 'a_b', '_a', 'a_', 'é', 'a\u0130', 'a b', 'a\n'),
  );
  const value = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(nodeName, { maxLength: 3 }));
  const fields = {
    host: fc.oneof({ weight: 3, arbitrary: word }, value),
    count: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom(999_999, 1_000_000, 1_000_001, 1.5, Number.NaN, Infinity, '2'), value),
    nodes: fc.oneof({ weight: 3, arbitrary: fc.array(nodeName, { maxLength: 4 }) }, value),
    upgradeTo: fc.oneof({ weight: 3, arbitrary: word }, value),
  };
  const anEntry = fc.oneof(
    { weight: 4, arbitrary: fc.record(fields, { requiredKeys: [] }) },
    fc.record({ ...fields, other: value, HOST: word }, { requiredKeys: [] }),
    value,
  );
  it('true only where the validator accepts; true for entries as inventories write them', () => {
    let vouched = 0;
    fc.assert(
      fc.property(anEntry, (e) => {
        const accepted = validators.fleet({ apiVersion: 'migcheck/v1', kind: 'Fleet', name: 'f', hosts: [e] });
        if (plainEntry(e)) {
          vouched++;
          expect(accepted, JSON.stringify(e)).toBe(true);
        }
      }),
      { seed: 20261201, numRuns: 3000 },
    );
    expect(vouched).toBeGreaterThan(100);
    for (const e of [{ host: 'hosts/a.yaml' }, { host: 'a', count: 1_000_000 }, { host: 'a', nodes: ['node-1', 'N.2_x'], upgradeTo: 'b' }, { host: 'x'.repeat(4096) }])
      expect(plainEntry(e), JSON.stringify(e)).toBe(true);
  });
});

// plainHost stands in for the validator on a Host: it may only vouch for what the validator
// accepts, and should vouch for Hosts as inventories write them (a name, kernel, VMM and CPU by
// name). Every field it reads at the schema's edges (names against their patterns, lengths
// around 256, 4,096 and 16,384, other types), the CPU as a name or a mapping, other keys.
describe('plainHost vouches only for Hosts the Host validator accepts', () => {
  const around = (n: number) => fc.constantFrom(n - 1, n, n + 1).map((k) => 'a'.repeat(k));
  const text = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 }), around(256), around(4096), fc.constantFrom('\u{1F600}'.repeat(129), 'a b', 'a\n', '-a', '.a', 'a+b', ''));
  const other = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }), fc.constant({ a: 1 }));
  const nameLike = fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,10}$/) }, text, other);
  const kernel = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('linux-6.6', '6.1', 'linux-6.1.192', '6.1.0-13-arm64', '5.14.0-427.el9.aarch64', 'linux-6.6+x~y') },
    fc.constantFrom('linux-6', 'linux6.6', 'linux-6.6 ', '6.6-', '6.6.', 'Linux-6.6', `linux-6.6-${'a'.repeat(250)}`),
    nameLike,
    fc.constant({ extends: 'linux-6.6' }),
  );
  const revision = fc.oneof(fc.constantFrom('r3p1', 'r0p0', 'r15p15', 'r100p1', 'r1', 'R3P1', 'r3p1 '), nameLike);
  const cpu = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('neoverse-n1:r3p1', 'neoverse-n1', 'cortex-a72:r0p3', 'x:r1p2', 'n1:r100p1', 'n1:', ':r1p1', 'n1:r1p1:r1p1') },
    { weight: 3, arbitrary: fc.record({ model: nameLike, revision }, { requiredKeys: [] }) },
    fc.record({ model: nameLike, revision, midr: fc.constantFrom('0x413fd0c1', 'x'), features: fc.constantFrom(['SSBS'], ['NOPE']) }, { requiredKeys: [] }),
    nameLike,
  );
  const fields = {
    apiVersion: fc.oneof({ weight: 8, arbitrary: fc.constant('migcheck/v1') }, fc.constantFrom('migcheck/v2', 1)),
    kind: fc.oneof({ weight: 8, arbitrary: fc.constant('Host') }, fc.constantFrom('Guest', 'host')),
    name: fc.oneof({ weight: 3, arbitrary: fc.constant('h1') }, nameLike),
    description: fc.oneof(fc.constant('a host'), around(16384), other),
    extends: fc.oneof(fc.constant('base-host'), around(4096), other),
    kernel,
    vmm: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('qemu-9.2', 'qemu-8.2.1') }, nameLike, fc.constant({ extends: 'qemu-9.2' })),
    cpu,
  };
  const host = fc.oneof(
    { weight: 4, arbitrary: fc.record(fields, { requiredKeys: ['apiVersion', 'kind'] }) },
    fc.record({ ...fields, mitigations: fc.constant({}), bogus: fc.constant(1) }, { requiredKeys: [] }),
  );
  it('true only where the validator accepts; true for Hosts as inventories write them', () => {
    let vouched = 0;
    fc.assert(
      fc.property(host, (h) => {
        const accepted = validators.host(h);
        if (plainHost(h)) {
          vouched++;
          expect(accepted, JSON.stringify(h)).toBe(true);
        }
      }),
      { seed: 20261201, numRuns: 4000 },
    );
    expect(vouched).toBeGreaterThan(100);
    const base = { apiVersion: 'migcheck/v1', kind: 'Host', name: 'h0-5.4-q6.2-neoverse-n1' };
    for (const h of [base, { ...base, kernel: 'linux-5.4', vmm: 'qemu-6.2', cpu: { model: 'neoverse-n1', revision: 'r3p1' } }, { ...base, kernel: 'linux-6.6', vmm: 'qemu-9.2', cpu: 'neoverse-v1:r1p1', description: 'd', extends: 'x' }])
      expect(plainHost(h), JSON.stringify(h)).toBe(true);
  });
});
