// One cell of a fleet report: only the verdict and the grouped reasons are kept
// (findings with full messages are recomputed when a renderer asks), so memory grows
// with cells, not with findings.
import type { Assessment, Finding, Verdict } from '../model.js';
import { decisive, type PairJudgement } from '../solver/assess.js';
import type { Judged } from '../rules/rule.js';

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
  return reasonsOf(decisive(a));
}

function reasonsOf(findings: readonly Pick<Finding, 'rule' | 'subject' | 'note'>[]): Reason[] {
  const out = new Map<string, { rule: string; subjects: string[]; template: string }>();
  for (const f of findings) {
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

// the reasons of one rule's findings at one verdict, once per list: fleets' pairs share the lists
// (src/solver/assess.ts judgePair), and reasons never merge across rules
const listReasons = [new WeakMap<readonly Judged[], readonly Reason[]>(), new WeakMap<readonly Judged[], readonly Reason[]>()] as const;
function reasonsAt(list: readonly Judged[], verdict: 'unsafe' | 'fail'): readonly Reason[] {
  if (!list.length) return NONE;
  const memo = listReasons[verdict === 'fail' ? 1 : 0];
  let r = memo.get(list);
  if (!r) memo.set(list, (r = reasonsOf(list.filter((f) => f.severity === verdict))));
  return r;
}
/** A cell from a pair's judgement (no message worded); its findings are assessed again on demand. */
export function judgedCell(j: PairJudgement, source: string, destination: string, recompute: () => Assessment): Cell {
  const v = j.verdict;
  let reasons = NONE;
  if (v !== 'clean')
    for (const l of j.lists) {
      const r = reasonsAt(l, v);
      if (r.length) reasons = reasons.length ? [...reasons, ...r] : r;
    }
  return { verdict: v, source, destination, reasons, decisive: () => decisive(recompute()) };
}
