// compareVersions' one-pass path (digit runs joined by '.' or '-') gives what the general
// order (versionOrder: split, Number, missing parts 0) gives, on random strings of the
// characters versions are made of, and on every version the knowledge base holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kb } from '../../src/kb/data.js';
import { compareVersions, versionOrder } from '../../src/kb/version.js';

describe('compareVersions', () => {
  const version = fc.stringMatching(/^[0-9.\-a-z+ ]{0,20}$/);
  const plain = fc.array(fc.oneof(fc.nat({ max: 400 }).map(String), fc.stringMatching(/^[0-9]{1,17}$/)), { minLength: 1, maxLength: 5 }).chain((parts) =>
    fc.array(fc.constantFrom('.', '-'), { minLength: parts.length - 1, maxLength: parts.length - 1 }).map((seps) => parts.map((p, i) => (i ? seps[i - 1] : '') + p).join('')),
  );

  it('the same as the general order, on any strings and on plain versions', () => {
    let plainPairs = 0;
    fc.assert(
      fc.property(fc.oneof(version, plain), fc.oneof(version, plain), (a, b) => {
        if (/^[0-9]+([.-][0-9]+)*$/.test(a) && /^[0-9]+([.-][0-9]+)*$/.test(b)) plainPairs++;
        expect(compareVersions(a, b)).toBe(versionOrder(a, b));
      }),
      { seed: 20261201, numRuns: 5000 },
    );
    expect(plainPairs).toBeGreaterThan(500);
  });

  it('the same on every pair of the knowledge base releases', () => {
    const all = [...kb.kernel.releases, ...kb.vmm.releases, ...kb.kernel.changes.map((c) => c.release), ...(kb.kernel.backports ?? []).map((b) => b.since)];
    for (const a of all) for (const b of all) expect(compareVersions(a, b)).toBe(versionOrder(a, b));
  });
});
