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
import { cleanPairs } from './clean-pairs.js';

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
  // combinations that differ only in names and version labels behave the same: each distinct
  // one is assessed against each once, and only the verdicts are kept (966 releases × releases
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
  const S = reps.length;
  const clean = cleanPairs(reps, guest, progress);
  const isClean = (a: Combo, b: Combo) => clean[sid.get(a)! * S + sid.get(b)!] === 1;

  // free(k, v): every pair in the upper set of (k, v) (kernel >= k, VMM >= v) is clean. As sets
  // of distinct behaviours (bitsets): upper(k, v) = {(k, v)} ∪ upper(k+1, v) ∪ upper(k, v+1)
  const words = Math.ceil(S / 32);
  const bad = Array.from({ length: S }, (_, a) => {
    const set = new Uint32Array(words);
    for (let b = 0; b < S; b++) if (!clean[a * S + b] || !clean[b * S + a]) set[b >>> 5]! |= 1 << (b & 31);
    return set;
  });
  const K = kernels.length;
  const V = vmms.length;
  const upperSet: Uint32Array[][] = combos.map((row) => row.map(() => new Uint32Array(words)));
  const free: boolean[][] = combos.map((row) => row.map(() => false));
  for (let k = K - 1; k >= 0; k--)
    for (let v = V - 1; v >= 0; v--) {
      const set = upperSet[k]![v]!;
      if (k + 1 < K) set.set(upperSet[k + 1]![v]!);
      if (v + 1 < V) for (let w = 0; w < words; w++) set[w]! |= upperSet[k]![v + 1]![w]!;
      const own = sid.get(combos[k]![v]!)!;
      set[own >>> 5]! |= 1 << (own & 31);
      let ok = (k + 1 >= K || free[k + 1]![v]!) && (v + 1 >= V || free[k]![v + 1]!);
      for (let s = 0; ok && s < S; s++) {
        if (!(set[s >>> 5]! & (1 << (s & 31)))) continue;
        for (let w = 0; w < words; w++) if (bad[s]![w]! & set[w]!) ok = false;
      }
      free[k]![v] = ok;
    }

  // upper set of (k, v) in row order: the first pair that does not migrate cleanly, worded from the real hosts
  const upper = (k: number, v: number) => combos.slice(k).flatMap((row) => row.slice(v));
  const firstBreak = (k: number, v: number): Assessment | undefined => {
    const set = upper(k, v);
    for (const a of set) for (const b of set) if (!isClean(a, b)) return assess(a.host, b.host, guest);
    return undefined;
  };
  const at = (a: Combo, b: Combo) => assess(a.host, b.host, guest);

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
