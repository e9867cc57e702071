// The N×N verdict matrix over host groups, one grid per guest configuration.
import type { Assessment, GuestModel, Verdict } from '../model.js';
import { assess } from '../solver/assess.js';
import { pairWeight, type HostGroup } from './groups.js';
import { silent, type Progress } from './progress.js';

export interface Tally {
  readonly clean: number;
  readonly unsafe: number;
  readonly fail: number;
}

export interface MatrixGrid {
  readonly guest: GuestModel;
  /** cells[i][j]: group i -> group j */
  readonly cells: readonly (readonly Assessment[])[];
  /** ordered host pairs (weighted by counts) per verdict */
  readonly hostPairs: Tally;
}

export interface MatrixReport {
  readonly fleet?: string;
  readonly groups: readonly HostGroup[];
  readonly grids: readonly MatrixGrid[];
}

export const tallyText = (t: Tally) => `${t.clean} clean, ${t.unsafe} unsafe, ${t.fail} fail`;

export function tally(groups: readonly HostGroup[], verdictAt: (i: number, j: number) => Verdict): Tally {
  const t = { clean: 0, unsafe: 0, fail: 0 };
  groups.forEach((a, i) => groups.forEach((b, j) => (t[verdictAt(i, j)] += pairWeight(a, b))));
  return t;
}

export function assessGroups(groups: readonly HostGroup[], guest: GuestModel, progress: Progress = silent): Assessment[][] {
  return groups.map((a) => {
    const row = groups.map((b) => assess(a.rep, b.rep, guest));
    progress.tick(groups.length);
    return row;
  });
}

export function buildMatrix(groups: readonly HostGroup[], guests: readonly GuestModel[], fleet?: string, progress: Progress = silent): MatrixReport {
  progress.start('matrix', groups.length * groups.length * guests.length);
  const grids = guests.map((guest) => {
    const cells = assessGroups(groups, guest, progress);
    return { guest, cells, hostPairs: tally(groups, (i, j) => cells[i]![j]!.verdict) };
  });
  progress.done();
  return { ...(fleet ? { fleet } : {}), groups, grids };
}
