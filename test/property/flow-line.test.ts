// The fast path of src/profile/quick-yaml.ts for a fleet's lines (flowLine): a one-line flow
// mapping `{ host: a, nodes: [n1, n2], upgradeTo: b }` read in one pass must give what YAML 1.2
// (the library path) gives for that line, or decline (undefined: the general reader runs).
// Lines inside its subset with odd spacing, and every near miss: quotes, booleans, nulls,
// floats, leading zeros, empty and nested lists, duplicate keys, `key:value`, trailing commas,
// comments, non-ASCII, `__proto__`; then whole inventories through quickParse. Lines in runs of
// one shape (the keys and value forms flowLine learns from one line and matches the next
// against) with near misses at each value: every line still YAML's value, or declined.
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { YAML_OPTIONS } from '../../src/profile/load.js';
import { flowLine, forgetDocument, quickParse, shapesLearnt } from '../../src/profile/quick-yaml.js';

const SEED = 20261201;
const sp = fc.constantFrom('', ' ', ' ', '  ');
const word = fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9._/+-]{0,14}$/);
const odd = fc.constantFrom('true', 'false', 'True', 'NULL', 'null', '~', '1.5', '6.10', '0x1f', '012', '0', '-1', '+1', '1e3', '12abc', '1234567890123456', "'q'", '"q"', '"a, b"', 'a b', 'a#b', 'a #b', 'é', 'a:b', '(x)', '.inf', '', 'x,', '[]', '[ ]', '{}', '[a, [b]]', '{ a: b }');
const scalar = fc.oneof({ weight: 12, arbitrary: word }, { weight: 2, arbitrary: fc.nat(10 ** 6).map(String) }, odd);
const items = fc.oneof({ weight: 4, arbitrary: fc.array(scalar, { minLength: 1, maxLength: 3 }) }, fc.constant([]));
const list = fc.oneof(
  { weight: 3, arbitrary: items.map((xs) => `[${xs.join(', ')}]`) },
  fc.tuple(items, sp, sp).map(([xs, a, b]) => `[${a}${xs.join(`${b},${a}`)}${b}]`),
);
const value = fc.oneof({ weight: 3, arbitrary: scalar }, list);
const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('host', 'nodes', 'upgradeTo', 'count') }, fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,5}$/), fc.constantFrom('__proto__', 'a b', '1x', '"k"', 'é'));
const colon = fc.constantFrom(': ', ': ', ': ', ': ', ':  ', ':', ' : ');
const pair = fc.tuple(key, colon, value).map(([k, c, v]) => `${k}${c}${v}`);
// mostly spaced as writers space them (`{ k: v, k: v }`), else any way YAML allows
const spacing = fc.oneof({ weight: 3, arbitrary: fc.constant([' ', '']) }, fc.tuple(sp, sp));
const line = fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.array(pair, { minLength: 1, maxLength: 4 }) }, fc.constant([])), spacing, fc.constantFrom('', '', '', '', '', '', ',', ' # c')).map(([ps, [a, b], end]) => `{${a}${ps.join(`${b},${a}`)}${end}${a === ' ' && b === '' ? ' ' : b}}`);

/** what YAML 1.2 reads, or undefined for a line it rejects or reads as something else */
const yamlOf = (s: string) => {
  // as load.ts parses a profile: its options, and a warning is a problem too
  const doc = parseDocument(s, YAML_OPTIONS);
  return doc.errors.length || doc.warnings.length ? undefined : doc.toJS();
};

describe('a fleet line read in one pass', () => {
  it('is what YAML 1.2 reads, or is declined', () => {
    let read = 0;
    fc.assert(
      fc.property(line, fc.constantFrom('', '  - ', 'x: '), (s, before) => {
        const t = before + s;
        const v = flowLine(t, before.length, t.length);
        if (v === undefined) return;
        read++;
        expect(v, s).toEqual(yamlOf(s));
      }),
      { seed: SEED, numRuns: 4000 },
    );
    // the comparison must have run, not only the declines
    expect(read).toBeGreaterThan(300);
  });

  it('reads the lines inventories are written in', () => {
    const plain = word.filter((w) => !/^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/.test(w));
    // node names as schedulers know them, IP-like ones included
    const nodeName = fc.oneof(plain, fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,10}[a-z0-9])?$/).filter((n) => !/^(?:[0-9]+|[0-9]+\.[0-9]*(?:e[0-9]+)?)$/.test(n)));
    const entry = fc.record({ host: plain, nodes: fc.array(nodeName, { minLength: 1, maxLength: 3 }), upgradeTo: plain, count: fc.nat(10 ** 6) }, { requiredKeys: ['host'] });
    fc.assert(
      fc.property(entry, (e) => {
        const s = `{ ${Object.entries(e).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`).join(', ')} }`;
        expect(flowLine(s, 0, s.length), s).toEqual(e);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('whole inventories, through quickParse, are what YAML 1.2 reads, or are declined', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (ls) => {
        const t = `apiVersion: migcheck/v1\nkind: Fleet\nname: f\nhosts:\n${ls.map((l) => `  - ${l}`).join('\n')}\n`;
        const quick = quickParse(t);
        if (quick === undefined) return;
        read++;
        expect(quick, t).toEqual(yamlOf(t));
      }),
      { seed: SEED, numRuns: 1500 },
    );
    expect(read).toBeGreaterThan(50);
  });

  // a run: lines of one shape (keys, and per value a word, an integer or a list of n words),
  // each value now and then replaced by what a shape must not read as a word or an integer
  const shapeKey = fc.constantFrom('host', 'nodes', 'upgradeTo', 'count', 'a.b', 'x-y', 'k_1');
  const form = fc.oneof(fc.constant(-1), fc.constant(-2), fc.integer({ min: 1, max: 3 }), fc.constant(9));
  const shape = fc.uniqueArray(shapeKey, { minLength: 1, maxLength: 4 }).chain((keys) => fc.tuple(fc.constant(keys), fc.array(form, { minLength: keys.length, maxLength: keys.length })));
  const miss = fc.constantFrom('true', 'NULL', 'null1', 'True_', '6.10', '0x1f', '012', '0', '10-0-0-1', '1e3', '12abc', '1234567890123456', '"q"', 'a b', 'é', '[]', '[a]', '[a, b]', '{ a: b }', '__proto__', 'x,', '0o7', '1_000', '0x', '0o', '-0', '.5', '+1', '1.', '1e+3', '0x1g', 'a:', 'a #b');
  const wordOrMiss = fc.oneof({ weight: 6, arbitrary: word }, miss);
  const valueOf = (f: number) =>
    f === -1 ? wordOrMiss
    : f === -2 ? fc.oneof({ weight: 6, arbitrary: fc.nat(10 ** 6).map(String) }, miss)
    : fc.array(wordOrMiss, { minLength: Math.max(1, f - 1), maxLength: f + (f > 1 ? 1 : 0) }).map((xs) => `[${xs.join(', ')}]`);
  const run = shape.chain(([keys, forms]) => {
    const lineOf = fc.tuple(...keys.map((_k, i) => valueOf(forms[i]!)), fc.constantFrom('', '', '', '', ',', ' ')).map((vs) => {
      const end = vs.pop()!;
      return `{ ${keys.map((k, i) => `${k}: ${vs[i]}`).join(', ')}${end} }`;
    });
    // now and then a line of another shape between (a key left out, or one more)
    const other = fc.oneof(lineOf.map((l) => l.replace(/, [^,]*? }$/, ' }')), lineOf.map((l) => l.replace(/ }$/, ', extra: w }')));
    return fc.array(fc.oneof({ weight: 8, arbitrary: lineOf }, other), { minLength: 2, maxLength: 30 });
  });

  it('lines in runs of one shape are what YAML 1.2 reads, or are declined', () => {
    let read = 0;
    let shaped = 0;
    fc.assert(
      fc.property(run, (ls) => {
        forgetDocument();
        for (const l of ls) {
          const v = flowLine(l, 0, l.length);
          if (v === undefined) continue;
          read++;
          expect(v, l).toEqual(yamlOf(l));
        }
        if (shapesLearnt() > 0) shaped++;
      }),
      { seed: SEED, numRuns: 800 },
    );
    forgetDocument();
    // lines were read, and most runs learnt a shape their next lines were matched against
    expect(read).toBeGreaterThan(1500);
    expect(shaped).toBeGreaterThan(300);
  });

  // as a fleet's list entries, and as a mapping's values (a Host document's one-line kernel: { … },
  // cpu: { … }): the same shapes, learnt and reused in either
  const documents: [string, (ls: string[]) => string][] = [
    ['inventories', (ls) => `apiVersion: migcheck/v1\nkind: Fleet\nname: f\nhosts:\n${ls.map((l) => `  - ${l}`).join('\n')}\n`],
    ["one-line mappings as a mapping's values", (ls) => `apiVersion: migcheck/v1\nkind: Host\nname: h\n${ls.map((l, i) => `k${i}: ${l}`).join('\n')}\n`],
  ];
  it.each(documents)('%s in runs of one shape, through quickParse, are what YAML 1.2 reads, or are declined', (_what, doc) => {
    let read = 0;
    fc.assert(
      fc.property(run, (ls) => {
        const t = doc(ls);
        const quick = quickParse(t);
        if (quick === undefined) return;
        read++;
        expect(quick, t).toEqual(yamlOf(t));
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect(read).toBeGreaterThan(50);
  });
});
