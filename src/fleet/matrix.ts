// The N×N verdict matrix over host groups, one grid per guest configuration.
import type { GuestModel, Verdict } from '../model.js';
import { VerdictGrid } from '../solver/verdict-grid.js';
import { gridCellAt, gridReasonCells, type Cell, type ReasonCells } from './cell.js';
import { pairWeights, type HostGroup } from './groups.js';
import { silent, type Progress } from './progress.js';

export interface Tally {
  readonly clean: number;
  readonly unsafe: number;
  readonly fail: number;
}

export interface MatrixGrid {
  readonly guest: GuestModel;
  /** the number of groups: rows and columns */
  readonly size: number;
  /** group i -> group j (what cells[i][j].verdict says, without making the cell) */
  verdict(i: number, j: number): Verdict;
  /** cells[i][j]: group i -> group j (made on first read: the text reads only verdicts and reasonCells) */
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

/** Every group pair under one guest configuration, reduced to compact cells as it goes. */
export function cellGrid(groups: readonly HostGroup[], guest: GuestModel, progress: Progress = silent): Cell[][] {
  return cellsOf(gridOf(groups, guest, progress));
}

// the grid with every row's verdicts filled in (a row at a time, as progress reports them)
function gridOf(groups: readonly HostGroup[], guest: GuestModel, progress: Progress): VerdictGrid {
  const grid = new VerdictGrid(
    groups.map((g) => g.rep),
    guest,
  );
  for (let i = 0; i < grid.n; i++) {
    grid.rank(i, 0);
    progress.tick(groups.length);
  }
  return grid;
}

const cellsOf = (grid: VerdictGrid): Cell[][] => Array.from({ length: grid.n }, (_, i) => Array.from({ length: grid.n }, (_, j) => gridCellAt(grid, i, j)));

export function buildMatrix(groups: readonly HostGroup[], guests: readonly GuestModel[], fleet?: string, progress: Progress = silent): MatrixReport {
  progress.start('matrix', groups.length * groups.length * guests.length);
  const grids = guests.map((guest): MatrixGrid => {
    const grid = gridOf(groups, guest, progress);
    let cells: Cell[][] | undefined;
    return {
      guest,
      size: grid.n,
      verdict: (i, j) => grid.verdict(i, j),
      get cells() {
        return (cells ??= cellsOf(grid));
      },
      hostPairs: grid.weighted(pairWeights(groups)),
      reasonCells: (max) => gridReasonCells(grid, max),
    };
  });
  progress.done();
  return { ...(fleet ? { fleet } : {}), groups, grids };
}
