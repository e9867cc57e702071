// The Drew-style table: old/new hosts with default guests, and "compat" —
// the new host running guest configuration G (the userspace change).
import type { Assessment, Endpoint, Finding, GuestModel, HostModel, Verdict } from '../model.js';
import { assessEndpoints, decisive } from '../solver/assess.js';
import { DEFAULT_GUEST } from '../profile/resolve.js';
import { WORKS } from '../render/style.js';

interface TableRow {
  readonly migration: string;
  readonly userspaceChange: boolean;
  readonly works: string;
  readonly verdict: Verdict;
  readonly notes: readonly string[];
  readonly findings: readonly Finding[];
}

export interface TableReport {
  readonly title: string;
  readonly old: string;
  readonly new: string;
  readonly compat?: string;
  readonly rows: readonly TableRow[];
}

type Side = 'old' | 'new' | 'compat';
const BASE: [Side, Side][] = [['new', 'new'], ['old', 'new'], ['new', 'old'], ['compat', 'old'], ['old', 'compat']];
const EXTRA: [Side, Side][] = [['old', 'old'], ['compat', 'compat'], ['new', 'compat'], ['compat', 'new']];

/** Notes say why: the findings that decide the verdict (for a clean row, its info findings). */
function notesFor(a: Assessment): string[] {
  const shown = a.verdict === 'clean' ? a.findings.filter((f) => f.severity === 'info') : decisive(a);
  const notes = [...new Set(shown.map((f) => f.note))];
  return notes.length ? notes : ['Expected: no guest-visible change'];
}

export function buildTable(oldHost: HostModel, newHost: HostModel, compat: GuestModel | undefined, allRows: boolean): TableReport {
  const ends: Record<Side, Endpoint> = {
    old: { host: oldHost, guest: DEFAULT_GUEST },
    new: { host: newHost, guest: DEFAULT_GUEST },
    compat: { host: newHost, guest: compat ?? DEFAULT_GUEST },
  };
  const pairs = [...BASE, ...(allRows ? EXTRA : [])].filter(([a, b]) => compat || (a !== 'compat' && b !== 'compat'));
  const rows = pairs.map(([a, b]): TableRow => {
    const result = assessEndpoints(ends[a], ends[b]);
    return {
      migration: `${a} -> ${b}`,
      userspaceChange: a === 'compat' || b === 'compat',
      works: WORKS[result.verdict],
      verdict: result.verdict,
      notes: notesFor(result),
      findings: result.findings,
    };
  });
  return {
    title: newHost.description ?? `${newHost.name} vs ${oldHost.name}`,
    old: oldHost.name,
    new: newHost.name,
    ...(compat ? { compat: compat.name } : {}),
    rows,
  };
}
