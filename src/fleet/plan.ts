// Rolling-upgrade plan: waves that drain some hosts of one pool (their guests migrate
// to running hosts where the migration is clean, within each host's headroom), upgrade
// them, and go on; whether each wave can still be rolled back live; and whether each
// of the fleet's guest configurations can follow the plan.
import type { Assessment, FleetModel, GuestModel, HostModel } from '../model.js';
import { judgePair, type PairJudgement } from '../solver/assess.js';
import type { Judged } from '../rules/rule.js';
import { rankOf, VERDICTS } from '../solver/rank.js';
import { judgedAssessment } from './cell.js';
import { VerdictGrid } from '../solver/verdict-grid.js';
import { buildBaseline } from './baseline.js';
import { fleetEntries, groupHosts } from './groups.js';
import { silent, type Progress } from './progress.js';
import { Drain, type CleanTo } from './drain.js';

/** The share of a host's guests each running host can take in during a wave, unless told. */
export const DEFAULT_HEADROOM = 0.25;

/** The guest configuration a plan runs unless told: the baseline over the fleet's current and target hosts. */
export function planGuest(fleet: FleetModel, base: GuestModel, progress?: Progress): GuestModel {
  return buildBaseline(groupHosts(fleetEntries(fleet, true)), base, { name: `${fleet.name}-upgrade`, ...(progress ? { progress } : {}) }).guest;
}

export interface Pool {
  /** 1-based fleet entry index */
  readonly id: number;
  readonly count: number;
  readonly current: HostModel;
  readonly target?: HostModel;
}

/** Hosts of one profile that take in guests during a wave. */
export interface Destination {
  readonly pool: number;
  readonly side: 'current' | 'target';
  readonly host: HostModel;
  /** running hosts of that profile outside the wave */
  readonly hosts: number;
}

export interface Rollback {
  readonly live: boolean;
  /** target -> current of this pool: what a rollback migration meets */
  readonly back: Assessment;
  /**
   * the same for a guest first defined on the upgraded hosts without the plan's pinned
   * machine type (it gets that QEMU's newest): set, once per pool, when that type is
   * what the current QEMU does not register
   */
  readonly definedOnTarget?: Assessment;
}

export interface Wave {
  readonly index: number;
  readonly pool: number;
  readonly hosts: number;
  readonly from: HostModel;
  readonly to: HostModel;
  readonly destinations: readonly Destination[];
  /** current -> target: guests moving onto the upgraded hosts */
  readonly onto: Assessment;
  readonly rollback: Rollback;
}

/** Why a pool's hosts cannot be drained: every running profile its guests could go to. */
export interface Blocked {
  readonly pool: number;
  readonly remaining: number;
  readonly options: readonly (Destination & { readonly assessment: Assessment })[];
}

export interface GuestFollow {
  readonly guest: GuestModel;
  /** first wave this guest configuration cannot follow, and the migration that stops it */
  readonly stopsAt?: { readonly wave: number; readonly assessment: Assessment };
}

export interface PlanReport {
  readonly fleet: string;
  readonly guest: GuestModel;
  readonly headroom: number;
  readonly pools: readonly Pool[];
  readonly waves: readonly Wave[];
  readonly blocked?: Blocked;
  /** the first wave after which rolling back needs a cold boot of guests */
  readonly pointOfNoReturn?: number;
  /** the first wave after which guests defined on its upgraded hosts without the pinned machine type cannot roll back (a QEMU downgrade) */
  readonly newGuestsNoReturn?: number;
  readonly fleetGuests: readonly GuestFollow[];
}

/** Entries with the same current and target profiles are one pool (inventories list hosts one by one). */
export function poolsOf(fleet: FleetModel): Pool[] {
  const byPair = new Map<HostModel, Map<HostModel | undefined, { count: number; current: HostModel; target?: HostModel }>>();
  const order: { count: number; current: HostModel; target?: HostModel }[] = [];
  for (const e of fleet.hosts) {
    let row = byPair.get(e.host);
    if (!row) byPair.set(e.host, (row = new Map()));
    const p = row.get(e.upgradeTo);
    if (p) p.count += e.count;
    else {
      const fresh = { count: e.count, current: e.host, ...(e.upgradeTo ? { target: e.upgradeTo } : {}) };
      row.set(e.upgradeTo, fresh);
      order.push(fresh);
    }
  }
  return order.map((p, i) => ({ id: i + 1, ...p }));
}

/** f(a, b, g) computed once per guest and host pair. */
function memo<V>(f: (a: HostModel, b: HostModel, g: GuestModel) => V) {
  const cache = new Map<GuestModel, Map<HostModel, Map<HostModel, V>>>();
  return (a: HostModel, b: HostModel, g: GuestModel): V => {
    let byA = cache.get(g);
    if (!byA) cache.set(g, (byA = new Map()));
    let row = byA.get(a);
    if (!row) byA.set(a, (row = new Map()));
    if (!row.has(b)) row.set(b, f(a, b, g));
    return row.get(b)!;
  };
}

/** Hosts running now, per pool and side (current profile, or upgraded to the target). */
function running(pools: readonly Pool[], upgraded: readonly number[]): Destination[] {
  const out: Destination[] = [];
  for (let q = 0; q < pools.length; q++) {
    const p = pools[q]!;
    const up = upgraded[q]!;
    if (p.count - up > 0) out.push({ pool: p.id, side: 'current', host: p.current, hosts: p.count - up });
    if (p.target && up > 0) out.push({ pool: p.id, side: 'target', host: p.target, hosts: up });
  }
  return out;
}

/**
 * A pair's judgement read from a verdict grid's tables (judgePair by construction:
 * test/property/verdict-grid.test.ts); its verdict from the lists, so a row no drain reads (an
 * upgraded profile's, for the rollback) is not filled for one pair.
 */
function gridJudgement(grid: VerdictGrid, i: number, j: number): PairJudgement {
  const lists: (readonly Judged[])[] = [];
  let rank = 0;
  for (let r = 0; r < grid.rules; r++) {
    const list = grid.findings(r, i, j);
    lists.push(list);
    rank = Math.max(rank, rankOf(list));
  }
  return { verdict: VERDICTS[rank]!, lists };
}

export function buildPlan(fleet: FleetModel, guest: GuestModel, opts: { headroom: number; progress?: Progress }): PlanReport {
  const progress = opts.progress ?? silent;
  const pools = poolsOf(fleet);
  // destination checks read one verdict grid per guest over the pools' profiles (no message worded)
  const profiles = [...new Set(pools.flatMap((p) => (p.target ? [p.current, p.target] : [p.current])))];
  const grids = new Map<GuestModel, { grid: VerdictGrid; current: Int32Array; target: Int32Array }>();
  const gridOf = (g: GuestModel) => {
    let x = grids.get(g);
    if (!x) {
      const grid = new VerdictGrid(profiles, g);
      const at = (h: HostModel | undefined) => (h ? grid.indexOf(h) : -1);
      grids.set(g, (x = { grid, current: Int32Array.from(pools, (p) => at(p.current)), target: Int32Array.from(pools, (p) => at(p.target)) }));
    }
    return x;
  };
  const cleanFrom = (i: number, g: GuestModel): CleanTo => {
    const { grid, current, target } = gridOf(g);
    const a = current[i]!;
    return (q, side) => grid.clean(a, (side ? target : current)[q]!);
  };
  // the assessments the report shows carry verdicts and reasons from the pair's judgement, their
  // findings worded only if read: from the guest's grid when there is one (every pair here is
  // among its hosts), else judged alone (the unpinned guest's rollback, once per pool)
  const judged = memo((a, b, g) => {
    const x = grids.get(g);
    return x ? gridJudgement(x.grid, x.grid.indexOf(a), x.grid.indexOf(b)) : judgePair(a, b, g);
  });
  const verdict = memo((a, b, g) => judgedAssessment(a, b, g, judged(a, b, g)));
  const typeFails = (a: HostModel, b: HostModel, g: GuestModel) => judged(a, b, g).lists.some((l) => l.some((f) => f.rule === 'machine-type' && f.severity === 'fail'));
  // a guest defined on an upgraded host without the plan's pin gets that QEMU's newest type
  const { machineType: pinned, ...rest } = guest;
  const unpinned: GuestModel | undefined = pinned && pinned !== 'virt' ? rest : undefined;
  gridOf(guest);
  const drain = new Drain(pools, (i) => cleanFrom(i, guest));
  const upgraded = drain.upgraded;
  const waves: Wave[] = [];
  let blocked: Blocked | undefined;
  // hosts still to upgrade, and the pools whose rollback already said what guests defined on the target meet
  let todo = pools.reduce((n, p) => n + (p.target ? p.count : 0), 0);
  const saidDefined = new Set<number>();
  progress.start('plan', todo);
  while (todo > 0) {
    let wave: Wave | undefined;
    for (let i = 0; i < pools.length; i++) {
      const p = pools[i]!;
      if (!p.target || upgraded[i] === p.count) continue;
      const k = drain.size(i, opts.headroom);
      if (k < 1) continue;
      // the running hosts pool i's guests migrate cleanly to, outside the wave
      const clean = drain.cleanRows(i);
      const destinations: Destination[] = [];
      for (let q = 0; q < pools.length; q++) {
        const d = pools[q]!;
        const up = upgraded[q]!;
        const now = d.count - up - (q === i ? k : 0);
        if (now > 0 && clean.current[q] === 1) destinations.push({ pool: d.id, side: 'current', host: d.current, hosts: now });
        if (d.target && up > 0 && clean.target[q] === 1) destinations.push({ pool: d.id, side: 'target', host: d.target, hosts: up });
      }
      const back = verdict(p.target, p.current, guest);
      const fresh = unpinned && verdict(p.target, p.current, unpinned);
      // said once per pool: the first wave whose upgraded hosts could define such guests
      const definedOnTarget = fresh && !saidDefined.has(p.id) && typeFails(p.target, p.current, unpinned) && !typeFails(p.target, p.current, guest) ? { definedOnTarget: fresh } : {};
      if ('definedOnTarget' in definedOnTarget) saidDefined.add(p.id);
      wave = { index: waves.length + 1, pool: p.id, hosts: k, from: p.current, to: p.target, destinations, onto: verdict(p.current, p.target, guest), rollback: { live: back.verdict === 'clean', back, ...definedOnTarget } };
      drain.upgrade(i, k);
      todo -= k;
      progress.tick(k);
      break;
    }
    if (!wave) {
      const i = pools.findIndex((p, j) => p.target && upgraded[j]! < p.count);
      const p = pools[i]!;
      blocked = {
        pool: p.id,
        remaining: p.count - upgraded[i]!,
        options: running(pools, upgraded).map((d) => ({ ...d, assessment: verdict(p.current, d.host, guest) })),
      };
      break;
    }
    waves.push(wave);
  }
  progress.done();
  // the plan's own configuration follows every wave by construction (each wave is the size its drain allowed)
  const fleetGuests = fleet.guests.map((g) => (g === guest ? { guest: g } : follow(g, pools, waves, opts.headroom, verdict, cleanFrom)));
  const pointOfNoReturn = waves.find((w) => !w.rollback.live)?.index;
  const newGuestsNoReturn = waves.find((w) => w.rollback.definedOnTarget)?.index;
  return {
    fleet: fleet.name,
    guest,
    headroom: opts.headroom,
    pools,
    waves,
    ...(blocked ? { blocked } : {}),
    ...(pointOfNoReturn ? { pointOfNoReturn } : {}),
    ...(newGuestsNoReturn ? { newGuestsNoReturn } : {}),
    fleetGuests,
  };
}

/** Replays the waves for another guest configuration: the first wave it cannot follow. */
function follow(
  g: GuestModel,
  pools: readonly Pool[],
  waves: readonly Wave[],
  headroom: number,
  verdict: (a: HostModel, b: HostModel, g: GuestModel) => Assessment,
  cleanFrom: (i: number, g: GuestModel) => CleanTo,
): GuestFollow {
  const drain = new Drain(pools, (i) => cleanFrom(i, g));
  for (const w of waves) {
    const i = w.pool - 1;
    const k = drain.size(i, headroom);
    if (k < w.hosts) {
      // the migration the plan's guest relies on most that this one cannot make
      let main: Assessment | undefined;
      for (const d of [...w.destinations].sort((a, b) => b.hosts - a.hosts)) if ((main = verdict(w.from, d.host, g)).verdict !== 'clean') break;
      if (main?.verdict === 'clean') main = undefined;
      return { guest: g, stopsAt: { wave: w.index, assessment: main ?? verdict(w.from, w.from, g) } };
    }
    drain.upgrade(i, w.hosts);
  }
  return { guest: g };
}
