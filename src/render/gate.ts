// What each report's --fail-on judges, item by item, for the JUnit result: the same
// verdicts the exit code is computed from (commands/*.ts), named as the report names them.
import type { Cell } from '../fleet/cell.js';
import { groupLabel, type HostGroup } from '../fleet/groups.js';
import type { MatrixReport } from '../fleet/matrix.js';
import type { BaselineReport } from '../fleet/baseline.js';
import type { PlanReport } from '../fleet/plan.js';
import type { FenceReport } from '../fleet/fence.js';
import type { TableReport } from '../reports/table.js';
import type { GateItem } from './junit.js';
import { reasonsText, worksWhy } from './reasons.js';
import { stepLines } from './fence.js';

const cellItems = (suite: string, groups: readonly HostGroup[], cells: readonly (readonly Cell[])[]): GateItem[] =>
  cells.flatMap((row, i) =>
    row.map((c, j) => ({ suite, name: `${i + 1} -> ${j + 1}: ${groupLabel(groups[i]!)} -> ${groupLabel(groups[j]!)}`, verdict: c.verdict, why: c.verdict === 'clean' ? '' : reasonsText(c) })),
  );

export const tableGate = (reports: readonly TableReport[]): GateItem[] =>
  reports.flatMap((t) => t.rows.map((r) => ({ suite: t.title, name: r.migration, verdict: r.verdict, why: r.notes.join('; ') })));

export const matrixGate = (r: MatrixReport): GateItem[] => r.grids.flatMap((g) => cellItems(`guest ${g.guest.name}`, r.groups, g.cells));

export const baselineGate = (r: BaselineReport): GateItem[] => cellItems(`under the baseline guest ${r.guest.name}`, r.groups, r.cells);

/** as plan's exit: a blocked plan fails, a wave that cannot roll back live is unsafe */
export const planGate = (r: PlanReport): GateItem[] => [
  { suite: `plan ${r.fleet}`, name: 'every pool can be drained', verdict: r.blocked ? 'fail' : 'clean', why: r.blocked ? `${r.blocked.remaining} hosts of pool ${r.blocked.pool} cannot be drained at headroom ${r.headroom}` : '' },
  ...r.waves.map((w) => ({
    suite: `plan ${r.fleet}`,
    name: `wave ${w.index}: rollback ${w.to.name} -> ${w.from.name} live`,
    verdict: w.rollback.live ? ('clean' as const) : ('unsafe' as const),
    why: w.rollback.live ? '' : `needs a cold boot: ${worksWhy(w.rollback.back, ': ', '')}`,
  })),
];

export const fenceGate = (r: FenceReport): GateItem[] =>
  r.steps.flatMap((s) => {
    const head = stepLines(s)[0]!;
    return [
      { suite: `fence ${r.cpu}`, name: `${head}: forward`, verdict: s.forward.verdict, why: worksWhy(s.forward, ': ', '') },
      { suite: `fence ${r.cpu}`, name: `${head}: rollback`, verdict: s.rollback.verdict, why: worksWhy(s.rollback, ': ', '') },
    ];
  });
