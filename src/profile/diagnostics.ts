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
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
  }
}

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

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = input.toLowerCase();
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

export const hint = (input: string, candidates: Iterable<string>) => {
  const m = didYouMean(input, candidates);
  return m ? ` (did you mean '${m}'?)` : '';
};
