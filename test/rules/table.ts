// Shared driver for the table-driven rule tests.
import { describe, expect, it } from 'vitest';
import { ruleFindings, runCase, type RuleCase } from '../helpers.js';

export function ruleTable(rule: string, cases: RuleCase[]): void {
  describe(rule, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const result = runCase(c);
      expect(result.verdict).toBe(c.verdict);
      const found = ruleFindings(result, rule);
      if (c.none) expect(found).toEqual([]);
      for (const e of c.expect ?? []) expect(found).toContainEqual(e);
      for (const e of c.absent ?? []) expect(found).not.toContainEqual(e);
    });
  });
}
