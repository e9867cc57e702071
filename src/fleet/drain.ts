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
  /** per pool, once asked: its clean relation and the clean destination hosts in other pools (and upgraded ones in its own) */
  private readonly cleanOf: (CleanTo | undefined)[];
  private readonly others: number[];

  constructor(
    private readonly pools: readonly DrainPool[],
    private readonly cleanFrom: (i: number) => CleanTo,
  ) {
    this.upgraded = pools.map(() => 0);
    this.cleanOf = pools.map(() => undefined);
    this.others = pools.map(() => 0);
  }

  /** The most hosts of pool i the next wave can drain. */
  size(i: number, headroom: number): number {
    let clean = this.cleanOf[i];
    if (!clean) {
      clean = this.cleanOf[i] = this.cleanFrom(i);
      let others = 0;
      for (let q = 0; q < this.pools.length; q++) others += this.share(i, q, clean);
      this.others[i] = others;
    }
    const remaining = this.pools[i]!.count - this.upgraded[i]!;
    return size(remaining > 0 && clean(i, 0), this.others[i]!, remaining, headroom);
  }

  /** k more hosts of pool q upgraded: every sum that counts q moves. */
  upgrade(q: number, k: number): void {
    for (let i = 0; i < this.pools.length; i++) {
      const clean = this.cleanOf[i];
      if (clean) this.others[i]! -= this.share(i, q, clean);
    }
    this.upgraded[q]! += k;
    for (let i = 0; i < this.pools.length; i++) {
      const clean = this.cleanOf[i];
      if (clean) this.others[i]! += this.share(i, q, clean);
    }
  }

  // pool q's part of pool i's sum: its running current hosts (not i's own) and its upgraded ones
  private share(i: number, q: number, clean: CleanTo): number {
    const p = this.pools[q]!;
    const current = p.count - this.upgraded[q]!;
    let n = q !== i && current > 0 && clean(q, 0) ? current : 0;
    if (p.target && this.upgraded[q]! > 0 && clean(q, 1)) n += this.upgraded[q]!;
    return n;
  }
}
