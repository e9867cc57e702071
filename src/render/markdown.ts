// Profile text inside Markdown reports: it must stay text. A name or message could
// otherwise open raw HTML (`<img onerror=…>`), a link, a code span or emphasis, end a table
// cell, or close the code fence a Guest profile is shown in.
import { oneLine } from '../profile/printable.js';

// `<` is what opens HTML and autolinks (`>` alone cannot, and reads as an arrow in "a -> b");
// `_` inside a word never forms emphasis (ARM64_WORKAROUND_1418040 stays as it is)
const MARKUP = /[\\`*~[\]<&|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;

/** Text for a table cell, list item or heading: one line, no markup of its own. */
export const mdCell = (s: string) =>
  oneLine(s.replace(/\r?\n/g, ' ').replace(MARKUP, (c) => (c === '<' ? '&lt;' : c === '&' ? '&amp;' : `\\${c}`)));

/** A fenced code block whose fence no line of `body` can close. */
export function mdFence(body: string, lang = ''): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${body}\n${fence}`;
}
