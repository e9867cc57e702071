// The N×N verdict matrix over host groups, one grid per guest configuration.
import type { GuestModel, Verdict } from '../model.js';
import { VerdictGrid } from '../solver/verdict-grid.js';
import { gridCellAt, gridReasonCells, type Cell, type ReasonCells } from './cell.js';
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
  readonly cells: readonly (readonly Cell[])[];
  /** ordered host pairs (weighted by counts) per verdict */
  readonly hostPairs: Tally;
  /** the cells that are not clean, by reason (see gridReasonCells); cells numbered i * groups + j */
  reasonCells(max: number): ReasonCells[];
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

/** Every group pair under one guest configuration, reduced to compact cells as it goes. */
export function cellGrid(groups: readonly HostGroup[], guest: GuestModel, progress: Progress = silent): Cell[][] {
  return gridOf(groups, guest, progress).cells;
}

function gridOf(groups: readonly HostGroup[], guest: GuestModel, progress: Progress): { cells: Cell[][]; grid: VerdictGrid } {
  const grid = new VerdictGrid(
    groups.map((g) => g.rep),
    guest,
  );
  const cells = groups.map((_, i) => {
    const row = groups.map((_, j) => gridCellAt(grid, i, j));
    progress.tick(groups.length);
    return row;
  });
  return { cells, grid };
}

export function buildMatrix(groups: readonly HostGroup[], guests: readonly GuestModel[], fleet?: string, progress: Progress = silent): MatrixReport {
  progress.start('matrix', groups.length * groups.length * guests.length);
  const grids = guests.map((guest) => {
    const { cells, grid } = gridOf(groups, guest, progress);
    return { guest, cells, hostPairs: tally(groups, (i, j) => cells[i]![j]!.verdict), reasonCells: (max: number) => gridReasonCells(grid, max) };
  });
  progress.done();
  return { ...(fleet ? { fleet } : {}), groups, grids };
}
