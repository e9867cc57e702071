// jsonChunks is hand-written: joined, its pieces are JSON.stringify's text for the same value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonChunks, Streamed } from '../../src/render/json-chunks.js';

// JSON-like values, with odd members JSON.stringify drops or turns to null, and arrays that
// may be Streamed (as a report's cells are: items without Streamed inside)
const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant({ toJSON: () => undefined }), fc.constant({ toJSON: () => [1, { a: 2 }] }), fc.constant(Object.assign([1], { toJSON: () => 'x' })), fc.constant(() => 1), fc.constant(Symbol('s')), fc.constant(-0), fc.string({ unit: 'binary' }), fc.date({ noInvalidDate: true }));
const plain = fc.jsonValue();
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('streamed')),
  array: fc.array(tie('value'), { maxLength: 6 }),
  object: fc.dictionary(fc.string(), tie('value'), { maxKeys: 6 }),
  streamed: fc.array(fc.oneof(plain, leaf), { maxLength: 8 }).map((items) => new Streamed(() => items)),
}));

describe('jsonChunks', () => {
  it('joins to JSON.stringify of the same value, with the same indentation', () => {
    fc.assert(
      fc.property(value, fc.constantFrom(0, 1, 2, 4), (v, indent) => {
        expect([...jsonChunks(v, indent)].join('')).toBe(JSON.stringify(v, null, indent) ?? '');
      }),
      { numRuns: 3000 },
    );
  });

  it("makes a Streamed array's items as its pieces are taken, not before", () => {
    let made = 0;
    const items = function* () {
      for (let i = 0; i < 100_000; i++) {
        made++;
        yield { from: i, verdict: 'fail', findings: [{ rule: 'register-list', subject: `R${i}` }] };
      }
    };
    const pieces = jsonChunks({ grids: [{ guest: 'default', cells: new Streamed(items) }] });
    const first = pieces.next();
    expect(first.done).toBe(false);
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(100_000);
    const rest = [...pieces];
    expect(rest.length).toBeGreaterThan(10);
    expect(made).toBe(100_000);
    expect(JSON.parse(first.value + rest.join('')).grids[0].cells).toHaveLength(100_000);
  });
});
