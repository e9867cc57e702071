// One cell of a fleet report: only the verdict and the grouped reasons are kept
// (findings with full messages are recomputed when a renderer asks), so memory grows
// with cells, not with findings.
import type { Assessment, Finding, GuestModel, HostModel, Verdict } from '../model.js';
import { assess, decisive, judgePair, type PairJudgement } from '../solver/assess.js';
import { worded, type Judged } from '../rules/rule.js';
import type { VerdictGrid } from '../solver/verdict-grid.js';

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

// (note, subject) -> template, shared across cells (the same notes recur across a fleet); by
// subject too, since one note may come with another subject that it does not name
const templates = new Map<string, Map<string, string>>();
function templateOf(note: string, subject: string): string {
  let bySubject = templates.get(note);
  if (!bySubject) templates.set(note, (bySubject = new Map()));
  let t = bySubject.get(subject);
  if (t === undefined) bySubject.set(subject, (t = note.includes(subject) ? note.split(subject).join('{}') : note));
  return t;
}

export function reasons(a: Assessment): Reason[] {
  return reasonsOf(decisive(a));
}

// per finding object, its reason's key and template: rules share their findings across lists
// (sharedFinding: ~1,300 objects in the ~15,000 places of a 200-profile grid's deciding lists)
type Grouped = Pick<Finding, 'rule' | 'subject' | 'note' | 'severity'>;
const slots = new WeakMap<Grouped, { readonly key: string; readonly template: string }>();
/** The findings (those at `verdict`, when given) grouped by rule and template, each finding's template found once. */
export function reasonsOf(findings: readonly Grouped[], verdict?: 'unsafe' | 'fail'): Reason[] {
  const out = new Map<string, { rule: string; subjects: string[]; template: string }>();
  for (const f of findings) {
    if (verdict !== undefined && f.severity !== verdict) continue;
    let slot = slots.get(f);
    if (!slot) {
      const template = templateOf(f.note, f.subject);
      slots.set(f, (slot = { key: `${f.rule}\0${template}`, template }));
    }
    const r = out.get(slot.key);
    if (!r) out.set(slot.key, { rule: f.rule, subjects: [f.subject], template: slot.template });
    else if (!r.subjects.includes(f.subject)) r.subjects.push(f.subject);
  }
  return [...out.values()];
}

const NONE: readonly Reason[] = Object.freeze([]);

/** A cell that drops its findings and recomputes them on demand (fleet-scale matrices). */
export function compactCell(a: Assessment, recompute: () => Assessment): Cell {
  return { verdict: a.verdict, source: a.source, destination: a.destination, reasons: a.verdict === 'clean' ? NONE : reasons(a), decisive: () => decisive(recompute()) };
}

// the reasons of one rule's findings at one verdict, once per list: fleets' pairs share the lists
// (src/solver/assess.ts judgePair), and reasons never merge across rules. Lists of the same
// finding objects (rules share their findings: sharedFinding) have the same reasons, and a
// fleet's grid meets hundreds of such copies (a register-list entry per pair of kernels whose
// lists differ by the same registers): a list not met yet is looked up by its findings' numbers
// before its findings are grouped
const listReasons = [new WeakMap<readonly Judged[], readonly Reason[]>(), new WeakMap<readonly Judged[], readonly Reason[]>()] as const;
// a finding's number: equal for findings reasonsOf reads alike (a register-list finding is one
// object per destination VMM, with the same rule, subject, note and severity)
const findingNumbers = new WeakMap<Grouped, number>();
const contentNumbers = new Map<string, number>();
function findingNumber(f: Grouped): number {
  let n = findingNumbers.get(f);
  if (n === undefined) {
    const c = JSON.stringify([f.rule, f.severity, f.subject, f.note]);
    n = contentNumbers.get(c);
    if (n === undefined) contentNumbers.set(c, (n = contentNumbers.size));
    findingNumbers.set(f, n);
  }
  return n;
}
// lists by their findings' numbers, one trie per verdict (no key string to build and hash)
interface ListNode {
  reasons?: readonly Reason[];
  next?: Map<number, ListNode>;
}
const byFindings: readonly [ListNode, ListNode] = [{}, {}];
function nodeOf(root: ListNode, list: readonly Judged[]): ListNode {
  let node = root;
  for (const f of list) {
    const n = findingNumber(f);
    let next = node.next?.get(n);
    if (!next) (node.next ??= new Map()).set(n, (next = {}));
    node = next;
  }
  return node;
}
export function reasonsAt(list: readonly Judged[], verdict: 'unsafe' | 'fail'): readonly Reason[] {
  if (!list.length) return NONE;
  const v = verdict === 'fail' ? 1 : 0;
  const memo = listReasons[v];
  let r = memo.get(list);
  if (!r) {
    const node = nodeOf(byFindings[v], list);
    memo.set(list, (r = node.reasons ??= interned(reasonsOf(list, verdict))));
  }
  return r;
}

// Equal reasons as one object, and equal lists of them as one array: the memos' lists are one
// per pair of side keys, and thousands of them say the same thing ("the destination does not
// know TCR2_EL1"), so pairs whose lists differ share their reasons and reports group them at once
const reasonIds = new Map<string, { reason: Reason; id: number }>();
const reasonArrays = new Map<string, readonly Reason[]>();
function interned(rs: readonly Reason[]): readonly Reason[] {
  if (!rs.length) return NONE;
  const ids: number[] = [];
  const out = rs.map((r) => {
    const key = `${r.rule}\0${r.template}\0${r.subjects.join('\0')}`;
    let known = reasonIds.get(key);
    if (!known) reasonIds.set(key, (known = { reason: r, id: reasonIds.size }));
    ids.push(known.id);
    return known.reason;
  });
  const key = ids.join(',');
  let arr = reasonArrays.get(key);
  if (!arr) reasonArrays.set(key, (arr = out));
  return arr;
}
function judgedReasons(j: Pick<PairJudgement, 'verdict' | 'lists'>): readonly Reason[] {
  const v = j.verdict;
  let reasons = NONE;
  if (v !== 'clean')
    for (const l of j.lists) {
      const r = reasonsAt(l, v);
      if (r.length) reasons = reasons.length ? [...reasons, ...r] : r;
    }
  return reasons;
}

/** A pair's verdict and reasons from its judgement (no message worded): what reasons(assess(…)) says. */
export function judgedPair(source: HostModel, destination: HostModel, guest: GuestModel): { readonly verdict: Verdict; readonly reasons: readonly Reason[] } {
  const j = judgePair(source, destination, guest);
  return { verdict: j.verdict, reasons: judgedReasons(j) };
}

/** A cell from a pair's judgement (no message worded); its findings are assessed again on demand. */
export function judgedCell(j: PairJudgement, source: string, destination: string, recompute: () => Assessment): Cell {
  return { verdict: j.verdict, source, destination, reasons: judgedReasons(j), decisive: () => decisive(recompute()) };
}

// The reasons of a grid pair are its rules' reasons at its verdict, one after the other: the
// concatenations are kept in a trie on the rules' (shared) reason arrays, so the thousands of
// pairs that meet the same ones share one array and none is copied again.
interface Joined {
  readonly reasons: readonly Reason[];
  next?: Map<readonly Reason[], Joined>;
}
const joinedRoot: Joined = { reasons: NONE };
// per grid, each deciding entry's reasons (VerdictGrid.decidingCodes): an entry decides only
// pairs whose verdict is its own severity, so one array per entry whatever the pair
const entryReasons = new WeakMap<VerdictGrid, Map<number, readonly Reason[]>>();
function reasonsOfCode(grid: VerdictGrid, byCode: Map<number, readonly Reason[]>, code: number, v: 'unsafe' | 'fail'): readonly Reason[] {
  let rs = byCode.get(code);
  if (rs === undefined) byCode.set(code, (rs = reasonsAt(grid.listOf(code), v)));
  return rs;
}
function codeReasons(grid: VerdictGrid): Map<number, readonly Reason[]> {
  let byCode = entryReasons.get(grid);
  if (!byCode) entryReasons.set(grid, (byCode = new Map()));
  return byCode;
}
const codes: number[] = [];
function gridReasons(grid: VerdictGrid, i: number, j: number, v: 'unsafe' | 'fail'): readonly Reason[] {
  const byCode = codeReasons(grid);
  let node = joinedRoot;
  for (const code of grid.decidingCodes(i, j, codes)) {
    const rs = reasonsOfCode(grid, byCode, code, v);
    if (!rs.length) continue;
    let next = node.next?.get(rs);
    if (!next) (node.next ??= new Map()).set(rs, (next = { reasons: node.reasons.length ? [...node.reasons, ...rs] : rs }));
    node = next;
  }
  return node.reasons;
}

/** The pairs of a grid that meet one reason at one verdict: cells i * n + j, in row-major order. */
export interface ReasonCells {
  readonly verdict: 'unsafe' | 'fail';
  readonly reason: Reason;
  /** the first `max` of them */
  cells: number[];
  count: number;
}

/**
 * Every reason of the grid's pairs that are not clean, with the pairs that meet it, in order of
 * first appearance (pairs row by row, a pair's reasons in order): what grouping gridCellAt's
 * cells by reason gives, read from the pairs' deciding entries without joining each pair's
 * reasons (test/property/verdict-grid.test.ts holds the two equal).
 */
export function gridReasonCells(grid: VerdictGrid, max = Infinity): ReasonCells[] {
  const byCode = codeReasons(grid);
  const out: ReasonCells[] = [];
  // per verdict, each reason's entry
  const byReason = [new Map<Reason, ReasonCells>(), new Map<Reason, ReasonCells>()];
  // entries in the order pairs meet them, so a reason is first met at its first pair, in rule
  // order, at its place in the rule's reasons: the order reading the pairs one by one gives
  for (const d of grid.decidingEntries(max)) {
    const v = d.rank === 2 ? 'fail' : 'unsafe';
    const known = byReason[d.rank === 2 ? 1 : 0]!;
    for (const reason of reasonsOfCode(grid, byCode, d.code, v)) {
      const e = known.get(reason);
      if (!e) {
        const first: ReasonCells = { verdict: v, reason, cells: d.cells, count: d.count };
        known.set(reason, first), out.push(first);
      } else {
        // a pair meets one entry per rule, and a reason belongs to one rule: the lists are disjoint
        e.cells = firstOfBoth(e.cells, d.cells, max);
        e.count += d.count;
      }
    }
  }
  return out;
}

/** The first `max` of two ascending lists, merged. */
function firstOfBoth(a: number[], b: readonly number[], max: number): number[] {
  // entries come in order of their first pair, so b mostly starts after a's first `max` ends
  if (a.length >= max && (!b.length || b[0]! > a[max - 1]!)) return a;
  const out: number[] = [];
  let x = 0;
  let y = 0;
  while (out.length < max && (x < a.length || y < b.length)) out.push(y >= b.length || (x < a.length && a[x]! <= b[y]!) ? a[x++]! : b[y++]!);
  return out;
}

// a fleet grid holds one of these per pair of groups; reasons are grouped only when a renderer reads them
class GridCell implements Cell {
  readonly verdict: Verdict;
  private grouped?: readonly Reason[];
  constructor(
    private readonly grid: VerdictGrid,
    private readonly i: number,
    private readonly j: number,
  ) {
    this.verdict = grid.verdict(i, j);
  }
  get reasons(): readonly Reason[] {
    return this.verdict === 'clean' ? NONE : (this.grouped ??= gridReasons(this.grid, this.i, this.j, this.verdict));
  }
  get source() {
    return this.grid.hosts[this.i]!.name;
  }
  get destination() {
    return this.grid.hosts[this.j]!.name;
  }
  // the findings at the verdict from the grid's lists, worded for the pair: what
  // decisive(assess(…)) gives (test/property/verdict-grid.test.ts), without judging the pair again
  decisive(): readonly Finding[] {
    const v = this.verdict;
    if (v === 'clean') return [];
    const { grid, i, j } = this;
    const ctx = grid.context(i, j);
    const out: Finding[] = [];
    for (let r = 0; r < grid.rules; r++) for (const f of grid.findings(r, i, j)) if (f.severity === v) out.push(worded(f, ctx));
    return out;
  }
}

/** The cell of grid.hosts[i] -> grid.hosts[j]. */
export const gridCellAt = (grid: VerdictGrid, i: number, j: number): Cell => new GridCell(grid, i, j);

/**
 * An assessment whose verdict and reasons come from the pair's judgement and whose findings are
 * worded only when read (the fence's steps: thousands of pairs, shown as verdicts and reasons).
 */
export function judgedAssessment(source: HostModel, destination: HostModel, guest: GuestModel, j: PairJudgement = judgePair(source, destination, guest)): Assessment & { readonly reasons: readonly Reason[] } {
  let full: Assessment | undefined;
  return {
    verdict: j.verdict,
    source: source.name,
    destination: destination.name,
    guest: guest.name,
    reasons: judgedReasons(j),
    get findings() {
      return (full ??= assess(source, destination, guest)).findings;
    },
  };
}
