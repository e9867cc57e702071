// One cell of a fleet report: only the verdict and the grouped reasons are kept
// (findings with full messages are recomputed when a renderer asks), so memory grows
// with cells, not with findings.
import type { Assessment, Finding, Verdict } from '../model.js';
import { decisive } from '../solver/assess.js';

export interface Reason {
  readonly rule: string;
  readonly subjects: readonly string[];
  /** the note with the subject replaced by {} when it names it, so registers group */
  readonly template: string;
}

export interface Cell {
  readonly verdict: Verdict;
  readonly source: string;
  readonly destination: string;
  readonly reasons: readonly Reason[];
  /** the findings at the verdict's severity, with their messages and references */
  decisive(): readonly Finding[];
}

// note -> template, shared across cells (the same notes recur across a fleet)
const templates = new Map<string, string>();
function templateOf(note: string, subject: string): string {
  let t = templates.get(note);
  if (t === undefined) templates.set(note, (t = note.includes(subject) ? note.split(subject).join('{}') : note));
  return t;
}

export function reasons(a: Assessment): Reason[] {
  const out = new Map<string, { rule: string; subjects: string[]; template: string }>();
  for (const f of decisive(a)) {
    const template = templateOf(f.note, f.subject);
    const key = `${f.rule}\0${template}`;
    const r = out.get(key) ?? { rule: f.rule, subjects: [], template };
    if (!r.subjects.includes(f.subject)) r.subjects.push(f.subject);
    out.set(key, r);
  }
  return [...out.values()];
}

const NONE: readonly Reason[] = Object.freeze([]);

/** A cell that drops its findings and recomputes them on demand (fleet-scale matrices). */
export function compactCell(a: Assessment, recompute: () => Assessment): Cell {
  return { verdict: a.verdict, source: a.source, destination: a.destination, reasons: a.verdict === 'clean' ? NONE : reasons(a), decisive: () => decisive(recompute()) };
}
