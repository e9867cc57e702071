// The ABI fence (Oliver Upton, kvmarm 2021: "a fence in both kernel and VMM versions.
// Before the fence, you can't rollback with either component. Once on the other side
// of the fence, the user may freely migrate between kernel + VMM combinations"): every
// (kernel, VMM) combination on one CPU, each upgrade step forward and back, and the
// earliest combinations from which all later ones migrate freely both ways.
import type { Assessment, GuestModel, HostModel } from '../model.js';
import { assess } from '../solver/assess.js';
import { machineTypeView, verdictSignature } from './groups.js';
import { commonMachineType } from '../kb/vmms.js';
import { silent, type Progress } from './progress.js';
import { cleanRelation } from './clean-pairs.js';
import { judgedAssessment } from './cell.js';

export interface Combo {
  readonly kernel: string;
  readonly vmm: string;
  readonly host: HostModel;
}

export interface Step {
  readonly axis: 'kernel' | 'vmm';
  readonly from: Combo;
  readonly to: Combo;
  readonly forward: Assessment;
  readonly rollback: Assessment;
}

/** Why a combination is not yet past the fence: a later pair that does not migrate cleanly. */
export interface FenceBreak {
  readonly at: Combo;
  readonly assessment: Assessment;
}

export interface FenceReport {
  readonly kernels: readonly string[];
  readonly vmms: readonly string[];
  readonly cpu: string;
  readonly guest: GuestModel;
  /** the guest's machine type; pinned: the guest had none, so the newest type every VMM registers was used */
  readonly machineType: { readonly type?: string; readonly pinned: boolean };
  /** combos[k][v] */
  readonly combos: readonly (readonly Combo[])[];
  /** free[k][v]: every pair of combinations at or after (k, v) migrates cleanly both ways */
  readonly free: readonly (readonly boolean[])[];
  readonly steps: readonly Step[];
  /** the minimal free combinations (several when kernel and VMM trade off), earliest kernel first */
  readonly fence: readonly Combo[];
  /** for each combination just before a fence point: the pair that keeps it out */
  readonly breaks: readonly FenceBreak[];
}

export function buildFence(
  kernels: readonly string[],
  vmms: readonly string[],
  make: (kernel: string, vmm: string) => HostModel,
  guest: GuestModel,
  cpu: string,
  progress: Progress = silent,
): FenceReport {
  const combos = kernels.map((kernel) => vmms.map((vmm) => ({ kernel, vmm, host: make(kernel, vmm) })));
  const flat = combos.flat();
  // a guest without a type is pinned to the newest every VMM of the grid registers (what baseline
  // recommends); left to each source's newest, no QEMU step could ever be rolled back
  const common = guest.machineType ? undefined : commonMachineType(combos[0]!.map((c) => c.host.vmm));
  const machineType = { type: guest.machineType ?? common, pinned: common !== undefined };
  if (common) guest = { ...guest, machineType: common };
  // combinations that differ only in names and version labels behave the same: a pair of
  // distinct ones is assessed once, and only its verdict is kept (966 releases × releases
  // would be 933,000 assessments and gigabytes of findings)
  const ids = new Map<string, number>();
  const reps: HostModel[] = [];
  const sid = new Map<Combo, number>();
  for (const c of flat) {
    const key = `${verdictSignature(c.host)}\0${machineTypeView(c.host, guest.machineType)}`;
    let i = ids.get(key);
    if (i === undefined) ids.set(key, (i = reps.push(c.host) - 1));
    sid.set(c, i);
  }
  const clean = cleanRelation(reps, guest);
  const isClean = (a: Combo, b: Combo) => clean(sid.get(a)!, sid.get(b)!);

  const K = kernels.length;
  const V = vmms.length;
  progress.start('fence', K * V);
  const free = freeGrid(K, V, (k1, v1, k2, v2) => isClean(combos[k1]![v1]!, combos[k2]![v2]!), progress);
  progress.done();

  // upper set of (k, v) in row order: the first pair that does not migrate cleanly, worded from the real hosts
  const upper = (k: number, v: number) => combos.slice(k).flatMap((row) => row.slice(v));
  const firstBreak = (k: number, v: number): Assessment | undefined => {
    const set = upper(k, v);
    for (const a of set) for (const b of set) if (!isClean(a, b)) return assess(a.host, b.host, guest);
    return undefined;
  };
  // steps are shown as verdicts and reasons: their findings are worded only if asked
  const at = (a: Combo, b: Combo): Assessment => judgedAssessment(a.host, b.host, guest);

  const steps: Step[] = [];
  combos.forEach((row, k) =>
    row.forEach((c, v) => {
      const next = [
        ['kernel', combos[k + 1]?.[v]],
        ['vmm', row[v + 1]],
      ] as const;
      for (const [axis, to] of next) if (to) steps.push({ axis, from: c, to, forward: at(c, to), rollback: at(to, c) });
    }),
  );

  const fence = flat.filter((_, i) => {
    const k = Math.floor(i / vmms.length);
    const v = i % vmms.length;
    return free[k]![v]! && !(k > 0 && free[k - 1]![v]) && !(v > 0 && free[k]![v - 1]);
  });
  const breaks: FenceBreak[] = [];
  for (const c of fence) {
    const k = kernels.indexOf(c.kernel);
    const v = vmms.indexOf(c.vmm);
    for (const [pk, pv] of [[k - 1, v], [k, v - 1]] as const) {
      if (pk < 0 || pv < 0 || breaks.some((b) => b.at === combos[pk]![pv])) continue;
      const a = firstBreak(pk, pv);
      if (a) breaks.push({ at: combos[pk]![pv]!, assessment: a });
    }
  }
  return { kernels, vmms, cpu, guest, machineType, combos, free, steps, fence, breaks };
}

/**
 * free[k][v]: every ordered pair in the upper set of (k, v) (kernel >= k, VMM >= v) is clean.
 * The upper set is (k, v) ∪ upper(k+1, v) ∪ upper(k, v+1); when both of those are free, the
 * pairs left to ask are (k, v) with each member of its upper set and row k (VMM > v) with column v (kernel > k),
 * both ways — so only the corner the fence can reach is ever assessed. test/property/
 * clean-pairs.test.ts holds it against asking every pair, on random relations.
 */
export function freeGrid(K: number, V: number, clean: (k1: number, v1: number, k2: number, v2: number) => boolean, progress: Progress = silent): boolean[][] {
  const free: boolean[][] = Array.from({ length: K }, () => Array<boolean>(V).fill(false));
  const both = (a: readonly [number, number], b: readonly [number, number]) => clean(a[0], a[1], b[0], b[1]) && clean(b[0], b[1], a[0], a[1]);
  for (let k = K - 1; k >= 0; k--)
    for (let v = V - 1; v >= 0; v--) {
      progress.tick();
      if ((k + 1 < K && !free[k + 1]![v]) || (v + 1 < V && !free[k]![v + 1])) continue;
      const own = [k, v] as const;
      const row = Array.from({ length: V - v - 1 }, (_, i) => [k, v + 1 + i] as const);
      const column = Array.from({ length: K - k - 1 }, (_, i) => [k + 1 + i, v] as const);
      let ok = row.every((a) => column.every((b) => both(a, b)));
      for (let a = k; ok && a < K; a++) for (let b = v; ok && b < V; b++) ok = both(own, [a, b]);
      free[k]![v] = ok;
    }
  return free;
}
