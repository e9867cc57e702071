// The ABI fence (Oliver Upton, kvmarm 2021: "a fence in both kernel and VMM versions.
// Before the fence, you can't rollback with either component. Once on the other side
// of the fence, the user may freely migrate between kernel + VMM combinations"): every
// (kernel, VMM) combination on one CPU, each upgrade step forward and back, and the
// earliest combinations from which all later ones migrate freely both ways.
import type { Assessment, GuestModel, HostModel } from '../model.js';
import { assess } from '../solver/assess.js';
import { silent, type Progress } from './progress.js';

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
  const n = flat.length;
  progress.start('fence', n * n);
  const cell = new Map<HostModel, Map<HostModel, Assessment>>();
  for (const a of flat) {
    cell.set(a.host, new Map(flat.map((b) => [b.host, assess(a.host, b.host, guest)])));
    progress.tick(n);
  }
  progress.done();
  const at = (a: Combo, b: Combo) => cell.get(a.host)!.get(b.host)!;

  // upper set of (k, v): every combination with kernel >= k and VMM >= v
  const upper = (k: number, v: number) => combos.slice(k).flatMap((row) => row.slice(v));
  const firstBreak = (k: number, v: number): Assessment | undefined => {
    const set = upper(k, v);
    for (const a of set) for (const b of set) if (at(a, b).verdict !== 'clean') return at(a, b);
    return undefined;
  };
  const free = combos.map((row, k) => row.map((_, v) => firstBreak(k, v) === undefined));

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
  return { kernels, vmms, cpu, guest, combos, free, steps, fence, breaks };
}
