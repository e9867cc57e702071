// migcheck pools on random fleets: every ordered pair of hosts inside every pool is clean for
// every guest, re-checked host by host with assess (not through the grouping or the clean
// relation the pools are built from); every host is in exactly one pool; every drain is clean
// host by host; the first pool is the heaviest clique (brute force); and the pools are the
// same across runs and whatever order the fleet lists its entries and nodes in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPools, gridJudge, groupedReasons, heaviestPairs, plainJudge, poolGroups, Relation, type PoolSet } from '../../src/fleet/pools.js';
import type { FleetEntry, FleetModel, GuestModel, HostModel } from '../../src/model.js';
import { Resolver } from '../../src/profile/resolve.js';
import { assess } from '../../src/solver/assess.js';
import { guest } from '../helpers.js';

const r = new Resolver();
const guests: GuestModel[] = [r.guest('default'), r.guest('profiles/examples/fleet/guests/pinned.yaml'), guest({ stolenTime: true }), guest({ machineType: 'virt-7.2' })];
const kernels = ['linux-5.4', 'linux-6.1', 'linux-6.6', 'linux-6.12'];
const vmms = ['qemu-7.2', 'qemu-8.2', 'qemu-9.2'];
const cpus = ['neoverse-n1:r3p1', 'neoverse-v1:r1p1'];
// one model per profile, as the resolver gives one per file
const profiles = new Map<string, HostModel>();
const hostOf = (k: string, v: string, c: string) => {
  const key = `${k}+${v}+${c}`;
  let h = profiles.get(key);
  if (!h) profiles.set(key, (h = { ...r.composeHost(k, v, c), name: `${k}-${v}-${c.split(':')[0]}` }));
  return h;
};

const verdicts = new Map<HostModel, Map<HostModel, Map<GuestModel, boolean>>>();
/** assess itself on the two hosts' own models, remembered per model pair (no grouping) */
function clean(a: HostModel, b: HostModel, g: GuestModel): boolean {
  let row = verdicts.get(a);
  if (!row) verdicts.set(a, (row = new Map()));
  let cell = row.get(b);
  if (!cell) row.set(b, (cell = new Map()));
  if (!cell.has(g)) cell.set(g, assess(a, b, g).verdict === 'clean');
  return cell.get(g)!;
}

const entryArb = fc.record({
  k: fc.constantFrom(...kernels),
  v: fc.constantFrom(...vmms),
  c: fc.constantFrom(...cpus),
  count: fc.integer({ min: 1, max: 4 }),
  named: fc.boolean(),
});
const fleetArb = fc.record({
  entries: fc.array(entryArb, { minLength: 1, maxLength: 7 }),
  names: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,5}[a-z0-9]$/), { minLength: 28, maxLength: 28 }),
  guests: fc.subarray(guests, { minLength: 1, maxLength: 2 }),
  order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 7, maxLength: 7 }),
});

type Entry = { k: string; v: string; c: string; count: number; named: boolean };
function fleetOf(d: { entries: Entry[]; names: string[] }): FleetModel {
  let n = 0;
  const hosts: FleetEntry[] = d.entries.map((e) => {
    const host = hostOf(e.k, e.v, e.c);
    return e.named ? { host, count: e.count, nodes: d.names.slice(n, (n += e.count)) } : { host, count: e.count };
  });
  return { name: 'random', hosts, guests: [] };
}

/** The same fleet listed in another order: entries permuted, each entry's nodes reversed. */
function reordered(f: FleetModel, order: readonly number[]): FleetModel {
  const hosts = f.hosts.map((e, i) => ({ e, k: order[i] ?? 0 })).sort((a, b) => a.k - b.k).map(({ e }) => (e.nodes ? { ...e, nodes: [...e.nodes].reverse() } : e));
  return { ...f, hosts };
}

/** Every host of a pool set as (pool id, its model, its name or an unnamed marker). */
function hostsOf(s: PoolSet): { pool: number; host: HostModel; name?: string }[] {
  return s.pools.flatMap((p) =>
    p.groups.flatMap((g) => g.members.flatMap((m) => [...m.nodes.map((name) => ({ pool: p.id, host: m.host, name })), ...Array.from({ length: m.unnamed }, () => ({ pool: p.id, host: m.host }))])),
  );
}

/** What a scheduler is told and a person reads: ids, members, drains, the reasons' keys. */
const projection = (s: PoolSet) => ({
  pools: s.pools.map((p) => ({ id: p.id, count: p.count, alone: Boolean(p.alone), members: p.groups.flatMap((g) => g.members.map((m) => [m.host.name, m.nodes, m.unnamed])) })),
  drains: s.drains,
  apart: s.separations.map((x) => [x.a, x.b, x.ab.reasons.map((q) => `${q.rule}:${q.subjects.join(',')}:${q.hostPairs}`), x.ba.reasons.map((q) => `${q.rule}:${q.subjects.join(',')}:${q.hostPairs}`)]),
});

describe('pools on random fleets', () => {
  it('every ordered pair inside a pool is clean host by host; each host is in one pool; drains are clean; the first pool is the heaviest clique', () => {
    // the cases must have come up, not only fleets of one profile
    const seen = { mixedPool: 0, alone: 0, drain: 0, apart: 0 };
    fc.assert(
      fc.property(fleetArb, (d) => {
        const fleet = fleetOf(d);
        const report = buildPools(fleet, d.guests);
        const hosts = hostsOf(report);
        if (report.pools.some((p) => p.groups.length > 1 || p.groups.some((g) => g.members.length > 1))) seen.mixedPool++;
        if (report.pools.some((p) => p.alone)) seen.alone++;
        if (report.drains.length) seen.drain++;
        if (report.separations.some((x) => x.ab.reasons.length || x.ba.reasons.length)) seen.apart++;
        // a partition: every host once
        expect(hosts.length).toBe(fleet.hosts.reduce((n, e) => n + e.count, 0));
        const named = hosts.flatMap((h) => (h.name ? [h.name] : []));
        expect(new Set(named).size).toBe(named.length);
        expect(new Set(named)).toEqual(new Set(fleet.hosts.flatMap((e) => e.nodes ?? [])));
        for (const p of report.pools) {
          const inside = hosts.filter((h) => h.pool === p.id);
          if (p.alone) {
            // each host by itself: identical hosts do not migrate cleanly to each other
            expect(d.guests.some((g) => !clean(inside[0]!.host, inside[0]!.host, g))).toBe(true);
            continue;
          }
          inside.forEach((a, i) => inside.forEach((b, j) => i === j || d.guests.forEach((g) => expect(clean(a.host, b.host, g), `${a.host.name} -> ${b.host.name} in pool ${p.id}`).toBe(true))));
        }
        // the drains (bit rows of the grouped relation) are exactly the pool pairs clean host by host
        const drains = new Set(report.drains.map((x) => `${x.from}>${x.to}`));
        for (const p of report.pools)
          for (const q of report.pools) {
            if (p === q) continue;
            const from = hosts.filter((h) => h.pool === p.id);
            const to = hosts.filter((h) => h.pool === q.id);
            const all = from.every((a) => to.every((b) => d.guests.every((g) => clean(a.host, b.host, g))));
            expect(drains.has(`${p.id}>${q.id}`), `pool ${p.id} -> pool ${q.id}`).toBe(all);
          }
        // brute force: no set of hosts that migrate cleanly both ways is larger than pool 1
        const distinct = [...new Set(fleet.hosts.map((e) => e.host))];
        const weight = (h: HostModel) => fleet.hosts.filter((e) => e.host === h).reduce((n, e) => n + e.count, 0);
        const selfOk = (h: HostModel) => weight(h) === 1 || d.guests.every((g) => clean(h, h, g));
        let best = 0;
        for (let mask = 1; mask < 1 << distinct.length; mask++) {
          const set = distinct.filter((_, i) => mask & (1 << i));
          if (!set.every(selfOk)) continue;
          if (!set.every((a) => set.every((b) => a === b || d.guests.every((g) => clean(a, b, g))))) continue;
          best = Math.max(best, set.reduce((n, h) => n + weight(h), 0));
        }
        const first = report.pools.find((p) => !p.alone);
        expect(report.exact).toBe(true);
        expect(first?.count ?? 0).toBe(best);
        // largest first
        const sizes = report.pools.map((p) => (p.alone ? 1 : p.count));
        expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
      }),
      { seed: 20261201, numRuns: 60 },
    );
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(2);
  });

  it('the same pools across runs and whatever order entries and nodes are listed in', () => {
    fc.assert(
      fc.property(fleetArb, (d) => {
        const fleet = fleetOf(d);
        const once = projection(buildPools(fleet, d.guests));
        expect(projection(buildPools(fleet, d.guests))).toEqual(once);
        expect(projection(buildPools(reordered(fleet, d.order), d.guests))).toEqual(once);
        expect(projection(buildPools(reordered(fleet, d.order.map((x) => 1 - x)), d.guests))).toEqual(once);
      }),
      { seed: 20261201, numRuns: 60 },
    );
  });
});

// More than 32 distinct profiles: the relation's bit rows take more than one 32-bit word, which
// the fleets above (at most 7 entries) never reach (review finding). Pools clean inside and
// drains exactly the clean pool pairs, host by host, as above; no brute-force clique.
describe('pools over more than 32 profiles', () => {
  const wide = { k: ['linux-5.4', 'linux-5.15', 'linux-6.1', 'linux-6.6', 'linux-6.8', 'linux-6.12', 'linux-6.15', 'linux-6.18'], v: ['qemu-7.2', 'qemu-8.2', 'qemu-9.2', 'qemu-10.1'], c: ['neoverse-n1:r3p1', 'neoverse-v1:r1p1'] };
  const combos = wide.k.flatMap((k) => wide.v.flatMap((v) => wide.c.map((c) => ({ k, v, c }))));
  it('every pair inside a pool is clean and the drains are the clean pool pairs', () => {
    let multiWord = 0;
    fc.assert(
      fc.property(fc.shuffledSubarray(combos, { minLength: 33, maxLength: 48 }), fc.subarray(guests.slice(0, 2), { minLength: 1, maxLength: 2 }), (picked, gs) => {
        const fleet: FleetModel = { name: 'wide', hosts: picked.map((e) => ({ host: hostOf(e.k, e.v, e.c), count: 1 })), guests: [] };
        if (poolGroups(fleet.hosts, new Relation(gs)).length > 32) multiWord++;
        const report = buildPools(fleet, gs);
        const hosts = hostsOf(report);
        expect(hosts.length).toBe(picked.length);
        for (const p of report.pools) {
          if (p.alone) continue;
          const inside = hosts.filter((h) => h.pool === p.id);
          inside.forEach((a, i) => inside.forEach((b, j) => i === j || gs.forEach((g) => expect(clean(a.host, b.host, g), `${a.host.name} -> ${b.host.name}`).toBe(true))));
        }
        const drains = new Set(report.drains.map((x) => `${x.from}>${x.to}`));
        for (const p of report.pools)
          for (const q of report.pools) {
            if (p === q) continue;
            const all = hosts.filter((h) => h.pool === p.id).every((a) => hosts.filter((h) => h.pool === q.id).every((b) => gs.every((g) => clean(a.host, b.host, g))));
            expect(drains.has(`${p.id}>${q.id}`), `pool ${p.id} -> pool ${q.id}`).toBe(all);
          }
      }),
      { seed: 20261202, numRuns: 4 },
    );
    expect(multiWord).toBeGreaterThan(0);
  });
});

// The reasons between pools are read from a verdict grid over the profiles asked about
// (gridJudge); the plain judge asks judgedPair of each pair's representatives. The same
// grouped reasons for every pair of groups, each alone and in bulk.
describe('gridJudge = plainJudge', () => {
  it('on random fleets and guests', () => {
    fc.assert(
      fc.property(fleetArb, (d) => {
        const fleet = fleetOf(d);
        const rel = new Relation(d.guests);
        const groups = poolGroups(fleet.hosts, rel);
        const all = groups.map((_, i) => i);
        const pairs = all.flatMap((x) => all.map((y): [number, number] => [x, y]));
        const grid = gridJudge(groups, d.guests, all);
        const plain = plainJudge(groups, d.guests);
        for (const p of pairs) expect(groupedReasons([p], groups, d.guests, grid)).toEqual(groupedReasons([p], groups, d.guests, plain));
        expect(groupedReasons(pairs, groups, d.guests, grid)).toEqual(groupedReasons(pairs, groups, d.guests, plain));
      }),
      { seed: 20261201, numRuns: 40 },
    );
  });
});

// The reasons between two pools come from the heaviest profile pairs that are not clean, kept
// while the pairs are counted (heaviestPairs); the plain way makes every such pair and sorts them.
describe('heaviestPairs = every pair not clean, sorted, the first k', () => {
  it('on random groups, weights with ties, relations and k', () => {
    const arb = fc.record({
      xs: fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { maxLength: 8 }),
      ys: fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { maxLength: 8 }),
      w: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 12, maxLength: 12 }),
      clean: fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }),
      k: fc.integer({ min: 0, max: 6 }),
    });
    let cut = 0;
    fc.assert(
      fc.property(arb, ({ xs, ys, w, clean, k }) => {
        const ok = (x: number, y: number) => clean[x * 12 + y]!;
        const pairs = xs.flatMap((x) => ys.flatMap((y): [number, number][] => (ok(x, y) ? [] : [[x, y]])));
        const sorted = pairs.sort((p, q) => w[q[0]]! * w[q[1]]! - w[p[0]]! * w[p[1]]! || p[0] - q[0] || p[1] - q[1]);
        if (sorted.length > k) cut++;
        expect(heaviestPairs(xs, ys, ok, w, k)).toEqual({ heavy: sorted.slice(0, k), profilePairs: pairs.length });
      }),
      { seed: 20261202, numRuns: 500 },
    );
    expect(cut).toBeGreaterThan(100);
  });
});
