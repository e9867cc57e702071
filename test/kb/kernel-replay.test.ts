// mainlineKernel goes on from the replay of an earlier release (src/kb/kernels.ts); this holds
// its models to replayedKernel, the plain replay — the baseline, then every change up to the
// release, then the series' backports, from the baseline each time — for every kb release and
// stable version, asked for in any order (each order from a fresh module: no replay kept before).
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { kb } from '../../src/kb/data.js';
import { compareVersions } from '../../src/kb/version.js';

const timeline = kb.kernel;

// every release, bare and .0; each backport's stable version, the one before and after it; a
// patch level past them all; distribution names of each kind
const versions = [
  ...timeline.releases.flatMap((r) => [r, `${r}.0`, `${r}.999`]),
  ...(timeline.backports ?? []).flatMap((b) => {
    const [x, y, z] = b.since.split('.').map(Number) as [number, number, number];
    return [`${x}.${y}.${z - 1}`, b.since, `${x}.${y}.${z + 1}`];
  }),
  '5.15.0-91-generic', '6.1.0-13-arm64', '5.14.0-427.el9.aarch64', '6.1.115-126.197.amzn2023.aarch64', '5.10.209-1-cloud',
];

/** Each version's model from a fresh module, asked for in this order, as JSON (key order included). */
async function inOrder(order: readonly string[]) {
  vi.resetModules();
  const m = await import('../../src/kb/kernels.js');
  const got = order.map((v) => [v, m.mainlineKernel(v)!] as const);
  const json = got.map(([v, k]) => [v, JSON.stringify(k)] as const);
  // a later build changed none of the models handed out before it
  for (const [i, [, k]] of got.entries()) expect(JSON.stringify(k)).toBe(json[i]![1]);
  // the same object for the same version
  for (const [v, k] of got) expect(m.mainlineKernel(v)).toBe(k);
  return { m, json };
}

describe('kernel models from kept replays', () => {
  it('equal the plain replay for every release and stable version, ascending and descending', async () => {
    const ascending = [...versions].sort(compareVersions);
    for (const order of [ascending, [...ascending].reverse(), versions]) {
      const { m, json } = await inOrder(order);
      for (const [v, text] of json) expect(text, v).toBe(JSON.stringify(m.replayedKernel(v)));
    }
  });

  it('equal the plain replay in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(versions, { minLength: 1, maxLength: 12 }), async (order) => {
        const { m, json } = await inOrder(order);
        for (const [v, text] of json) expect(text, v).toBe(JSON.stringify(m.replayedKernel(v)));
      }),
      { numRuns: 40 },
    );
  });
});
