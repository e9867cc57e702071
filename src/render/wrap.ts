// Word wrap for text output: help (cli) and the fence report's heading share it.

/**
 * Greedy word wrap to lines of at most `width` columns; a word longer than the line stands
 * alone, whole. Continuation lines start with `hang` (counted in the width).
 */
export function wrapWords(text: string, width: number, hang = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${hang}${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}
