// src/solver/verdict-grid.ts is the fleet reports' fast path: VM states and side ids found once
// per host, each rule's findings tabulated per (source id, destination id), a byte per pair
// for the verdict, findings and reasons read from the tables only for the pairs a report
// shows (src/fleet/cell.ts gridCellAt joins them in a trie). Written for speed, so it is held
// to the plain path here, pair by pair, on random sets of knowledge-base hosts (with renamed
// copies, and pairs asked in random order, so the tables fill in any order): every verdict,
// every finding worded for the pair, and the reasons a renderer reads must be what assess()
// with every rule run afresh says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GuestModel, HostModel } from '../../src/model.js';
import { compactCell, gridCellAt } from '../../src/fleet/cell.js';
import { rules } from '../../src/rules/index.js';
import { worded } from '../../src/rules/rule.js';
import { assessEndpointsFresh, decisive } from '../../src/solver/assess.js';
import { VerdictGrid } from '../../src/solver/verdict-grid.js';
import { anyHost, guests, renamed } from './arbitrary-hosts.js';
import { pointHosts } from './special-hosts.js';
import { groupHosts } from '../../src/fleet/groups.js';
import { buildMatrix } from '../../src/fleet/matrix.js';
import { gridReasonIndex, reasonIndex } from '../../src/render/matrix.js';


/** every pair of the hosts (and two renamed copies), asked of the grid in an order the seed shuffles, = assess afresh */
function gridEqualsAssess(picked: HostModel[], g: GuestModel, seed: number, make = (hosts: HostModel[], g: GuestModel) => new VerdictGrid(hosts, g)): void {
  const hosts = [...picked, ...picked.slice(0, 2).map(renamed)];
  const grid = make(hosts, g);
  const n = hosts.length;
  // every pair once, in a random order
  const pairs = Array.from({ length: n * n }, (_, k) => k);
  let x = seed | 1;
  for (let k = pairs.length - 1; k > 0; k--) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const m = x % (k + 1);
    [pairs[k], pairs[m]] = [pairs[m]!, pairs[k]!];
  }
  for (const p of pairs) {
    const i = Math.floor(p / n);
    const j = p % n;
    const a = hosts[i]!;
    const b = hosts[j]!;
    const fresh = assessEndpointsFresh({ host: a, guest: g }, { host: b, guest: g });
    const at = `${a.name} -> ${b.name}`;
    // reasons first on odd seeds: a cell read before its verdict was asked for anything else
    if (seed & 1) expect(gridCellAt(grid, i, j).reasons, at).toEqual(compactCell(fresh, () => fresh).reasons);
    expect(grid.verdict(i, j), at).toBe(fresh.verdict);
    expect(grid.clean(i, j)).toBe(fresh.verdict === 'clean');
    const ctx = grid.context(i, j);
    const findings = Array.from({ length: grid.rules }, (_, k) => grid.findings(k, i, j).map((f) => worded(f, ctx))).flat();
    // JSON: the same keys in the same order, as --format json prints them
    expect(JSON.stringify(findings), at).toBe(JSON.stringify(fresh.findings));
    const cell = gridCellAt(grid, i, j);
    expect({ verdict: cell.verdict, source: cell.source, destination: cell.destination, reasons: cell.reasons }, at).toEqual({
      verdict: fresh.verdict,
      source: a.name,
      destination: b.name,
      reasons: compactCell(fresh, () => fresh).reasons,
    });
    // what --format json and html print of a fleet cell
    expect(JSON.stringify(cell.decisive()), at).toBe(JSON.stringify(decisive(fresh)));
    expect(grid.indexOf(a)).toBe(hosts.indexOf(a));
  }
}

describe('the verdict grid = assess pair by pair', () => {
  it('verdicts, worded findings and cell reasons on random fleets and guests', () => {
    fc.assert(fc.property(fc.array(anyHost, { minLength: 1, maxLength: 6 }), fc.constantFrom(...guests), fc.integer(), (p, g, seed) => gridEqualsAssess(p, g, seed)), { seed: 20261201, numRuns: 60 });
  });
  // acceptance eras that only point releases reach (6.12.59 and 6.12.60 share kernel.release 6.12)
  it('on fleets of point releases', () => {
    fc.assert(fc.property(fc.shuffledSubarray(pointHosts, { minLength: 2, maxLength: 5 }), fc.constantFrom(...guests), fc.integer(), (p, g, seed) => gridEqualsAssess(p, g, seed)), { seed: 20261207, numRuns: 20 });
  });

  // a grid takes a rule's ids and table from a peer over the same hosts whose states share the
  // parts the rule's keys read (the baseline search's settings): peers made for the guest with one
  // setting changed (as the search tries them) and for other guests, some of them filled, must
  // leave every pair of the grid what assess says for its own guest. Each rule is taken from a peer
  // in some cases and made afresh in others (so neither path goes untested)
  const adopted = rules.map(() => 0);
  const made = rules.map(() => 0);
  const settings = [{ psciVersion: '1.0' }, { psciVersion: '0.1' }, { stolenTime: true }, { stolenTime: false }, { cpu: { pauth: false } }, { hypercallBitmaps: { STD_BMAP: [], STD_HYP_BMAP: [], VENDOR_HYP_BMAP: [] } }, { targetCpus: [{ midr: 0x410fd0c0, revidr: 0n, aidr: 0n }] }, { machineType: 'virt-7.2' }, { guestKernel: '6.6' }];
  it('with rules taken from peer grids of other guests', () => {
    fc.assert(
      fc.property(fc.array(anyHost, { minLength: 1, maxLength: 5 }), fc.constantFrom(...guests), fc.subarray(settings, { maxLength: 3 }), fc.subarray([...guests], { maxLength: 2 }), fc.integer(), (picked, g, changes, others, seed) => {
        gridEqualsAssess(picked, g, seed, (hosts, g) => {
          const peers: VerdictGrid[] = [];
          for (const [k, other] of [...changes.map((c) => ({ ...g, ...c }) as GuestModel), ...others].entries()) {
            const peer = new VerdictGrid(hosts, other, peers);
            peers.push(peer);
            // a peer filled whole, one with a row read, one left as made
            if (k % 3 === 0) peer.weighted(new Float64Array(hosts.length * hosts.length));
            else if (k % 3 === 1) peer.rank(seed % hosts.length >>> 0, 0);
          }
          const grid = new VerdictGrid(hosts, g, peers);
          for (let r = 0; r < rules.length; r++) grid.findings(r, 0, 0);
          rules.forEach((_, r) => (grid.adopted.includes(r) ? (adopted[r] = adopted[r]! + 1) : (made[r] = made[r]! + 1)));
          return grid;
        });
      }),
      { seed: 20261208, numRuns: 60 },
    );
    expect(rules.filter((_, r) => !adopted[r] || !made[r]).map((r) => r.id)).toEqual([]);
  });

  it("the matrix's reason index from the grid = grouping its cells' reasons", () => {
    fc.assert(
      fc.property(fc.array(anyHost, { minLength: 1, maxLength: 7 }), fc.subarray([...guests], { minLength: 1, maxLength: 2 }), fc.constantFrom(1, 2, 12, Infinity), (picked, gs, max) => {
        const hosts = [...picked, ...picked.slice(0, 2).map(renamed)];
        const report = buildMatrix(groupHosts(hosts.map((host) => ({ host, count: 1 }))), gs);
        for (const g of report.grids) {
          expect(g.reasonCells).toBeDefined();
          // reasons asked of the cells only after the grid's index: either order fills the tables
          const fast = gridReasonIndex(g, max);
          expect(fast).toEqual(reasonIndex(g.cells, max));
          // the verdicts and host-pair tally the text reads from the grid = the cells'
          expect(report.groups.map((_, i) => report.groups.map((_, j) => g.verdict(i, j)))).toEqual(g.cells.map((row) => row.map((c) => c.verdict)));
          // ordered host pairs: a group's hosts with each other, and with every other group's
          const want = { clean: 0, unsafe: 0, fail: 0 };
          report.groups.forEach((a, i) => report.groups.forEach((b, j) => (want[g.cells[i]![j]!.verdict] += i === j ? a.count * (a.count - 1) : a.count * b.count)));
          expect(g.hostPairs).toEqual(want);
        }
      }),
      { seed: 20261202, numRuns: 60 },
    );
  });

  // the baseline search scores settings with weightedTally, dropping one once its clean weight
  // sinks below the best so far: rule by rule, in any order, it must give fillRow's verdicts, and
  // drop a setting exactly when its final clean weight is below the bound (rules only make pairs worse)
  const order = fc.shuffledSubarray(rules.map((_, r) => r), { minLength: rules.length, maxLength: rules.length });
  it('weightedTally = the weighted verdicts; it drops a setting exactly when its clean weight is below the bound', () => {
    fc.assert(
      fc.property(fc.array(anyHost, { minLength: 1, maxLength: 6 }), fc.constantFrom(...guests), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), order, (hosts, g, ws, at, rs) => {
        const n = hosts.length;
        const weights = Float64Array.from({ length: n * n }, (_, p) => ws[p % ws.length]!);
        const plain = new VerdictGrid(hosts, g);
        const want = { clean: 0, unsafe: 0, fail: 0 };
        for (let p = 0; p < n * n; p++) want[plain.verdict(Math.floor(p / n), p % n)] += weights[p]!;
        expect(new VerdictGrid(hosts, g).weightedTally(weights, -Infinity, rs)).toEqual(want);
        // a bound at, just above or just below the clean weight, or anywhere up to all of it
        const total = weights.reduce((a, b) => a + b, 0);
        for (const below of [want.clean, want.clean + 1, want.clean - 1, at * total]) {
          const grid = new VerdictGrid(hosts, g);
          const t = grid.weightedTally(weights, below, rs);
          expect('sunkBy' in t, `below ${below}, clean ${want.clean}`).toBe(want.clean < below);
          if (!('sunkBy' in t)) expect(t).toEqual(want);
          // a dropped setting's grid still answers every pair as the plain one
          for (let p = 0; p < n * n; p++) expect(grid.verdict(Math.floor(p / n), p % n)).toBe(plain.verdict(Math.floor(p / n), p % n));
        }
      }),
      { seed: 20261203, numRuns: 60 },
    );
  });
});
