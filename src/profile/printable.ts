// Text from profiles, file names, probed hosts and the command line reaches terminals, logs
// and Markdown viewers. Control characters (C0, DEL, C1), line/paragraph separators, bidi
// controls and lone surrogates are shown as escapes (\n, \x1b, \u202e), so data can neither
// move the cursor or erase a line, nor fake a `file:line:col` line, nor reorder what is shown.
// Past C0 the escapes are JSON's (\u007f, \u0085, not \x85): JSON.stringify leaves those
// raw, and a JSON line that goes through the same path keeps its meaning.

const BIDI_ETC = '\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069';
const SURROGATE = '[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]';
const ONE_LINE = new RegExp(`[\\x00-\\x1f\\x7f-\\x9f${BIDI_ETC}]|${SURROGATE}`, 'g');
// spaces that look like a space or like nothing: shown in diagnostics, where they are why a key
// that reads "cpu" is unknown
const ODD_SPACE = '\u00a0\u1680\u180e\u2000-\u200d\u202f\u205f\u3000\ufeff';
const ONE_LINE_SPACES = new RegExp(`[\\x00-\\x1f\\x7f-\\x9f${BIDI_ETC}${ODD_SPACE}]|${SURROGATE}`, 'g');
/**
 * What no captured or typed single-line value may hold at all (probe refuses it): what
 * oneLine() escapes but a tab, plus U+FFFD, which stands for bytes that are not UTF-8.
 */
export const UNPRINTABLE = new RegExp(`[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f\\ufffd${BIDI_ETC}]|${SURROGATE}`);
/** the same, but a line feed is the text's own line break */
const MULTI_LINE = new RegExp(`[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f${BIDI_ETC}]|${SURROGATE}`, 'g');
// every character MULTI_LINE (or a `keep` sequence: PAINT_CODES start with ESC) can match is in
// this one class, surrogates whole: most outputs hold none, and a class alone scans 3-6 times as
// fast as MULTI_LINE's alternation with lookarounds (test/render/escaping.test.ts holds the two alike)
const MAYBE_MULTI_LINE = new RegExp(`[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f${BIDI_ETC}\\ud800-\\udfff]`);
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const n = c.charCodeAt(0);
  return n < 0x20 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** A single-line field (a name, a key, a message): every control character escaped, \n included. */
export function oneLine(s: string, { spaces = false } = {}): string {
  return s.replace(spaces ? ONE_LINE_SPACES : ONE_LINE, escape);
}

/**
 * A whole output: everything but its line feeds escaped. `keep` matches sequences the
 * caller wrote itself and that must pass (the colour codes of render/style.ts).
 */
export function printableText(s: string, keep?: RegExp): string {
  if (!MAYBE_MULTI_LINE.test(s)) return s;
  if (!keep) return s.replace(MULTI_LINE, escape);
  const re = new RegExp(`${keep.source}|${MULTI_LINE.source}`, 'g');
  return s.replace(re, (m) => (m.length > 1 ? m : escape(m)));
}
