// The fast path of src/profile/locate.ts for one-line flow values (flowColumn): where a
// problem inside `{ host: a, count: 0 }` or `[A, [B, C]]` is, found without the YAML parser,
// must be where locate() puts it on the YAML parser's document (the library path), for every
// path into the value, paths that do not exist, and with and without preferKey. Values are
// generated inside the fast reader's subset (the only ones the line locator sees), with odd
// spacing; then whole documents with such lines, through quickLocator against the full parse.
import fc from 'fast-check';
import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { flowColumn, locate, quickLocator } from '../../src/profile/locate.js';
import { quickParse } from '../../src/profile/quick-yaml.js';

const SEED = 20261201;
const sp = fc.constantFrom('', ' ', '  ');
const scalar = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9.-]{0,6}$/), fc.nat(99999).map(String), fc.constantFrom('"quoted, [with] {brackets}: yes"', '"a \\"b\\""', 'true', 'x/y'));
const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,5}$/);
type Flow = string;
const { flow } = fc.letrec<{ flow: Flow }>((tie) => ({
  flow: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    scalar,
    fc.tuple(fc.array(tie('flow'), { maxLength: 4 }), sp, sp).map(([xs, a, b]) => `[${a}${xs.join(`${b},${a}`)}${b}]`),
    fc.tuple(fc.uniqueArray(fc.tuple(key, tie('flow')), { maxLength: 4, selector: ([k]) => k }), sp, sp).map(([ps, a, b]) => `{${a}${ps.map(([k, v]) => `${k}: ${b}${v}`).join(`${b},${a}`)}${b}}`),
  ),
}));

/** Every path in the data, and one that does not exist below each container and scalar. */
function paths(v: unknown, pre: string[] = []): string[][] {
  const here = [pre, [...pre, 'no-such-key'], [...pre, '7']];
  if (!v || typeof v !== 'object') return here;
  const keys = Array.isArray(v) ? v.map((_, i) => String(i)) : Object.keys(v);
  return [...here, ...keys.flatMap((k) => paths((v as Record<string, unknown>)[k], [...pre, k]))];
}

const full = (text: string) => {
  const lc = new LineCounter();
  return { lc, doc: parseDocument(text, { lineCounter: lc, version: '1.2', stringKeys: true, uniqueKeys: false }) };
};

describe('locating inside a one-line flow value without the YAML parser', () => {
  it('flowColumn gives the column locate() gives on the parsed value', () => {
    let compared = 0;
    fc.assert(
      fc.property(flow.filter((t) => t.startsWith('[') || t.startsWith('{')), (text) => {
        const data = (quickParse(`v: ${text}\n`) as { v: unknown } | undefined)?.v;
        if (data === undefined) return; // outside the subset: the line locator never sees it
        const { doc, lc } = full(text);
        expect(doc.errors).toEqual([]);
        for (const segs of paths(data))
          for (const preferKey of [false, true]) {
            const col = flowColumn(text, segs, preferKey);
            if (col === undefined) continue;
            const p = locate(doc, lc, segs, preferKey);
            expect([p.line, p.col], `${text} ${segs.join('/')} ${preferKey}`).toEqual([1, col + 1]);
            compared++;
          }
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(compared).toBeGreaterThan(1000);
  });

  it('quickLocator over documents of such lines gives the full parser positions', () => {
    let compared = 0;
    const doc = fc.tuple(fc.uniqueArray(fc.tuple(key, flow), { minLength: 1, maxLength: 4, selector: ([k]) => k }), fc.array(flow, { minLength: 1, maxLength: 4 }));
    fc.assert(
      fc.property(doc, ([top, list]) => {
        const text = `${top.map(([k, v]) => `${k}: ${v}\n`).join('')}zlist:\n${list.map((v) => `  - ${v}\n`).join('')}`;
        const data = quickParse(text);
        if (!data) return;
        const { doc: d, lc } = full(text);
        const quick = quickLocator(text);
        for (const segs of paths(data))
          for (const preferKey of [false, true]) {
            const p = quick(segs, preferKey);
            if (!p) continue;
            const q = locate(d, lc, segs, preferKey);
            expect([p.line, p.col], `${JSON.stringify(text)} ${segs.join('/')} ${preferKey}`).toEqual([q.line, q.col]);
            compared++;
          }
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect(compared).toBeGreaterThan(1000);
  });
});
