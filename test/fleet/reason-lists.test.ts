// reasonsAt looks a list up by its findings' content before grouping it: lists of other
// finding objects with the same rule, severity, subject and note share the reasons, and lists
// that differ in any of those do not. Held to grouping each list afresh (reasonsOf).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reasonsAt, reasonsOf } from '../../src/fleet/cell.js';
import type { Judged } from '../../src/rules/rule.js';

// tiny alphabets, so that findings agree on most fields and differ in one
const finding = fc.record({
  rule: fc.constantFrom('register-list', 'id-registers'),
  severity: fc.constantFrom('fail', 'unsafe', 'info'),
  subject: fc.constantFrom('ZCR_EL1', 'TCR2_EL1', 'ID_AA64PFR0_EL1.SVE'),
  note: fc.constantFrom('the destination does not know the ZCR_EL1 register', 'ID_AA64PFR0_EL1.SVE 0x1 -> 0x0 refused', 'other'),
  message: fc.constant('m'),
  reference: fc.constant('r'),
  side: fc.constant('destination'),
}) as fc.Arbitrary<Judged>;

describe('reasonsAt', () => {
  it('gives each list the reasons reasonsOf groups it into, whatever lists came before', () => {
    fc.assert(
      fc.property(fc.array(fc.array(finding, { maxLength: 5 }), { maxLength: 12 }), fc.constantFrom('fail' as const, 'unsafe' as const), (lists, v) => {
        // fresh objects per list, some lists repeated as copies: equal content, other objects
        const all = [...lists, ...lists.map((l) => l.map((f) => ({ ...f })))];
        for (const l of all) expect(reasonsAt(l, v)).toEqual(l.length ? reasonsOf(l, v) : []);
      }),
      { numRuns: 300 },
    );
  });
});
