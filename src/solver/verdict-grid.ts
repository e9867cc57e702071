// The verdicts of every ordered pair among a set of hosts under one guest configuration:
// what the fleet reports (matrix, plan, pools, the fence's clean relation) are made of.
//
// judgePair per pair asks every rule's memo (src/rules/rule.ts) for every pair, finding VM
// states and side ids again each time. Here each host's VM states and every rule's side ids
// are found once; each rule's findings are tabulated per distinct (source id, destination id)
// combination the grid meets (a few hundred for 200 profiles), through the rule's own
// judgeIds; and a pair's verdict is the worst of its rules' entries — a byte per pair, no
// object. Findings (per rule lists, the rules' memoised ones) are read only for the pairs a
// report shows. This is judgePair(hosts[i], hosts[j], guest) by construction (the same states,
// ids, `none` test and memo); written for speed, so test/property/verdict-grid.test.ts holds
// its verdicts, lists and reasons to assess() pair by pair on random fleets.
import type { GuestModel, HostModel, Verdict } from '../model.js';
import { rules } from '../rules/index.js';
import type { Judged, KeyPart, PairContext } from '../rules/rule.js';
import { withSourceMachineType } from './machine-state.js';
import { rankOf, VERDICTS } from './rank.js';
import { vmState, type VmState } from './vm-state.js';

const UNKNOWN = 255;
const NO_FINDINGS: readonly Judged[] = Object.freeze([]);

/** whether two states of one host have the same parts a key reads (the same objects, guest fields the same values) */
function sameParts(a: VmState, b: VmState, reads: readonly KeyPart[], machine: boolean): boolean {
  if (!machine) {
    a = a.base ?? a;
    b = b.base ?? b;
  }
  if (a === b) return true;
  for (let k = 0; k < reads.length; k++) {
    const part = reads[k]!;
    if (part.startsWith('guest.')) {
      const f = part.slice(6) as keyof GuestModel;
      if (a.endpoint.guest[f] !== b.endpoint.guest[f]) return false;
    } else if (a[part as keyof VmState] !== b[part as keyof VmState]) return false;
  }
  return true;
}

/** Numbers 0, 1, … for the distinct values of xs, in order of first appearance. */
function local(xs: Int32Array): { idx: Int32Array; size: number } {
  const seen = new Map<number, number>();
  const idx = new Int32Array(xs.length);
  for (let k = 0; k < xs.length; k++) {
    let v = seen.get(xs[k]!);
    if (v === undefined) seen.set(xs[k]!, (v = seen.size));
    idx[k] = v;
  }
  return { idx, size: seen.size };
}

// The grids' inner loops over a row are small functions of their own: V8 optimises a small
// function within a few rows, while a big method's loop runs in the interpreter until its
// optimised code (tens of milliseconds to compile on the other core) arrives.

// Rows and destination numbers are read at offsets into the grid's arrays, not as subarrays: a
// view per row and rule was ~5 MB of garbage in a 10k-host plan's baseline search.

/**
 * A rule's entries into a row of worst-so-far ranks (ranks[p0 + j]; destination numbers
 * lB[b0 + j]) from column j on, up to the first column the caller must judge itself (an entry
 * not met yet, or one that a `none` test must see); returns that column, or n. Columns that
 * fail already are skipped.
 */
function worstOf(ranks: Uint8Array, p0: number, lB: Int32Array, b0: number, table: Int8Array, base: number, j: number, n: number, hasNone: boolean): number {
  for (; j < n; j++) {
    const v = ranks[p0 + j]!;
    if (v === 2) continue;
    const s = table[base + lB[b0 + j]!]!;
    if (s < 0 || (s > 0 && hasNone)) return j;
    if (s > v) ranks[p0 + j] = s;
  }
  return n;
}

/**
 * The pairs of row i (cells p0 + j, ranks[p0 + j]; destination numbers lB[b0 + j]) that a rule's
 * entries decide, tallied per entry from column j on (counts, the first pair, the first `max`
 * pairs), up to the first column the caller must see itself: an entry not met yet, or a
 * deciding one when a `none` test must see it. Returns that column, or n.
 */
function tallyRow(ranks: Uint8Array, p0: number, lB: Int32Array, b0: number, table: Int8Array, base: number, j: number, n: number, hasNone: boolean, tally: Tally, max: number): number {
  for (; j < n; j++) {
    const rank = ranks[p0 + j]!;
    if (rank === 0) continue;
    const k = base + lB[b0 + j]!;
    const t = table[k]!;
    if (t !== rank) {
      if (t < 0) return j;
      continue;
    }
    if (hasNone) return j;
    tallyPair(tally, k, p0 + j, max);
  }
  return n;
}

/** Ordered pairs per verdict, weighted (VerdictGrid.weightedTally). */
export interface WeightedTally {
  readonly clean: number;
  readonly unsafe: number;
  readonly fail: number;
}
const RULE_ORDER: readonly number[] = rules.map((_, r) => r);

// whether the weight of pairs still clean reaches `below`: weights are counts (never negative),
// so the sum can stop there (a setting that keeps most pairs clean is known early)
function cleanReaches(ranks: Uint8Array, weights: Float64Array, below: number): boolean {
  let w = 0;
  for (let p = 0; p < ranks.length; p++) if (ranks[p] === 0 && (w += weights[p]!) >= below) return true;
  return w >= below;
}

/** Per table entry of one rule: the pairs it decides (count), the first, the first `max`. */
interface Tally {
  readonly counts: Int32Array;
  readonly firsts: Int32Array;
  readonly cells: (number[] | undefined)[];
}
function tallyPair(t: Tally, k: number, p: number, max: number): void {
  const c = t.counts[k]!;
  t.counts[k] = c + 1;
  if (c === 0) t.firsts[k] = p;
  if (c < max) (t.cells[k] ??= []).push(p);
}

/** An entry code (decidingCodes) with the pairs it decides (VerdictGrid.decidingEntries). */
export interface DecidingEntry {
  readonly code: number;
  /** the verdict it decides: 1 unsafe, 2 fail */
  readonly rank: number;
  /** the first pair it decides, i * n + j */
  readonly first: number;
  readonly cells: number[];
  count: number;
}

export class VerdictGrid {
  readonly n: number;
  /** ranks[i * n + j]: 0 clean, 1 unsafe, 2 fail; UNKNOWN until asked */
  private readonly ranks: Uint8Array;
  /** per host, its VM state as a source (the guest as defined there) */
  private readonly src: VmState[];
  /** per host, the class of its guest as defined there (one per filled-in machine type) */
  private readonly cls: Int32Array;
  /** per class, every host's VM state as a destination */
  private readonly dst: VmState[][];
  /** [r * n + i]: rule r's side id of host i as a source (the rule's own number), and its local number */
  private readonly gA: Int32Array;
  private readonly lA: Int32Array;
  /** [(c * R + r) * n + j]: the same for host j as a destination of class c */
  private readonly gB: Int32Array;
  private readonly lB: Int32Array;
  /** per rule: local destination numbers, the row width of its table */
  private readonly width: Int32Array;
  /** per rule, [local source * width + local destination]: the rank of its findings, -1 until met */
  private readonly sev: Int8Array[];
  private readonly lists: (readonly Judged[] | undefined)[][];
  /** the number of guest classes (dst) */
  private readonly classes: number;
  private readonly scratch: { src: VmState; dst: VmState };
  private index?: Map<HostModel, number>;
  /** the rules whose ids and table came from a peer (test/property/verdict-grid.test.ts asks) */
  readonly adopted: number[] = [];
  /** per rule: its memo's `none` test (read once, not per pair) */
  private readonly noneOf: (((ctx: PairContext) => boolean) | undefined)[];

  /**
   * `peers`: grids over the same hosts (the same array) that a rule's ids and table may be taken
   * from where this grid's states have the same parts the rule's keys read (RuleKey.reads): the
   * baseline search's guests differ in one setting, which most rules do not read.
   */
  constructor(
    readonly hosts: readonly HostModel[],
    readonly guest: GuestModel,
    private readonly peers: readonly VerdictGrid[] = [],
  ) {
    const n = (this.n = hosts.length);
    const R = rules.length;
    this.ranks = new Uint8Array(n * n).fill(UNKNOWN);
    const guests: GuestModel[] = [];
    this.cls = new Int32Array(n);
    this.src = hosts.map((h, i) => {
      const g = withSourceMachineType(guest, h);
      let c = guests.indexOf(g);
      if (c < 0) c = guests.push(g) - 1;
      this.cls[i] = c;
      return vmState({ host: h, guest: g });
    });
    this.dst = guests.map((g) => hosts.map((h) => vmState({ host: h, guest: g })));
    const C = (this.classes = guests.length);
    this.gA = new Int32Array(R * n);
    this.lA = new Int32Array(R * n);
    this.gB = new Int32Array(C * R * n);
    this.lB = new Int32Array(C * R * n);
    this.width = new Int32Array(R);
    this.sev = new Array<Int8Array>(R);
    this.lists = Array.from({ length: R }, () => []);
    this.scratch = { src: this.src[0]!, dst: this.src[0]! };
    this.noneOf = rules.map((r) => r.memo?.none);
  }

  // A rule's side ids and table, made when the grid first reads the rule: a bounded tally
  // (weightedTally) may stop after a few rules.
  private ready(r: number): void {
    if (this.sev[r] || this.adopt(r)) return;
    const n = this.n;
    const R = rules.length;
    const C = this.classes;
    const rule = rules[r]!;
    const a = this.gA.subarray(r * n, (r + 1) * n);
    // a rule without a key is judged afresh for every pair: its entries are the hosts themselves;
    // keyId, not sideId: the grid keeps the numbers, and sideId's per-state cache (a WeakMap entry
    // per rule and state, for states the baseline search meets once) cost more than most keys
    const keyed = rule.memo !== undefined;
    for (let i = 0; i < n; i++) a[i] = keyed ? rule.keyId(0, this.src[i]!) : i;
    const la = local(a);
    this.lA.set(la.idx, r * n);
    // a rule whose keys do not read the machine type has one destination id per host, whatever the class
    const b = new Int32Array(C * n);
    for (let c = 0; c < C; c++)
      for (let j = 0; j < n; j++) b[c * n + j] = !keyed ? c * n + j : c > 0 && !rule.memo?.machine ? b[j]! : rule.keyId(1, this.dst[c]![j]!);
    const lb = local(b);
    for (let c = 0; c < C; c++) {
      this.gB.set(b.subarray(c * n, (c + 1) * n), (c * R + r) * n);
      this.lB.set(lb.idx.subarray(c * n, (c + 1) * n), (c * R + r) * n);
    }
    this.width[r] = lb.size;
    this.sev[r] = new Int8Array(la.size * lb.size).fill(-1);
  }

  /** Rule r's ids and table from a peer whose states share the parts its keys read; false if none does. */
  private adopt(r: number): boolean {
    const memo = rules[r]!.memo;
    if (!memo) return false;
    const p = this.peers.find((p) => p !== this && p.hosts === this.hosts && p.sev[r] !== undefined && this.sameKeys(p, memo.reads, memo.machine));
    if (!p) return false;
    const n = this.n;
    const R = rules.length;
    this.gA.set(p.gA.subarray(r * n, (r + 1) * n), r * n);
    this.lA.set(p.lA.subarray(r * n, (r + 1) * n), r * n);
    for (let c = 0; c < this.classes; c++) {
      const at = (c * R + r) * n;
      this.gB.set(p.gB.subarray(at, at + n), at);
      this.lB.set(p.lB.subarray(at, at + n), at);
    }
    this.width[r] = p.width[r]!;
    // shared, not copied: an entry either grid judges is the same for both (a function of the ids)
    this.sev[r] = p.sev[r]!;
    this.lists[r] = p.lists[r]!;
    this.adopted.push(r);
    return true;
  }

  /** whether every state of this grid has the parts `reads` of p's state in its place (the states the keys read: machine, or their base) */
  private sameKeys(p: VerdictGrid, reads: readonly KeyPart[], machine: boolean): boolean {
    if (p.classes !== this.classes) return false;
    for (let i = 0; i < this.n; i++) if (p.cls[i] !== this.cls[i] || !sameParts(this.src[i]!, p.src[i]!, reads, machine)) return false;
    // a key without the machine type reads each class's base state: class 0's
    for (let c = 0; c < (machine ? this.classes : 1); c++) for (let j = 0; j < this.n; j++) if (!sameParts(this.dst[c]![j]!, p.dst[c]![j]!, reads, machine)) return false;
    return true;
  }

  /** i -> j as the rules see it. */
  context(i: number, j: number): PairContext {
    return { src: this.src[i]!, dst: this.dst[this.cls[i]!]![j]! };
  }

  /** the number of rules (findings(r, …) for r below it, in rule order) */
  readonly rules = rules.length;

  /** Rule r's findings for i -> j (shared, never to be changed). */
  findings(r: number, i: number, j: number): readonly Judged[] {
    this.ready(r);
    const rule = rules[r]!;
    const c = this.cls[i]!;
    const n = this.n;
    const none = this.noneOf[r];
    if (none) {
      const s = this.scratch;
      s.src = this.src[i]!;
      s.dst = this.dst[c]![j]!;
      if (none(s)) return NO_FINDINGS;
    }
    const at = (c * rules.length + r) * n + j;
    const k = this.lA[r * n + i]! * this.width[r]! + this.lB[at]!;
    let list = this.lists[r]![k];
    if (!list) {
      list = this.lists[r]![k] = rule.judgeIds(this.context(i, j), this.gA[r * n + i]!, this.gB[at]!);
      this.sev[r]![k] = rankOf(list);
    }
    return list;
  }

  /** 0 clean, 1 unsafe, 2 fail. */
  rank(i: number, j: number): number {
    const p = i * this.n + j;
    if (this.ranks[p] === UNKNOWN) this.fillRow(i);
    return this.ranks[p]!;
  }

  // A source's whole row at once, rule by rule (a tight loop over typed arrays); a pair that
  // already fails is not judged by the rules after (its findings are tabulated if a report reads them).
  private fillRow(i: number): void {
    const n = this.n;
    this.ranks.fill(0, i * n, (i + 1) * n);
    for (let r = 0; r < rules.length; r++) this.applyRule(r, i);
  }

  /** Rule r's ranks over row i's worst-so-far ranks (its table entries judged as they are met). */
  private applyRule(r: number, i: number): void {
    this.ready(r);
    const n = this.n;
    const R = rules.length;
    const c = this.cls[i]!;
    const table = this.sev[r]!;
    const base = this.lA[r * n + i]! * this.width[r]!;
    const ranks = this.ranks;
    const p0 = i * n;
    const lB = this.lB;
    const b0 = (c * R + r) * n;
    const none = this.noneOf[r];
    const ctx = this.scratch;
    for (let j = 0; (j = worstOf(ranks, p0, lB, b0, table, base, j, n, none !== undefined)) < n; j++) {
      let s = table[base + lB[b0 + j]!]!;
      if (s < 0) s = rankOf(this.findings(r, i, j));
      else {
        ctx.src = this.src[i]!;
        ctx.dst = this.dst[c]![j]!;
        if (none!(ctx)) s = 0;
      }
      if (s > ranks[p0 + j]!) ranks[p0 + j] = s;
    }
  }

  /**
   * Every pair's verdict, weighted (weights[i * n + j]), rule by rule in `order`; `{ sunkBy: r }`
   * as soon as the weight of pairs still clean is below `below` after rule r (a rule only makes a
   * pair worse, so the final clean weight would be too): the baseline search drops a candidate
   * setting after the rule that sinks it (a PSCI pin most kernels refuse, after psci-version)
   * without the rest. What fillRow gives row by row (the same rules over the same worst-so-far
   * ranks, in any order), by construction; test/property/verdict-grid.test.ts holds the two
   * together, in random orders, and the bound to the tally.
   */
  weightedTally(weights: Float64Array, below = -Infinity, order: readonly number[] = RULE_ORDER): WeightedTally | { readonly sunkBy: number } {
    const n = this.n;
    const ranks = this.ranks.fill(0);
    for (const r of order) {
      for (let i = 0; i < n; i++) this.applyRule(r, i);
      if (below > -Infinity && !cleanReaches(ranks, weights, below)) {
        ranks.fill(UNKNOWN);
        return { sunkBy: r };
      }
    }
    return this.weighted(weights);
  }

  /** Every pair's verdict, weighted (weights[i * n + j]): ordered host pairs per verdict, for groups' weights. */
  weighted(weights: Float64Array): WeightedTally {
    const n = this.n;
    const by = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      this.rank(i, 0);
      for (let p = i * n; p < (i + 1) * n; p++) by[this.ranks[p]!]! += weights[p]!;
    }
    return { clean: by[0]!, unsafe: by[1]!, fail: by[2]! };
  }

  /**
   * The entries of the rules that decide i -> j's verdict (those whose worst finding is at its
   * severity: the only ones with findings at it), in rule order, into `out` (emptied first): rule
   * r's table entry k as the code k * rules + r. Pairs that meet the same entry share its list
   * (listOf), so reports word an entry once, not once per pair.
   */
  decidingCodes(i: number, j: number, out: number[]): number[] {
    out.length = 0;
    const rank = this.rank(i, j);
    if (rank === 0) return out;
    const n = this.n;
    const R = rules.length;
    const c = this.cls[i]!;
    for (let r = 0; r < R; r++) {
      const none = this.noneOf[r];
      if (none) {
        const s = this.scratch;
        s.src = this.src[i]!;
        s.dst = this.dst[c]![j]!;
        if (none(s)) continue;
      }
      const table = this.sev[r]!;
      const k = this.lA[r * n + i]! * this.width[r]! + this.lB[(c * R + r) * n + j]!;
      // an entry fillRow skipped (its row had failed already) is judged now
      if (table[k]! < 0) this.findings(r, i, j);
      if (table[k] === rank) out.push(k * R + r);
    }
    return out;
  }

  /**
   * Every entry that decides a pair that is not clean, with the pairs it decides: what
   * decidingCodes gives pair by pair, tallied per entry in one pass (rows in order, a row rule
   * by rule), so a report need not visit each pair's rules again. Entries come in the order
   * pair-by-pair reading first meets them (first pair, then rule); `cells` (pairs i * n + j, in
   * row-major order) holds the first `max`, `count` all. test/property/verdict-grid.test.ts holds
   * it, through gridReasonCells, to the cells' own reasons.
   */
  decidingEntries(max = Infinity): DecidingEntry[] {
    const n = this.n;
    const R = rules.length;
    // per rule, per table entry (tallyRow: the hot loop, a small function of its own)
    for (let r = 0; r < R; r++) this.ready(r);
    const tallies: Tally[] = this.sev.map((t) => ({ counts: new Int32Array(t.length), firsts: new Int32Array(t.length), cells: [] }));
    const s = this.scratch;
    for (let i = 0; i < n; i++) {
      this.rank(i, 0);
      const ranks = this.ranks;
      const p0 = i * n;
      const c = this.cls[i]!;
      for (let r = 0; r < R; r++) {
        const table = this.sev[r]!;
        const tally = tallies[r]!;
        const base = this.lA[r * n + i]! * this.width[r]!;
        const lB = this.lB;
        const b0 = (c * R + r) * n;
        const none = this.noneOf[r];
        for (let j = 0; (j = tallyRow(ranks, p0, lB, b0, table, base, j, n, none !== undefined, tally, max)) < n; j++) {
          const k = base + lB[b0 + j]!;
          // an entry fillRow skipped (its row had failed already) is judged now; one that the
          // `none` test passes over is left unfilled, as findings() leaves it
          if (table[k]! < 0) this.findings(r, i, j);
          if (table[k] !== ranks[p0 + j]) continue;
          if (none) {
            s.src = this.src[i]!;
            s.dst = this.dst[c]![j]!;
            if (none(s)) continue;
          }
          tallyPair(tally, k, i * n + j, max);
        }
      }
    }
    const out: DecidingEntry[] = [];
    for (let r = 0; r < R; r++) {
      const { counts, firsts, cells } = tallies[r]!;
      const table = this.sev[r]!;
      for (let k = 0; k < counts.length; k++) if (counts[k]) out.push({ code: k * R + r, rank: table[k]!, first: firsts[k]!, cells: cells[k] ?? [], count: counts[k]! });
    }
    // a pair meets one entry per rule: (first pair, rule) orders them all
    return out.sort((a, b) => a.first - b.first || (a.code % R) - (b.code % R));
  }

  /** The findings of an entry code (decidingCodes); shared, never to be changed. */
  listOf(code: number): readonly Judged[] {
    const R = rules.length;
    return this.lists[code % R]![Math.floor(code / R)]!;
  }

  verdict(i: number, j: number): Verdict {
    return VERDICTS[this.rank(i, j)]!;
  }

  clean(i: number, j: number): boolean {
    return this.rank(i, j) === 0;
  }

  /** The number of a host given to the grid. */
  indexOf(h: HostModel): number {
    if (!this.index) {
      this.index = new Map();
      this.hosts.forEach((x, i) => this.index!.has(x) || this.index!.set(x, i));
    }
    const i = this.index.get(h);
    if (i === undefined) throw new Error(`VerdictGrid: ${h.name} is not one of its hosts`);
    return i;
  }
}
