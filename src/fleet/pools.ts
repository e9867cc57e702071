// Migration pools: a partition of a fleet's hosts such that every ordered pair of hosts
// inside a pool migrates cleanly for every guest configuration asked about — what a
// scheduler can be told ("keep this guest's live migrations inside its pool").
//
// The clean relation is over distinct profiles (the matrix's grouping, signature()), asked
// through cleanRelation, so the cost grows with distinct profiles, not hosts. The partition
// takes the heaviest clique (most hosts) of the "clean both ways" graph first, then the
// heaviest of what is left, and so on: exact branch and bound while the whole partition stays
// within SEARCH_BUDGET steps, else the best of greedy cliques grown from the heaviest
// profiles (then pools whose union is still a clique are merged). Everything is ordered by
// names, so the pools do not depend on the order the fleet lists its hosts in.
import type { FleetModel, GuestModel, HostModel, Verdict } from '../model.js';
import { cleanRelation } from './clean-pairs.js';
import { judgedPair, type Reason } from './cell.js';
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

/** The clean relation over every profile a report may meet, asked lazily, all guests at once. */
export class Relation {
  readonly reps: HostModel[] = [];
  private readonly index = new Map<string, number>();
  private rel?: ((a: number, b: number) => boolean)[];
  constructor(readonly guests: readonly GuestModel[]) {}

  /** before the first clean(): every profile the report will ask about */
  add(h: HostModel): number {
    const sig = signature(h);
    let i = this.index.get(sig);
    if (i === undefined) {
      if (this.rel) throw new Error('Relation: profile added after the relation was built');
      this.index.set(sig, (i = this.reps.push(h) - 1));
    }
    return i;
  }

  clean(a: number, b: number): boolean {
    this.rel ??= this.guests.map((g) => cleanRelation(this.reps, g));
    return this.rel.every((r) => r(a, b));
  }
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const sortNames = (xs: string[]) => xs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Hosts grouped by signature, in name order (not the fleet's order). */
export function poolGroups(hosts: readonly FleetHosts[], rel: Relation): PoolGroup[] {
  const bySig = new Map<number, Map<HostModel, { nodes: string[]; unnamed: number }>>();
  for (const h of hosts) {
    if (h.count <= 0) continue;
    const u = rel.add(h.host);
    let g = bySig.get(u);
    if (!g) bySig.set(u, (g = new Map()));
    let m = g.get(h.host);
    if (!m) g.set(h.host, (m = { nodes: [], unnamed: 0 }));
    if (h.nodes) m.nodes.push(...h.nodes);
    m.unnamed += h.count - (h.nodes?.length ?? 0);
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

const has = (set: Uint32Array, q: number) => (set[q >>> 5]! & (1 << (q & 31))) !== 0;

/** The positions in `set`, ascending. */
function members(set: Uint32Array): number[] {
  const out: number[] = [];
  for (let k = 0; k < set.length; k++)
    for (let x = set[k]!; x !== 0; x &= x - 1) out.push((k << 5) + (31 - Math.clz32(x & -x)));
  return out;
}

/** The heaviest clique among the positions in `left`: exact within the budget, else greedy. */
function heaviestClique(left: Uint32Array, g: Graph, search: Search): number[] {
  const { w, W, adj } = g;
  const order = members(left);
  let best: number[] = [];
  let bestW = -1;
  for (const s of order.slice(0, GREEDY_SEEDS)) {
    const c = [s];
    let cw = w[s]!;
    // the positions adjacent to every member so far
    const common = adj.slice(s * W, (s + 1) * W);
    for (const v of order)
      if (v !== s && has(common, v)) {
        c.push(v);
        cw += w[v]!;
        for (let k = 0; k < W; k++) common[k]! &= adj[v * W + k]!;
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
    const list = members(cand);
    let rest = 0;
    for (const v of list) rest += w[v]!;
    const next = (sets[depth] ??= new Uint32Array(W));
    for (let i = 0; i < list.length && search.exact; i++) {
      // nothing left here can beat the best strictly (an equal one keeps the first found)
      if (cw + rest <= bestW) return;
      const v = list[i]!;
      // the candidates after v that are adjacent to it
      for (let k = 0; k < W; k++) next[k] = cand[k]! & adj[v * W + k]!;
      for (let k = 0; k < v >>> 5; k++) next[k] = 0;
      next[v >>> 5]! &= ~(0xffffffff >>> (31 - (v & 31)));
      c.push(v);
      expand(cw + w[v]!, next, depth + 1);
      c.pop();
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
  const clean = (a: number, b: number) => rel.clean(groups[a]!.u, groups[b]!.u);
  // identical hosts go together only when they migrate to each other cleanly
  const alone = groups.map((g, i) => g.count > 1 && !clean(i, i));
  const okMemo = new Int8Array(n * n).fill(-1);
  const ok = (a: number, b: number) => {
    const k = a < b ? a * n + b : b * n + a;
    if (okMemo[k] === -1) okMemo[k] = clean(a, b) && clean(b, a) ? 1 : 0;
    return okMemo[k] === 1;
  };
  const w = groups.map((g) => g.count);
  const { cliques, exact } = cliquePartition(groups.map((_, i) => i).filter((i) => !alone[i]), w, ok, SEARCH_BUDGET, progress);
  const units = [...cliques.map((c) => ({ gs: c.sort((a, b) => a - b), alone: false })), ...groups.flatMap((_, i) => (alone[i] ? [{ gs: [i], alone: true }] : []))];
  const size = (u: { gs: number[]; alone: boolean }) => (u.alone ? 1 : u.gs.reduce((s, i) => s + w[i]!, 0));
  // largest first; then by the first name (groups are in name order, so gs[0] holds it)
  units.sort((a, b) => size(b) - size(a) || a.gs[0]! - b.gs[0]!);
  const ordered = units.map((u) => ({ groups: u.gs.map((i) => groups[i]!), count: u.gs.reduce((s, i) => s + w[i]!, 0), alone: u.alone }));
  const id = ids(ordered);
  const pools: HostPool[] = ordered.map((u, k) => ({ id: id[k]!, count: u.count, groups: u.groups, ...(u.alone ? { alone: grouped([[units[k]!.gs[0]!, units[k]!.gs[0]!]], groups, rel) } : {}) }));
  const gi = new Map(groups.map((g, i) => [g, i]));
  const idx = pools.map((p) => p.groups.map((g) => gi.get(g)!));
  const drainsTo = (a: number, b: number) => idx[a]!.every((x) => idx[b]!.every((y) => clean(x, y)));
  const drains: Drain[] = [];
  const separations: Separation[] = [];
  for (let a = 0; a < pools.length; a++)
    for (let b = a + 1; b < pools.length; b++) {
      const ab = drainsTo(a, b);
      const ba = drainsTo(b, a);
      if (ab) drains.push({ from: pools[a]!.id, to: pools[b]!.id, both: ba });
      if (ba) drains.push({ from: pools[b]!.id, to: pools[a]!.id, both: ab });
      if ((ab && ba) || b >= apart) continue;
      const side = (from: number, to: number, drains: boolean): ApartSide => {
        if (drains) return { reasons: [], profilePairs: 0, assessed: 0 };
        const pairs = idx[from]!.flatMap((x) => idx[to]!.flatMap((y): [number, number][] => (clean(x, y) ? [] : [[x, y]])));
        // the heaviest pairs first (then by name order): the reasons most hosts meet
        const heavy = pairs.sort((p, q) => w[q[0]]! * w[q[1]]! - w[p[0]]! * w[p[1]]! || p[0] - q[0] || p[1] - q[1]).slice(0, APART_PAIRS);
        return { reasons: grouped(heavy, groups, rel), profilePairs: pairs.length, assessed: heavy.length };
      };
      separations.push({ a: pools[a]!.id, b: pools[b]!.id, ab: side(a, b, ab), ba: side(b, a, ba) });
    }
  drains.sort((x, y) => x.from - y.from || x.to - y.to);
  progress.done();
  return { hosts: groups.reduce((s, g) => s + g.count, 0), profiles: n, pools, drains, separations, exact, apart };
}

/**
 * The reasons of the group pairs that are not clean, grouped by rule and note (their
 * subjects merged, as the matrix groups them) and counted in ordered host pairs.
 */
function grouped(pairs: readonly (readonly [number, number])[], groups: readonly PoolGroup[], rel: Relation): GroupedReason[] {
  const out = new Map<string, { rule: string; template: string; subjects: string[]; verdict: Verdict; hostPairs: number; guests: string[] }>();
  const rank: Record<Verdict, number> = { clean: 0, unsafe: 1, fail: 2 };
  for (const [x, y] of pairs) {
    const a = groups[x]!;
    const b = groups[y]!;
    const weight = x === y ? a.count * (a.count - 1) : a.count * b.count;
    const seen = new Set<string>();
    for (const g of rel.guests) {
      const r = judgedPair(a.rep, b.rep, g);
      if (r.verdict === 'clean') continue;
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
    }
  }
  // the reasons that stand in the way of the most host pairs first
  return [...out.values()].sort((p, q) => q.hostPairs - p.hostPairs || rank[q.verdict] - rank[p.verdict] || (p.rule < q.rule ? -1 : p.rule > q.rule ? 1 : 0));
}

/** The fleet as it is: its entries' hosts, named where the fleet names them. */
export const fleetHosts = (fleet: FleetModel): FleetHosts[] => fleet.hosts.map((e) => ({ host: e.host, count: e.count, ...(e.nodes ? { nodes: e.nodes } : {}) }));

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
  // every profile first (current and, with a plan, targets): the relation is built once over them
  for (const e of fleet.hosts) {
    rel.add(e.host);
    if (opts.plan && e.upgradeTo) rel.add(e.upgradeTo);
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
