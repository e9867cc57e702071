// The guest configuration that makes the most host pairs migrate cleanly: a search over
// what a guest can be told at first boot (PSCI pin, hypercall bitmaps, stolen time,
// target CPUs, the machine type it is defined with, the vCPU features the VMM turns off), scored on ordered
// host pairs weighted by host counts.
import type { CpuIdentity, GuestCpu, GuestModel, HostModel } from '../model.js';
import { idState } from '../solver/id-state.js';
import { registerInfo } from '../kb/registers.js';
import { commonMachineType } from '../kb/vmms.js';
import { psciCode } from '../solver/vm-state.js';
import { rules } from '../rules/index.js';
import { VerdictGrid } from '../solver/verdict-grid.js';
import { cellGrid, type Tally } from './matrix.js';
import type { Cell } from './cell.js';
import { modelJson, pairWeights, type HostGroup } from './groups.js';
import { rankOf } from '../solver/rank.js';
import { silent, type Progress } from './progress.js';

/** The settings a baseline may choose; `undefined` leaves the host default. */
export interface GuestSettings {
  readonly psciVersion: string | undefined;
  readonly hypercallBitmaps: Readonly<Record<string, readonly string[]>> | undefined;
  readonly stolenTime: boolean | 'auto';
  readonly targetCpus: readonly CpuIdentity[] | undefined;
  /** undefined: each guest gets the type of the QEMU it is defined on */
  readonly machineType: string | undefined;
  /** vCPU features turned off for every host (QEMU -cpu host,pauth=off,sve=off) */
  readonly cpu: GuestCpu | undefined;
}
type Field = keyof GuestSettings;
const FIELDS: readonly Field[] = ['psciVersion', 'hypercallBitmaps', 'stolenTime', 'targetCpus', 'machineType', 'cpu'];

export interface Choice {
  readonly field: Field;
  /** what the field contributes: the tally with only this field left at the base value */
  readonly without: Tally;
}

export interface BaselineReport {
  readonly fleet?: string;
  readonly groups: readonly HostGroup[];
  readonly base: GuestModel;
  readonly guest: GuestModel;
  readonly method: 'exhaustive' | 'coordinate';
  readonly searched: number;
  readonly before: Tally;
  readonly after: Tally;
  readonly choices: readonly Choice[];
  /** cells[i][j] under the baseline */
  readonly cells: readonly (readonly Cell[])[];
  /** host pairs failing on the machine type with the chosen type and with the starting one (when a pin was tried) */
  readonly machineTypeFails?: { readonly chosen: number; readonly start: number };
}

/** Above this many pair assessments the search goes one field at a time. */
export const EXHAUSTIVE_BUDGET = 200_000;
const BITMAPS = ['STD_BMAP', 'STD_HYP_BMAP', 'VENDOR_HYP_BMAP'];

const uniqueCpus = (hosts: readonly HostModel[]): CpuIdentity[] => {
  const seen = new Map<string, CpuIdentity>();
  for (const { cpu } of hosts) {
    const key = `${cpu.midr}:${cpu.revidr}:${cpu.aidr}`;
    if (!seen.has(key)) seen.set(key, { midr: cpu.midr, revidr: cpu.revidr, aidr: cpu.aidr });
  }
  return [...seen.values()].sort((a, b) => a.midr - b.midr || (a.revidr < b.revidr ? -1 : a.revidr > b.revidr ? 1 : 0));
};

/** Values worth trying per field, the base guest's own value first (ties keep it). */
export function candidates(hosts: readonly HostModel[], base: GuestSettings): { [F in Field]: GuestSettings[F][] } {
  const versions = [...new Set(hosts.flatMap((h) => h.kernel.psci.versions))].sort((a, b) => psciCode(a) - psciCode(b));
  const common = Object.fromEntries(
    BITMAPS.map((reg) => [reg, (registerInfo(reg)?.bits ?? []).filter((b) => hosts.every((h) => h.kernel.services.includes(b)))]),
  );
  const anyBitmap = hosts.some((h) => h.kernel.registers.some((r) => BITMAPS.includes(r.name)));
  const cpus = uniqueCpus(hosts);
  const pin = commonMachineType(hosts.map((h) => h.vmm));
  // a vCPU feature that hosts offering it do not all turn on (PAuth before and after QEMU 7.0) is worth turning off
  const split = (f: 'pauth' | 'sve') => {
    const on = hosts.map((h) => idState({ host: h, guest: { name: 'default', stolenTime: 'auto' } })).filter((s) => s.offered[f]).map((s) => s.vcpu[f]);
    return on.includes(true) && on.includes(false);
  };
  const offs: GuestCpu[] = [...(split('pauth') ? [{ pauth: false }] : []), ...(split('sve') ? [{ sve: false }] : [])];
  if (offs.length === 2) offs.push({ pauth: false, sve: false });
  // hosts whose KVM offers different SVE lengths: the largest set every one of them offers
  const sveSets = hosts.map((h) => idState({ host: h, guest: { name: 'default', stolenTime: 'auto' } }).sve?.host).filter((l): l is readonly number[] => l !== undefined);
  const commonSve = sveSets.length ? sveSets.reduce((a, b) => a.filter((l) => b.includes(l))) : [];
  if (commonSve.length && sveSets.some((l) => l.length !== commonSve.length)) {
    for (const o of [...offs.filter((o) => o.sve !== false), {}]) offs.push({ ...o, sveVectorLengths: commonSve });
  }
  // each value once (the bitmaps every host implements may be none: the all-empty selection)
  const withBase = <T>(b: T, xs: T[]) => {
    const seen = new Set([modelJson(b)]);
    return [b, ...xs.filter((x) => !seen.has(modelJson(x)) && seen.add(modelJson(x)))];
  };
  return {
    psciVersion: withBase<string | undefined>(base.psciVersion, [undefined, ...versions]),
    hypercallBitmaps: withBase(base.hypercallBitmaps, anyBitmap ? [undefined, common, Object.fromEntries(BITMAPS.map((r) => [r, []]))] : [undefined]),
    stolenTime: withBase<boolean | 'auto'>(base.stolenTime, ['auto', true, false]),
    targetCpus: withBase(base.targetCpus, cpus.length > 1 ? [undefined, cpus] : [undefined]),
    // the newest type every host registers: what guests should be defined with to move both ways
    machineType: withBase(base.machineType, [undefined, ...(pin ? [pin] : [])]),
    cpu: withBase<GuestCpu | undefined>(base.cpu, [undefined, ...offs.map((o) => ({ ...base.cpu, ...o }))]),
  };
}

export function withSettings(base: GuestModel, s: GuestSettings, name: string): GuestModel {
  const { psciVersion: _p, hypercallBitmaps: _h, targetCpus: _t, machineType: _m, cpu: _c, file: _f, description: _d, ...rest } = base;
  return {
    ...rest,
    name,
    ...(s.psciVersion ? { psciVersion: s.psciVersion } : {}),
    ...(s.hypercallBitmaps ? { hypercallBitmaps: s.hypercallBitmaps } : {}),
    stolenTime: s.stolenTime,
    ...(s.targetCpus ? { targetCpus: s.targetCpus } : {}),
    ...(s.machineType ? { machineType: s.machineType } : {}),
    ...(s.cpu ? { cpu: s.cpu } : {}),
  };
}

const settingsOf = (g: GuestModel): GuestSettings => ({
  psciVersion: g.psciVersion,
  hypercallBitmaps: g.hypercallBitmaps,
  stolenTime: g.stolenTime,
  targetCpus: g.targetCpus,
  machineType: g.machineType,
  cpu: g.cpu,
});

/** More clean host pairs, then fewer failing ones. */
const better = (a: Tally, b: Tally) => a.clean > b.clean || (a.clean === b.clean && a.fail < b.fail);

function* product(c: ReturnType<typeof candidates>): Generator<GuestSettings> {
  for (const psciVersion of c.psciVersion)
    for (const hypercallBitmaps of c.hypercallBitmaps)
      for (const stolenTime of c.stolenTime)
        for (const targetCpus of c.targetCpus)
          for (const machineType of c.machineType) for (const cpu of c.cpu) yield { psciVersion, hypercallBitmaps, stolenTime, targetCpus, machineType, cpu };
}

/**
 * The search. `unbounded` scores every setting whole (no setting dropped after the rule that sinks
 * it): what test/property/baseline.test.ts holds the bounded search to.
 */
export function buildBaseline(groups: readonly HostGroup[], base: GuestModel, opts: { fleet?: string; name?: string; progress?: Progress; unbounded?: boolean } = {}): BaselineReport {
  const progress = opts.progress ?? silent;
  const name = opts.name ?? (opts.fleet ? `${opts.fleet}-baseline` : 'baseline');
  const hosts = groups.map((g) => g.rep);
  const start = settingsOf(base);
  const all = candidates(hosts, start);
  // the machine type is settled first, on its own: it decides only whether the destination
  // registers the type (and the stolen-time pin of virt-5.1 and older), so searching it in
  // the product would double the search for nothing
  const mtTries = all.machineType.length > 1 ? all.machineType : [];
  const size = FIELDS.reduce((n, f) => n * (f === 'machineType' ? 1 : all[f].length), 1);
  const pairs = groups.length * groups.length;
  const method = size * pairs <= EXHAUSTIVE_BUDGET ? 'exhaustive' : 'coordinate';
  let searched = 0;
  // one guest object and one verdict grid per distinct settings (the search and the choices
  // ask some settings again); a tally is the grid's verdicts, the machine-type failures its lists
  // sunk: the highest bound the setting fell below (its clean weight is below any bound from there)
  const tried = new Map<string, { guest: GuestModel; grid?: VerdictGrid; tally?: Tally; sunk?: number }>();
  const trial = (s: GuestSettings) => {
    const k = modelJson(s);
    let t = tried.get(k);
    if (!t) tried.set(k, (t = { guest: withSettings(base, s, name) }));
    return t;
  };
  // each grid takes the rules whose inputs its setting leaves alone from the grids before it
  const grids: VerdictGrid[] = [];
  const gridOf = (s: GuestSettings) => {
    const t = trial(s);
    if (!t.grid) grids.push((t.grid = new VerdictGrid(hosts, t.guest, grids)));
    return t.grid;
  };
  // ordered host pairs of groups i, j: weights[i * groups + j]
  const weights = pairWeights(groups);
  // the rule that sank the last dropped setting is asked first: the search tries the values
  // of one field in a row, and the rule that reads that field sinks most of them
  const order = rules.map((_, r) => r);
  /** the tally of a setting; undefined if it has fewer clean host pairs than `below` (it cannot be better) */
  const scoreAbove = (s: GuestSettings, below: number): Tally | undefined => {
    searched++;
    const t = trial(s);
    progress.tick(pairs);
    if (t.tally) return t.tally;
    if (t.sunk !== undefined && below >= t.sunk) return undefined;
    const r = gridOf(s).weightedTally(weights, opts.unbounded ? -Infinity : below, order);
    if (!('sunkBy' in r)) return (t.tally = r);
    t.sunk = below;
    order.splice(order.indexOf(r.sunkBy), 1);
    order.unshift(r.sunkBy);
    return undefined;
  };
  const score = (s: GuestSettings): Tally => scoreAbove(s, -Infinity)!;

  progress.start('baseline', (mtTries.length + (method === 'exhaustive' ? size : FIELDS.reduce((n, f) => n + all[f].length, 0) * 2)) * pairs);
  // ties on the tally go to the type fewer pairs fail on: a pin that removes one of several
  // blockers of a rollback is still the definition new guests should get
  const typeRule = rules.findIndex((r) => r.id === 'machine-type');
  // (plain loops: a callback and a predicate per pair were ~4 MB of garbage at 200 profiles)
  const typeFailsOf = (s: GuestSettings) => {
    const grid = gridOf(s);
    const g = groups.length;
    let n = 0;
    for (let i = 0; i < g; i++) for (let j = 0; j < g; j++) if (rankOf(grid.findings(typeRule, i, j)) === 2) n += weights[i * g + j]!;
    return n;
  };
  let mt = { machineType: start.machineType, t: undefined as Tally | undefined, fails: 0 };
  let startFails = 0;
  for (const machineType of mtTries) {
    const t = score({ ...start, machineType });
    const fails = typeFailsOf({ ...start, machineType });
    if (machineType === start.machineType) startFails = fails;
    if (!mt.t || better(t, mt.t) || (!better(mt.t, t) && fails < mt.fails)) mt = { machineType, t, fails };
  }
  const cand = { ...all, machineType: [mt.machineType] };
  const before = score(start);
  // the settled machine type is the starting point the other fields must improve on
  let best: GuestSettings = { ...start, machineType: mt.machineType };
  let bestScore = mt.t ?? before;
  if (method === 'exhaustive') {
    for (const s of product(cand)) {
      const t = scoreAbove(s, bestScore.clean);
      if (t && better(t, bestScore)) [best, bestScore] = [s, t];
    }
  } else {
    // one field at a time until nothing improves (fleets with many distinct profiles)
    for (let round = 0, improved = true; improved && round < 3; round++) {
      improved = false;
      for (const f of FIELDS)
        for (const v of cand[f]) {
          const s = { ...best, [f]: v };
          const t = scoreAbove(s, bestScore.clean);
          if (t && better(t, bestScore)) [best, bestScore, improved] = [s, t, true];
        }
    }
  }
  progress.done();
  const guest = trial(best).guest;
  const choices = FIELDS.filter((f) => modelJson(best[f]) !== modelJson(start[f])).map((field) => ({ field, without: score({ ...best, [field]: start[field] }) }));
  const machineTypeFails = mtTries.length ? { machineTypeFails: { chosen: mt.fails, start: startFails } } : {};
  // the cells are made when a report reads them (plan asks only for the guest)
  let cells: Cell[][] | undefined;
  return {
    ...(opts.fleet ? { fleet: opts.fleet } : {}),
    groups,
    base,
    guest,
    method,
    searched,
    before,
    after: bestScore,
    choices,
    get cells() {
      return (cells ??= cellGrid(groups, guest));
    },
    ...machineTypeFails,
  };
}
