// The fast path of src/profile/schema-problems.ts: a Fleet's hosts list validated a slice at a
// time, the problems past 4 × MAX_DIAGNOSTICS only counted, must report exactly what validating
// the whole document in one call reports (the library path: slice = Infinity) — the same
// diagnostics, in the same order, with the same "and N more" count and place. Fleets of up to
// 250 entries, valid and broken in every way the Fleet schema knows (several problems at one
// place included), with top-level problems beside them, cut into slices of 1 to 60.
import fc from 'fast-check';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { dottedPath, MAX_DIAGNOSTICS, type Diagnostic } from '../../src/profile/diagnostics.js';
import { locate } from '../../src/profile/locate.js';
import { schemaDiagnostics } from '../../src/profile/schema-problems.js';

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const entry = fc.oneof(
  { weight: 4, arbitrary: fc.record({ host: word, count: fc.integer({ min: 1, max: 5 }) }, { requiredKeys: ['host'] }) },
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
  const doc = parseDocument(text, { lineCounter: lc, version: '1.2', stringKeys: true });
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
