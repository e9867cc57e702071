// plainYaml (src/render/plain-yaml.ts) writes small documents without the yaml library; it
// must write what the library writes (as guestYaml calls it) whenever it writes anything, on
// random documents made of the values a Guest profile has and of the ones it must leave to the
// library, and it must not leave the guest documents the reports print to the library.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainYaml } from '../../src/render/plain-yaml.js';
import { guestDoc } from '../../src/render/guest-doc.js';
import { yamlLib } from '../../src/profile/yaml-lib.js';
import { guests } from './arbitrary-hosts.js';

const library = (doc: unknown) => yamlLib().stringify(doc, { lineWidth: 0, flowCollectionPadding: false, collectionStyle: 'block' });

// words near the edges of what may stay plain: core-schema words, numbers, hex, indicators, spaces
const word = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_./-]{0,12}( [A-Za-z0-9]{1,4})?$/), weight: 30 },
  { arbitrary: fc.constantFrom('1.0', '0.2', '123', '0x41', '0x413fd0c1', 'virt-7.2', 'linux-6.12', 'auto'), weight: 3 },
  fc.constantFrom('true', 'True', 'TRUE', 'false', 'FALSE', 'null', 'Null', 'NULL', 'nULL', '~', 'y', 'no', 'on', 'off', 'yes', '.inf', '-.inf', '.NaN', 'virt-7.2', 'linux-6.12', 'auto', '-a', 'a:b', 'a: b', 'a #b', 'a#b', "it's", '"q"', '', ' a', 'a ', 'a  b', 'a b', 'a b c', 'x'.repeat(120), `${'word '.repeat(30)}end`),
  fc.constantFrom('1.0', '0.2', '123', '007', '1.0.1', '1e3', '1_000', '+1', '-1', '0x41', '0x413fd0c1', '0X41', '0o7', '0b101', '12:30', '.5', '1.', '0xg'),
  fc.string({ maxLength: 8 }),
);
// -0 is a safe integer not below 0, and the library writes it "-0"; keys past 1024 characters it
// writes as explicit keys ("? key"): both once passed the writer (review)
const longWord = fc.constantFrom('x'.repeat(1024), 'x'.repeat(1025), 'x'.repeat(2000), `${'word '.repeat(220)}end`);
const scalar = fc.oneof({ arbitrary: word, weight: 6 }, { arbitrary: fc.boolean(), weight: 2 }, { arbitrary: fc.nat(1 << 20), weight: 2 }, fc.integer({ min: -3, max: -1 }), fc.double({ noNaN: true }), fc.constant(-0), fc.constant(null));
const key = fc.oneof({ arbitrary: word, weight: 40 }, longWord);
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { arbitrary: scalar, weight: 6 }, { arbitrary: tie('list'), weight: 1 }, { arbitrary: tie('map'), weight: 1 }),
  list: fc.oneof({ arbitrary: fc.array(tie('value'), { minLength: 1, maxLength: 3 }), weight: 9 }, fc.constant([])),
  map: fc.oneof({ arbitrary: fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 3 }), weight: 9 }, fc.constant({})),
}));
const doc = fc.dictionary(key, value.value, { minKeys: 1, maxKeys: 5 });

describe('plainYaml', () => {
  it('writes what the yaml library writes, when it writes anything', () => {
    let written = 0;
    fc.assert(
      fc.property(doc, (d) => {
        const fast = plainYaml(d);
        if (fast !== undefined) {
          written++;
          expect(fast).toBe(library(d));
        }
      }),
      { seed: 20261202, numRuns: 4000 },
    );
    // the property is not vacuous: many random documents are plain enough
    expect(written).toBeGreaterThan(300);
  });

  it('writes every guest the property suites use, as the library does', () => {
    for (const g of guests) {
      const d = guestDoc(g);
      const fast = plainYaml(d);
      if (fast !== undefined || !g.description) expect(fast).toBe(library(d));
    }
  });
});
