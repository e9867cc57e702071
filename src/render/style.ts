// Colour only when asked for (TTY, no NO_COLOR, no --no-color); renderers stay pure.
import type { Severity, Verdict } from '../model.js';

export interface Style {
  readonly color: boolean;
}

const CODES: Record<string, [number, number]> = { red: [31, 39], yellow: [33, 39], green: [32, 39], dim: [2, 22], bold: [1, 22] };

/** exactly the sequences paint() writes: the one terminal control the output-level escape lets through */
export const PAINT_CODES = new RegExp(`\u001b\\[(?:${[...new Set(Object.values(CODES).flat())].join('|')})m`);

export function paint(style: Style, color: keyof typeof CODES, text: string): string {
  if (!style.color) return text;
  const [a, b] = CODES[color]!;
  return `\u001b[${a}m${text}\u001b[${b}m`;
}

export const verdictColor = (v: Verdict | Severity) => (v === 'fail' ? 'red' : v === 'unsafe' ? 'yellow' : v === 'clean' ? 'green' : 'dim');

export const WORKS: Record<Verdict, string> = { clean: 'YES', unsafe: 'YES*', fail: 'NO' };
/** the same words for compact grids */
export const SHORT_WORKS: Record<Verdict, string> = { clean: 'Y', unsafe: 'Y*', fail: 'N' };
