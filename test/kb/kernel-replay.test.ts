// mainlineKernel goes on from the replay of an earlier release (src/kb/kernels.ts); this holds
// its models to the plain replay — the baseline, then every change up to the release, then
// the series' backports — for every kb release and stable version, asked for in any order.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { KernelModel, PsciModel, RegisterEntry } from '../../src/model.js';
import { kb, type TimelineChange } from '../../src/kb/data.js';
import { compareVersions, releaseOf } from '../../src/kb/version.js';

const timeline = kb.kernel;
const SCALARS = ['wa2Scheme', 'stolenTime', 'writableIdRegs', 'writableImpIdRegs', 'targetImplCpus', 'bhbScheme'] as const;
type Draft = { registers: Map<string, RegisterEntry>; psci: PsciModel; services: string[]; scalars: Record<string, unknown>; sources: Record<string, string> };
const cite = (c: { release: string; reference: string }) => `linux ${c.release}: ${c.reference}`;

function applyChange(d: Draft, c: TimelineChange, src = cite(c)): void {
  for (const r of c.add ?? []) {
    d.registers.set(r, { name: r });
    d.sources[`registers.${r}`] = src;
  }
  for (const r of c.remove ?? []) {
    d.registers.delete(r);
    d.sources[`registers.${r}`] = src;
  }
  for (const [r, cond] of Object.entries(c.condition ?? {})) {
    if (!d.registers.has(r)) continue;
    d.registers.set(r, { name: r, condition: cond });
    d.sources[`registers.${r}`] = src;
  }
  for (const s of c.addServices ?? []) {
    d.services = [...d.services, s];
    d.sources[`services.${s}`] = src;
  }
  if (c.psci) {
    const p = c.psci;
    d.psci = { versions: [...d.psci.versions, ...(p.addVersions ?? [])], default: p.default ?? d.psci.default, pinnable: p.pinnable ?? d.psci.pinnable, pinVia: (p.pinVia as PsciModel['pinVia']) ?? d.psci.pinVia };
    d.sources.psci = src;
  }
  for (const [k, v] of Object.entries(c.set ?? {})) {
    d.scalars[k] = v;
    d.sources[k] = src;
  }
}

/** The plain replay, as src/kb/kernels.ts did it before it kept replays. */
function plainKernel(version: string, stable: string, assumption: string | undefined): KernelModel {
  const release = releaseOf(version);
  const b = timeline.baseline as unknown as Record<string, unknown> & { registers: string[]; psci: Omit<PsciModel, 'pinVia'>; services: string[] };
  const src = cite(timeline.baseline);
  const d: Draft = {
    registers: new Map(b.registers.map((r) => [r, { name: r }])),
    psci: { ...b.psci, pinVia: 'none' },
    services: [...b.services],
    scalars: Object.fromEntries(SCALARS.map((k) => [k, b[k]])),
    sources: {
      ...Object.fromEntries(['registers', 'psci'].map((k) => [k, src])),
      ...Object.fromEntries(['services', ...SCALARS].map((k) => [k, `linux ${timeline.baseline.release}: baseline value, no change in the timeline up to this release`])),
    },
  };
  for (const c of timeline.changes) if (compareVersions(c.release, release) <= 0) applyChange(d, c);
  const backports: string[] = [];
  const series = releaseOf(stable);
  const stableBackports = stable === series ? [] : (timeline.backports ?? []).filter((x) => x.series === series && compareVersions(x.since, stable) <= 0);
  for (const bp of stableBackports) {
    const c = timeline.changes.find((x) => x.id === bp.change)!;
    if (compareVersions(c.release, release) <= 0) continue;
    const s = `linux ${bp.since} (stable backport of ${c.release}): ${bp.reference}`;
    applyChange(d, c, s);
    d.sources[`backports.${bp.change}`] = s;
    backports.push(bp.change);
  }
  const k: KernelModel = { name: `linux-${version}`, version, release, registers: [...d.registers.values()], psci: d.psci, services: d.services, ...(d.scalars as object), backports, sources: d.sources } as unknown as KernelModel;
  return assumption ? { ...k, assumption } : k;
}

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
      for (const [v, text] of json) expect(text, v).toBe(JSON.stringify(plainKernel(v, m.stableVersion(v)!, m.distributionAssumption(v))));
    }
  });

  it('equal the plain replay in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(versions, { minLength: 1, maxLength: 12 }), async (order) => {
        const { m, json } = await inOrder(order);
        for (const [v, text] of json) expect(text, v).toBe(JSON.stringify(plainKernel(v, m.stableVersion(v)!, m.distributionAssumption(v))));
      }),
      { numRuns: 40 },
    );
  });
});
