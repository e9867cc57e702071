// How many hosts of a pool one wave of a plan may drain (src/fleet/plan.ts): k <= headroom ×
// (the clean destination hosts outside the wave). Counted afresh, that is a sum over every pool,
// for every pool a wave considers: pools² clean reads per wave, ~10^7 for 200 pools and 260
// waves. Drain keeps each pool's sum and moves it by the one pool a wave upgrades (a read per
// pool per wave); written for speed, so test/property/drain.test.ts holds it to waveSizeOf, the
// sum itself, on random pools, relations and waves.

/** Whether pool i's current hosts migrate cleanly to pool q's current (side 0) or upgraded (side 1) hosts. */
export type CleanTo = (q: number, side: 0 | 1) => boolean;

export interface DrainPool {
  readonly count: number;
  readonly target?: unknown;
}

const EPS = 1e-9;

// own-pool hosts outside the wave count too: k <= h (others + remaining - k)
function size(own: boolean, others: number, remaining: number, headroom: number): number {
  const k = own ? Math.floor((headroom * (others + remaining)) / (1 + headroom) + EPS) : Math.floor(headroom * others + EPS);
  return Math.min(k, remaining);
}

/** The wave size of pool i, counted from scratch: what Drain.size keeps. */
export function waveSizeOf(i: number, pools: readonly DrainPool[], upgraded: readonly number[], headroom: number, clean: CleanTo): number {
  let own = false;
  let others = 0;
  for (let q = 0; q < pools.length; q++) {
    const current = pools[q]!.count - upgraded[q]!;
    if (current > 0 && clean(q, 0)) {
      if (q === i) own = true;
      else others += current;
    }
    if (pools[q]!.target && upgraded[q]! > 0 && clean(q, 1)) others += upgraded[q]!;
  }
  return size(own, others, pools[i]!.count - upgraded[i]!, headroom);
}

export class Drain {
  /** per pool, its hosts upgraded so far */
  readonly upgraded: number[];
  /** per pool, once asked: whether its hosts migrate cleanly to each pool's current and upgraded hosts (read once, not per wave) */
  private readonly toCurrent: (Uint8Array | undefined)[];
  private readonly toTarget: (Uint8Array | undefined)[];
  /** the pools asked so far, and per pool the clean destination hosts in other pools (and upgraded ones in its own) */
  private readonly asked: number[] = [];
  private readonly others: number[];

  constructor(
    private readonly pools: readonly DrainPool[],
    private readonly cleanFrom: (i: number) => CleanTo,
  ) {
    this.upgraded = pools.map(() => 0);
    this.toCurrent = pools.map(() => undefined);
    this.toTarget = pools.map(() => undefined);
    this.others = pools.map(() => 0);
  }

  /** The most hosts of pool i the next wave can drain. */
  size(i: number, headroom: number): number {
    let current = this.toCurrent[i];
    if (!current) {
      const clean = this.cleanFrom(i);
      const n = this.pools.length;
      current = this.toCurrent[i] = new Uint8Array(n);
      const target = (this.toTarget[i] = new Uint8Array(n));
      for (let q = 0; q < n; q++) {
        current[q] = clean(q, 0) ? 1 : 0;
        target[q] = this.pools[q]!.target && clean(q, 1) ? 1 : 0;
      }
      let others = 0;
      for (let q = 0; q < n; q++) others += this.share(i, q);
      this.others[i] = others;
      this.asked.push(i);
    }
    const remaining = this.pools[i]!.count - this.upgraded[i]!;
    return size(remaining > 0 && current[i] === 1, this.others[i]!, remaining, headroom);
  }

  /** k more hosts of pool q upgraded: every sum that counts q moves. */
  upgrade(q: number, k: number): void {
    const asked = this.asked;
    for (let a = 0; a < asked.length; a++) this.others[asked[a]!]! -= this.share(asked[a]!, q);
    this.upgraded[q]! += k;
    for (let a = 0; a < asked.length; a++) this.others[asked[a]!]! += this.share(asked[a]!, q);
  }

  /** Pool i's relation as read once (size(i) asked first): [q] 1 where its hosts migrate cleanly to pool q's current, and upgraded, hosts. */
  cleanRows(i: number): { readonly current: Uint8Array; readonly target: Uint8Array } {
    const current = this.toCurrent[i];
    if (!current) throw new Error(`Drain: pool ${i} was not asked its size`);
    return { current, target: this.toTarget[i]! };
  }

  // pool q's part of pool i's sum: its running current hosts (not i's own) and its upgraded ones
  private share(i: number, q: number): number {
    const up = this.upgraded[q]!;
    const current = this.pools[q]!.count - up;
    let n = q !== i && current > 0 && this.toCurrent[i]![q] === 1 ? current : 0;
    if (up > 0 && this.toTarget[i]![q] === 1) n += up;
    return n;
  }
}
