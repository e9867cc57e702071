// Migration pools: a partition of a fleet's hosts such that every ordered pair of hosts
// inside a pool migrates cleanly for every guest configuration asked about — what a
// scheduler can be told ("keep this guest's live migrations inside its pool").
//
// The clean relation is over distinct profiles (the matrix's grouping, signature()), every pair
// at once through cleanMatrix, so the cost grows with distinct profiles, not hosts. Drains are
// bit rows of it (the plain test, every host pair, is the oracle in test/property/pools.test.ts);
// the reasons between pools come from a verdict grid over the profiles they are asked of
// (gridJudge; judgedPair per pair, plainJudge, is its oracle there). The partition
// takes the heaviest clique (most hosts) of the "clean both ways" graph first, then the
// heaviest of what is left, and so on: exact branch and bound while the whole partition stays
// within SEARCH_BUDGET steps, else the best of greedy cliques grown from the heaviest
// profiles (then pools whose union is still a clique are merged). Everything is ordered by
// names, so the pools do not depend on the order the fleet lists its hosts in.
import type { FleetModel, GuestModel, HostModel, Verdict } from '../model.js';
import { cleanMatrix } from './clean-pairs.js';
import { gridCellAt, judgedPair, type Reason } from './cell.js';
import { VerdictGrid } from '../solver/verdict-grid.js';
import { signature } from './groups.js';
import type { PlanReport, Wave } from './plan.js';
import { silent, type Progress } from './progress.js';

/** Branch-and-bound steps for one whole partition before the search turns greedy. */
export const SEARCH_BUDGET = 200_000;
/**
 * Reasons cost judging every rule on a profile pair, where the pools need only clean or not:
 * they are given between the largest pools (a person reads a few; `--apart` asks for more)
 * and, each way, from the heaviest profile pairs.
 */
export const APART_POOLS = 10;
export const APART_PAIRS = 4;
/** Greedy cliques are grown from this many of the heaviest profiles left. */
const GREEDY_SEEDS = 8;

/** Hosts of one profile in a state of the fleet: named nodes and/or a count of unnamed ones. */
export interface FleetHosts {
  readonly host: HostModel;
  readonly count: number;
  readonly nodes?: readonly string[];
}

/** One profile's hosts inside a pool. */
export interface PoolMember {
  readonly host: HostModel;
  readonly count: number;
  /** the named nodes, sorted */
  readonly nodes: readonly string[];
  /** hosts the fleet counts without names */
  readonly unnamed: number;
}

/** Hosts every rule treats alike (one signature). */
export interface PoolGroup {
  readonly rep: HostModel;
  readonly members: readonly PoolMember[];
  readonly count: number;
  /** the smallest name among its nodes and unnamed profiles: the order everything is decided in */
  readonly key: string;
  /** index in the universe of profiles the relation is over */
  readonly u: number;
}

export interface HostPool {
  /** 1-based, largest pool first; an `alone` block is the pools id … id+count-1, one host each */
  readonly id: number;
  readonly count: number;
  readonly groups: readonly PoolGroup[];
  /** set when identical hosts cannot migrate to each other: each host is a pool by itself; why */
  readonly alone?: readonly GroupedReason[];
}

/** One reason, counted over the host pairs it stands in the way of. */
export interface GroupedReason extends Reason {
  readonly verdict: Verdict;
  /** ordered host pairs it applies to */
  readonly hostPairs: number;
  /** the guest configurations it applies to */
  readonly guests: readonly string[];
}

/** Pool `from` can drain into pool `to`: every from → to host pair is clean (for upgrades). */
export interface Drain {
  readonly from: number;
  readonly to: number;
  /** to → from is clean too (only when a greedy search left two pools apart) */
  readonly both: boolean;
}

/** One direction between two pools: clean (it drains), or why not. */
export interface ApartSide {
  readonly reasons: readonly GroupedReason[];
  /** profile pairs this way that are not clean */
  readonly profilePairs: number;
  /** of them, the heaviest ones assessed for reasons (at most APART_PAIRS) */
  readonly assessed: number;
}

/** Why two pools are apart: the reasons of each direction that is not clean. */
export interface Separation {
  readonly a: number;
  readonly b: number;
  readonly ab: ApartSide;
  readonly ba: ApartSide;
}

export interface PoolSet {
  readonly hosts: number;
  readonly profiles: number;
  readonly pools: readonly HostPool[];
  readonly drains: readonly Drain[];
  readonly separations: readonly Separation[];
  /** false when the search ran out of budget and some pools are greedy */
  readonly exact: boolean;
  /** the reasons between pools are given for the pairs among this many largest pools */
  readonly apart: number;
}

export interface WavePools {
  readonly wave: Wave;
  readonly set: PoolSet;
}

export interface PoolsReport extends PoolSet {
  readonly fleet: string;
  readonly guests: readonly GuestModel[];
  /** with targets: the pools after each wave of the plan */
  readonly plan?: { readonly guest: string; readonly waves: readonly WavePools[]; readonly blocked: boolean };
}

/** The clean relation over every profile a report may meet, all guests at once, every pair. */
export class Relation {
  readonly reps: HostModel[] = [];
  private readonly index = new Map<string, number>();
  // a fleet of 100,000 entries names a few hundred models: each model's signature is looked up once
  private readonly byHost = new Map<HostModel, number>();
  private m?: Uint8Array;
  constructor(readonly guests: readonly GuestModel[]) {}

  /** before the first clean(): every profile the report will ask about */
  add(h: HostModel): number {
    let i = this.byHost.get(h);
    if (i !== undefined) return i;
    const sig = signature(h);
    i = this.index.get(sig);
    if (i === undefined) {
      if (this.m) throw new Error('Relation: profile added after the relation was built');
      this.index.set(sig, (i = this.reps.push(h) - 1));
    }
    this.byHost.set(h, i);
    return i;
  }

  /** m[a * reps.length + b]: 1 when reps[a] -> reps[b] is clean for every guest, else 0 */
  matrix(): Uint8Array {
    if (!this.m) {
      // one guest (the usual ask): its matrix as it is, without a pass over every pair
      if (this.guests.length === 1) this.m = cleanMatrix(this.reps, this.guests[0]!);
      else {
        const m = new Uint8Array(this.reps.length ** 2).fill(1);
        for (const g of this.guests) {
          const c = cleanMatrix(this.reps, g);
          for (let k = 0; k < m.length; k++) m[k]! &= c[k]!;
        }
        this.m = m;
      }
    }
    return this.m;
  }

}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
// sort() without a comparator orders strings by UTF-16 code units, as < does, without a call per comparison
const sortNames = (xs: string[]) => xs.sort();

/** Hosts grouped by signature, in name order (not the fleet's order). */
export function poolGroups(hosts: readonly FleetHosts[], rel: Relation): PoolGroup[] {
  const bySig = new Map<number, Map<HostModel, { nodes: string[]; unnamed: number }>>();
  // a fleet of 100,000 entries names a few hundred models: each model's member is found once
  const byHost = new Map<HostModel, { nodes: string[]; unnamed: number }>();
  for (let k = 0; k < hosts.length; k++) {
    const h = hosts[k]!;
    if (h.count <= 0) continue;
    let m = byHost.get(h.host);
    if (!m) {
      const u = rel.add(h.host);
      let g = bySig.get(u);
      if (!g) bySig.set(u, (g = new Map()));
      g.set(h.host, (m = { nodes: [], unnamed: 0 }));
      byHost.set(h.host, m);
    }
    const nodes = h.nodes;
    if (nodes) for (let j = 0; j < nodes.length; j++) m.nodes.push(nodes[j]!);
    m.unnamed += h.count - (nodes?.length ?? 0);
  }
  const groups = [...bySig.entries()].map(([u, ms]) => {
    const members = [...ms.entries()].map(([host, m]) => {
      const nodes = sortNames(m.nodes);
      return { host, nodes, unnamed: m.unnamed, count: nodes.length + m.unnamed, key: m.unnamed ? (nodes[0] !== undefined && nodes[0] < host.name ? nodes[0] : host.name) : nodes[0]! };
    });
    members.sort((a, b) => byKey(a, b) || (a.host.name < b.host.name ? -1 : a.host.name > b.host.name ? 1 : 0));
    const key = members[0]!.key;
    return { rep: members[0]!.host, members: members.map(({ key: _k, ...m }) => m), count: members.reduce((n, m) => n + m.count, 0), key, u, sig: signature(rel.reps[u]!) };
  });
  groups.sort((a, b) => byKey(a, b) || (a.sig < b.sig ? -1 : a.sig > b.sig ? 1 : 0));
  return groups.map(({ sig: _s, ...g }) => g);
}

interface Search {
  steps: number;
  exact: boolean;
  readonly budget: number;
}

/**
 * The graph as every search reads it: vertices numbered by position in the one order all
 * searches take them in (heaviest first, then by vertex number — the same for any subset),
 * adjacency as bit rows, so a candidate set is a few words and narrowing it is an AND.
 * test/fleet/pools.test.ts holds the result to the plain search (arrays and `ok`) step by step.
 */
interface Graph {
  /** position -> vertex */
  readonly vertex: readonly number[];
  /** position -> weight */
  readonly w: Float64Array;
  /** words per row */
  readonly W: number;
  /** adj[p * W + (q >> 5)] bit (q & 31): ok(vertex[p], vertex[q]) */
  readonly adj: Uint32Array;
}

function graphOf(vs: readonly number[], w: readonly number[], ok: (a: number, b: number) => boolean): Graph {
  const vertex = [...vs].sort((a, b) => w[b]! - w[a]! || a - b);
  const m = vertex.length;
  const W = (m + 31) >>> 5;
  const adj = new Uint32Array(m * W);
  for (let p = 0; p < m; p++)
    for (let q = p + 1; q < m; q++)
      if (ok(vertex[p]!, vertex[q]!)) {
        adj[p * W + (q >>> 5)]! |= 1 << (q & 31);
        adj[q * W + (p >>> 5)]! |= 1 << (p & 31);
      }
  return { vertex, w: Float64Array.from(vertex, (v) => w[v]!), W, adj };
}

/** The heaviest clique among the positions in `left`: exact within the budget, else greedy. */
function heaviestClique(left: Uint32Array, g: Graph, search: Search): number[] {
  const { w, W, adj } = g;
  let best: number[] = [];
  let bestW = -1;
  // greedy from each of the first GREEDY_SEEDS positions left: add, lowest first, the positions
  // left that are adjacent to every member so far (a row has no bit of its own, so a member's
  // AND clears it and the lowest bit left is always the next one)
  const common = new Uint32Array(W);
  let seeds = 0;
  for (let ks = 0; ks < W && seeds < GREEDY_SEEDS; ks++)
    for (let xs = left[ks]!; xs !== 0 && seeds < GREEDY_SEEDS; xs &= xs - 1, seeds++) {
      const s = (ks << 5) + (31 - Math.clz32(xs & -xs));
      const c = [s];
      let cw = w[s]!;
      for (let k = 0; k < W; k++) common[k] = adj[s * W + k]! & left[k]!;
      for (let k = 0; k < W; k++)
        while (common[k] !== 0) {
          const v = (k << 5) + (31 - Math.clz32(common[k]! & -common[k]!));
          c.push(v);
          cw += w[v]!;
          for (let j = k; j < W; j++) common[j]! &= adj[v * W + j]!;
        }
      if (cw > bestW) (best = c), (bestW = cw);
    }
  if (!search.exact) return best;
  // one candidate set per depth, reused
  const sets: Uint32Array[] = [];
  const c: number[] = [];
  const expand = (cw: number, cand: Uint32Array, depth: number) => {
    if (++search.steps > search.budget) {
      search.exact = false;
      return;
    }
    if (cw > bestW) (best = [...c]), (bestW = cw);
    let rest = 0;
    for (let k = 0; k < W; k++) for (let x = cand[k]!; x !== 0; x &= x - 1) rest += w[(k << 5) + (31 - Math.clz32(x & -x))]!;
    const next = (sets[depth] ??= new Uint32Array(W));
    // the candidates in ascending order, read from the bits (cand is the caller's and stays as it is)
    for (let k = 0; k < W; k++)
      for (let x = cand[k]!; x !== 0; x &= x - 1) {
        if (!search.exact) return;
        // nothing left here can beat the best strictly (an equal one keeps the first found)
        if (cw + rest <= bestW) return;
        const v = (k << 5) + (31 - Math.clz32(x & -x));
        // the candidates after v that are adjacent to it
        for (let j = 0; j < k; j++) next[j] = 0;
        let any = (next[k] = cand[k]! & adj[v * W + k]! & ~(0xffffffff >>> (31 - (v & 31))));
        for (let j = k + 1; j < W; j++) any |= next[j] = cand[j]! & adj[v * W + j]!;
        if (any === 0) {
          // no candidate after v: the step its call would take (count, budget, best), without the call
          if (++search.steps > search.budget) search.exact = false;
          else if (cw + w[v]! > bestW) (best = [...c, v]), (bestW = cw + w[v]!);
        } else {
          c.push(v);
          expand(cw + w[v]!, next, depth + 1);
          c.pop();
        }
        rest -= w[v]!;
      }
  };
  expand(0, left, 0);
  return best;
}

/**
 * The vertices `vs` (weights w, an undirected relation ok) cut into cliques, the heaviest of
 * what is left first: exact while the search stays within `budget` steps in all, then greedy
 * (and greedy cliques whose union is still a clique merged). Ties go to lower vertex numbers.
 */
export function cliquePartition(vs: readonly number[], w: readonly number[], ok: (a: number, b: number) => boolean, budget = SEARCH_BUDGET, progress: Progress = silent): { cliques: number[][]; exact: boolean } {
  const search: Search = { steps: 0, exact: true, budget };
  const g = graphOf(vs, w, ok);
  const left = new Uint32Array(g.W);
  for (let p = 0; p < g.vertex.length; p++) left[p >>> 5]! |= 1 << (p & 31);
  let n = g.vertex.length;
  const cliques: number[][] = [];
  while (n > 0) {
    const c = heaviestClique(left, g, search);
    cliques.push(c.map((p) => g.vertex[p]!));
    for (const p of c) left[p >>> 5]! &= ~(1 << (p & 31));
    n -= c.length;
    progress.tick(c.length);
  }
  // a greedy partition may leave two pools whose union is still clean both ways
  if (!search.exact) mergeCliques(cliques, ok);
  return { cliques, exact: search.exact };
}

/** Merges, in place and in order, cliques whose union is still a clique (after a greedy partition). */
export function mergeCliques(cliques: number[][], ok: (a: number, b: number) => boolean): void {
  for (let i = 0; i < cliques.length; i++)
    for (let j = i + 1; j < cliques.length; j++)
      if (cliques[i]!.every((a) => cliques[j]!.every((b) => ok(a, b)))) {
        cliques[i]!.push(...cliques.splice(j, 1)[0]!);
        j = i;
      }
}

/** A pool before it has an id: its groups, largest pool first. */
export interface Unit {
  readonly groups: readonly PoolGroup[];
  readonly count: number;
  readonly alone: boolean;
}

/** Ids in order, 1, 2, …; an alone block takes one id per host. */
export function sequentialIds(units: readonly Unit[], first = 1): number[] {
  let next = first;
  return units.map((u) => {
    const id = next;
    next += u.alone ? u.count : 1;
    return id;
  });
}

/** Partition one state of the fleet into pools, with drains and the reasons between pools. */
export interface PartitionOptions {
  readonly progress?: Progress;
  /** how pools are numbered (default 1, 2, …) */
  readonly ids?: (units: readonly Unit[]) => number[];
  /** the reasons between the pairs among this many largest pools (default APART_POOLS) */
  readonly apart?: number;
}

export function partition(hosts: readonly FleetHosts[], rel: Relation, opts: PartitionOptions = {}): PoolSet {
  const progress = opts.progress ?? silent;
  const ids = opts.ids ?? sequentialIds;
  const apart = opts.apart ?? APART_POOLS;
  const groups = poolGroups(hosts, rel);
  const n = groups.length;
  progress.start('pools', n);
  // cl[a * n + b]: groups[a] -> groups[b] is clean for every guest
  const M = rel.matrix();
  const S = rel.reps.length;
  const cl = new Uint8Array(n * n);
  const us = Int32Array.from(groups, (g) => g.u);
  for (let a = 0; a < n; a++) {
    const row = us[a]! * S;
    for (let b = 0; b < n; b++) cl[a * n + b] = M[row + us[b]!]!;
  }
  const clean = (a: number, b: number) => cl[a * n + b] === 1;
  // identical hosts go together only when they migrate to each other cleanly
  const alone = groups.map((g, i) => g.count > 1 && !clean(i, i));
  const ok = (a: number, b: number) => cl[a * n + b] === 1 && cl[b * n + a] === 1;
  const w = groups.map((g) => g.count);
  const { cliques, exact } = cliquePartition(groups.map((_, i) => i).filter((i) => !alone[i]), w, ok, SEARCH_BUDGET, progress);
  const units = [...cliques.map((c) => ({ gs: c.sort((a, b) => a - b), alone: false })), ...groups.flatMap((_, i) => (alone[i] ? [{ gs: [i], alone: true }] : []))];
  const size = (u: { gs: number[]; alone: boolean }) => (u.alone ? 1 : u.gs.reduce((s, i) => s + w[i]!, 0));
  // largest first; then by the first name (groups are in name order, so gs[0] holds it)
  units.sort((a, b) => size(b) - size(a) || a.gs[0]! - b.gs[0]!);
  const ordered = units.map((u) => ({ groups: u.gs.map((i) => groups[i]!), count: u.gs.reduce((s, i) => s + w[i]!, 0), alone: u.alone }));
  const id = ids(ordered);
  const P = units.length;
  const drainsTo = drainTest(units, cl, n);
  const drains: Drain[] = [];
  // the sides not clean among the `apart` largest pools: their heaviest profile pairs, judged below
  const apartSides: { a: number; b: number; ab: Side; ba: Side }[] = [];
  const side = (from: number, to: number, drains: boolean): Side => (drains ? { heavy: [], profilePairs: 0 } : heaviestPairs(units[from]!.gs, units[to]!.gs, clean, w, APART_PAIRS));
  for (let a = 0; a < P; a++)
    for (let b = a + 1; b < P; b++) {
      const ab = drainsTo(a, b);
      const ba = drainsTo(b, a);
      if (ab) drains.push({ from: id[a]!, to: id[b]!, both: ba });
      if (ba) drains.push({ from: id[b]!, to: id[a]!, both: ab });
      if ((ab && ba) || b >= apart) continue;
      apartSides.push({ a, b, ab: side(a, b, ab), ba: side(b, a, ba) });
    }
  drains.sort((x, y) => x.from - y.from || x.to - y.to);
  // the reasons are judged on one grid per guest over just the profiles they are asked of
  const asked = [...units.flatMap((u) => (u.alone ? u.gs : [])), ...apartSides.flatMap((x) => [...x.ab.heavy, ...x.ba.heavy].flat())];
  // (with nothing asked, no grid is built: gridJudge makes its grids on first use)
  const judge = gridJudge(groups, rel.guests, asked);
  const reasons = (pairs: readonly (readonly [number, number])[]) => groupedReasons(pairs, groups, rel.guests, judge);
  const pools: HostPool[] = ordered.map((u, k) => ({ id: id[k]!, count: u.count, groups: u.groups, ...(u.alone ? { alone: reasons([[units[k]!.gs[0]!, units[k]!.gs[0]!]]) } : {}) }));
  const apartSide = (x: Side): ApartSide => ({ reasons: x.profilePairs ? reasons(x.heavy) : [], profilePairs: x.profilePairs, assessed: x.heavy.length });
  const separations: Separation[] = apartSides.map((x) => ({ a: id[x.a]!, b: id[x.b]!, ab: apartSide(x.ab), ba: apartSide(x.ba) }));
  progress.done();
  return { hosts: groups.reduce((s, g) => s + g.count, 0), profiles: n, pools, drains, separations, exact, apart };
}

/** One way between two pools that is not clean: its heaviest profile pairs, and how many there are. */
export interface Side {
  readonly heavy: readonly (readonly [number, number])[];
  readonly profilePairs: number;
}

/**
 * The pairs (x of xs, y of ys) that are not clean, heaviest first (w[x] * w[y], then by x, then y:
 * the reasons most hosts meet, then name order): the first k of them, kept in order while all are
 * counted, not every pair made and sorted (thousands per pool pair at 200 profiles). The order
 * is total, so these are the first k of the sorted list; test/property/pools.test.ts holds them to it.
 */
export function heaviestPairs(xs: readonly number[], ys: readonly number[], clean: (x: number, y: number) => boolean, w: readonly number[], k: number): Side {
  const heavy: [number, number][] = [];
  const weight: number[] = [];
  let count = 0;
  for (const x of xs)
    for (const y of ys) {
      if (clean(x, y)) continue;
      count++;
      const wt = w[x]! * w[y]!;
      // p comes before (x, y): heavier, or as heavy and first by x, then y
      const before = (i: number) => weight[i]! > wt || (weight[i] === wt && (heavy[i]![0] < x || (heavy[i]![0] === x && heavy[i]![1] < y)));
      if (heavy.length === k && (k === 0 || before(k - 1))) continue;
      let i = heavy.length === k ? k - 1 : heavy.length;
      for (; i > 0 && !before(i - 1); i--) (heavy[i] = heavy[i - 1]!), (weight[i] = weight[i - 1]!);
      heavy[i] = [x, y];
      weight[i] = wt;
    }
  return { heavy, profilePairs: count };
}

/**
 * drainsTo(a, b): every group of units[a] -> every group of units[b] is clean (cl as in partition).
 * Per unit, the groups all of its groups migrate to cleanly (an AND of bit rows) and its own groups:
 * a drain is its own groups inside the other's. test/property/pools.test.ts holds the drains to
 * every host pair of the two pools assessed.
 */
function drainTest(units: readonly { gs: readonly number[] }[], cl: Uint8Array, n: number): (a: number, b: number) => boolean {
  const W = (n + 31) >>> 5;
  const P = units.length;
  const reach = new Uint32Array(P * W).fill(0xffffffff);
  const own = new Uint32Array(P * W);
  const row = new Uint32Array(W);
  units.forEach((u, p) => {
    for (const x of u.gs) {
      own[p * W + (x >>> 5)]! |= 1 << (x & 31);
      row.fill(0);
      for (let y = 0; y < n; y++) if (cl[x * n + y] === 1) row[y >>> 5]! |= 1 << (y & 31);
      for (let k = 0; k < W; k++) reach[p * W + k]! &= row[k]!;
    }
  });
  return (a, b) => {
    for (let k = 0; k < W; k++) if ((own[b * W + k]! & ~reach[a * W + k]!) !== 0) return false;
    return true;
  };
}

/** A pair of groups judged for one guest (by index in the report's guests): its verdict and reasons. */
export type PairJudge = (x: number, y: number, guest: number) => { readonly verdict: Verdict; readonly reasons: readonly Reason[] };

/** judgedPair on the groups' representatives: the plain judge (the oracle of gridJudge). */
export const plainJudge =
  (groups: readonly PoolGroup[], guests: readonly GuestModel[]): PairJudge =>
  (x, y, g) =>
    judgedPair(groups[x]!.rep, groups[y]!.rep, guests[g]!);

/**
 * plainJudge, read from a verdict grid per guest over the representatives of the groups `asked`
 * (only pairs of those may be judged): each host's VM states and side ids are found once, not
 * once per pair, and pairs that meet the same rule entries share their reasons. The grid's cells
 * are judgedPair by construction; test/property/pools.test.ts holds the two equal.
 */
export function gridJudge(groups: readonly PoolGroup[], guests: readonly GuestModel[], asked: Iterable<number>): PairJudge {
  const at = new Map<number, number>();
  const reps: HostModel[] = [];
  for (const x of asked) if (!at.has(x)) at.set(x, reps.push(groups[x]!.rep) - 1);
  const grids: VerdictGrid[] = [];
  return (x, y, g) => {
    const i = at.get(x);
    const j = at.get(y);
    if (i === undefined || j === undefined) throw new Error('gridJudge: a group that was not asked for');
    const cell = gridCellAt((grids[g] ??= new VerdictGrid(reps, guests[g]!)), i, j);
    return { verdict: cell.verdict, reasons: cell.reasons };
  };
}

/**
 * The reasons of the group pairs that are not clean, grouped by rule and note (their
 * subjects merged, as the matrix groups them) and counted in ordered host pairs.
 */
export function groupedReasons(pairs: readonly (readonly [number, number])[], groups: readonly PoolGroup[], guests: readonly GuestModel[], judge: PairJudge): GroupedReason[] {
  const out = new Map<string, { rule: string; template: string; subjects: string[]; verdict: Verdict; hostPairs: number; guests: string[] }>();
  const rank: Record<Verdict, number> = { clean: 0, unsafe: 1, fail: 2 };
  for (const [x, y] of pairs) {
    const a = groups[x]!;
    const b = groups[y]!;
    const weight = x === y ? a.count * (a.count - 1) : a.count * b.count;
    const seen = new Set<string>();
    guests.forEach((g, gi) => {
      const r = judge(x, y, gi);
      if (r.verdict === 'clean') return;
      for (const reason of r.reasons) {
        const key = `${reason.rule}\0${reason.template}`;
        let e = out.get(key);
        if (!e) out.set(key, (e = { rule: reason.rule, template: reason.template, subjects: [], verdict: r.verdict, hostPairs: 0, guests: [] }));
        for (const s of reason.subjects) if (!e.subjects.includes(s)) e.subjects.push(s);
        if (rank[r.verdict] > rank[e.verdict]) e.verdict = r.verdict;
        if (!e.guests.includes(g.name)) e.guests.push(g.name);
        // a host pair counts once per reason, however many guests meet it
        if (!seen.has(key)) seen.add(key), (e.hostPairs += weight);
      }
    });
  }
  // the reasons that stand in the way of the most host pairs first
  return [...out.values()].sort((p, q) => q.hostPairs - p.hostPairs || rank[q.verdict] - rank[p.verdict] || (p.rule < q.rule ? -1 : p.rule > q.rule ? 1 : 0));
}

/** The fleet as it is: its entries' hosts, named where the fleet names them (an entry is one). */
export const fleetHosts = (fleet: FleetModel): readonly FleetHosts[] => fleet.hosts;

/**
 * The fleet after some waves of a plan: `upgraded[i]` hosts of plan pool i run its target.
 * A plan upgrades hosts of a pool in fleet order, so the first ones listed are the upgraded ones.
 */
export function hostsAfter(fleet: FleetModel, plan: PlanReport, upgraded: readonly number[]): FleetHosts[] {
  const out: FleetHosts[] = [];
  const left = [...upgraded];
  for (const e of fleet.hosts) {
    const i = plan.pools.findIndex((p) => p.current === e.host && p.target === e.upgradeTo);
    const take = e.upgradeTo && i >= 0 ? Math.min(left[i]!, e.count) : 0;
    if (i >= 0) left[i]! -= take;
    if (take) out.push({ host: e.upgradeTo!, count: take, ...(e.nodes ? { nodes: e.nodes.slice(0, take) } : {}) });
    if (e.count - take) out.push({ host: e.host, count: e.count - take, ...(e.nodes ? { nodes: e.nodes.slice(take) } : {}) });
  }
  return out;
}

export function buildPools(fleet: FleetModel, guests: readonly GuestModel[], opts: { plan?: PlanReport; progress?: Progress; apart?: number } = {}): PoolsReport {
  const rel = new Relation(guests);
  // every profile first (current and targets): the relation is built once over them. Without a
  // plan, partition's poolGroups adds the current ones itself, in this same order (the fleet's)
  if (opts.plan)
    for (const e of fleet.hosts) {
      rel.add(e.host);
      if (e.upgradeTo) rel.add(e.upgradeTo);
    }
  const now = partition(fleetHosts(fleet), rel, { ...(opts.progress ? { progress: opts.progress } : {}), ...(opts.apart !== undefined ? { apart: opts.apart } : {}) });
  const plan = opts.plan;
  if (!plan) return { fleet: fleet.name, guests, ...now };
  const upgraded = plan.pools.map(() => 0);
  let before: PoolSet = now;
  let next = Math.max(0, ...now.pools.map((p) => p.id + (p.alone ? p.count : 1)));
  const waves = plan.waves.map((wave) => {
    upgraded[wave.pool - 1]! += wave.hosts;
    const prev = before;
    // the pools of each wave; the reasons between them are the report's own (none again per wave)
    const set = partition(hostsAfter(fleet, plan, upgraded), rel, {
      apart: 0,
      ids: (units) => {
        const r = stableIds(units, prev, next);
        next = r.next;
        return r.ids;
      },
    });
    before = set;
    return { wave, set };
  });
  return { fleet: fleet.name, guests, ...now, plan: { guest: plan.guest.name, waves, blocked: Boolean(plan.blocked) } };
}

/**
 * Ids that stay with the hosts across waves, so a label or trait changes only where hosts
 * changed pool: a pool takes the id of the earlier pool it shares the most hosts with (each
 * id once; ties to the larger pool, then the smaller id); the others, and hosts that are each
 * a pool by themselves, take ids never used before.
 */
export function stableIds(units: readonly Unit[], before: PoolSet, first: number): { ids: number[]; next: number } {
  const nodeId = new Map<string, number>();
  const unnamedAt = new Map<string, Map<number, number>>();
  for (const p of before.pools) {
    if (p.alone) continue;
    for (const g of p.groups)
      for (const m of g.members) {
        for (const n of m.nodes) nodeId.set(n, p.id);
        if (m.unnamed) {
          let at = unnamedAt.get(m.host.name);
          if (!at) unnamedAt.set(m.host.name, (at = new Map()));
          at.set(p.id, (at.get(p.id) ?? 0) + m.unnamed);
        }
      }
  }
  const overlaps: { unit: number; id: number; n: number }[] = [];
  units.forEach((u, k) => {
    if (u.alone) return;
    const shared = new Map<number, number>();
    for (const g of u.groups)
      for (const m of g.members) {
        for (const n of m.nodes) {
          const id = nodeId.get(n);
          if (id !== undefined) shared.set(id, (shared.get(id) ?? 0) + 1);
        }
        for (const [id, c] of unnamedAt.get(m.host.name) ?? []) if (m.unnamed) shared.set(id, (shared.get(id) ?? 0) + Math.min(c, m.unnamed));
      }
    for (const [id, n] of shared) overlaps.push({ unit: k, id, n });
  });
  overlaps.sort((a, b) => b.n - a.n || a.unit - b.unit || a.id - b.id);
  const ids: (number | undefined)[] = units.map(() => undefined);
  const used = new Set<number>();
  for (const o of overlaps)
    if (ids[o.unit] === undefined && !used.has(o.id)) {
      ids[o.unit] = o.id;
      used.add(o.id);
    }
  let next = first;
  const out = units.map((u, k) => {
    if (ids[k] !== undefined) return ids[k]!;
    const id = next;
    next += u.alone ? u.count : 1;
    return id;
  });
  return { ids: out, next };
}
