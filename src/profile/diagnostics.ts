// Bad input is reported as `file:line:col: key.path: message`, one line each, exit 3.
import { oneLine } from './printable.js';

export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** dotted key path inside the document, e.g. kernel.psci.versions[1] */
  readonly path: string;
  readonly message: string;
}

export class InputError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    const capped = capDiagnostics(diagnostics);
    super(capped.map(formatDiagnostic).join('\n'));
    this.diagnostics = capped;
  }
}

/** At most this many problems are reported per file; then one line says how many more. */
export const MAX_DIAGNOSTICS = 20;

/** The "… and N more problems in this file" line (located at the first one left out). */
export interface MoreDiagnostic extends Diagnostic {
  readonly more: number;
}
const moreOf = (d: Diagnostic) => (d as Partial<MoreDiagnostic>).more ?? 0;
/** 49980 -> "49,980": by hand, as toLocaleString's first call starts ICU (~50 ms) for one number */
export const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');
export const moreLine = (at: Diagnostic, more: number): MoreDiagnostic => ({ file: at.file, line: at.line, col: at.col, path: '', message: `… and ${thousands(more)} more problem${more === 1 ? '' : 's'} in this file`, more });

/** The first `max` problems of each file, in order, then one "and N more" line per file. */
function capDiagnostics(diags: readonly Diagnostic[], max = MAX_DIAGNOSTICS): readonly Diagnostic[] {
  const kept = new Map<string, number>();
  const extra = new Map<string, { at: Diagnostic; more: number }>();
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const n = kept.get(d.file) ?? 0;
    const more = moreOf(d);
    if (!more && n < max) {
      kept.set(d.file, n + 1);
      out.push(d);
      continue;
    }
    const e = extra.get(d.file);
    if (e) e.more += more || 1;
    else extra.set(d.file, { at: d, more: more || 1 });
  }
  for (const { at, more } of extra.values()) out.push(moreLine(at, more));
  return out;
}

/** A value quoted in a message, shortened: a name is never this long, and a line should stay a line. */
export const clip = (s: string, max = 80) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** A usage problem outside any file (a bad flag, an unknown name on the command line). */
export class UsageError extends Error {}

/** One line whatever the file name, key or value quoted in it holds, odd spaces shown (printable.ts). */
export function formatDiagnostic(d: Diagnostic): string {
  return oneLine(`${d.file}:${d.line}:${d.col}: ${d.path || '(document)'}: ${d.message}`, { spaces: true });
}

/** JSON pointer segments -> kernel.psci.versions[1] */
export function dottedPath(segs: readonly (string | number)[]): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number' || /^\d+$/.test(String(s))) out += `[${s}]`;
    else out += out ? `.${s}` : String(s);
  }
  return out;
}

/** Edit distance, or `limit + 1` as soon as it must exceed `limit` (a band of the table). */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    let best = row[0];
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
      if (row[j]! < best) best = row[j]!;
    }
    if (best > limit) return limit + 1;
  }
  return row[b.length]!;
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(input.length / 3));
  // names are short: an input this long is no misspelling of one (and would cost its length squared)
  if (input.length > 256) return undefined;
  let best: string | undefined;
  let bestD = limit + 1;
  const lower = input.toLowerCase();
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase(), bestD - 1);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

export const hint = (input: string, candidates: Iterable<string>) => {
  const m = didYouMean(input, candidates);
  return m ? ` (did you mean '${m}'?)` : '';
};
