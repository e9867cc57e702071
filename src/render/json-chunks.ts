// JSON text in pieces, for reports too large to hold as one string: a fleet matrix's cells
// with their findings are ~375 MB for 200 profiles, near V8's longest string (2^29 - 24
// characters), and several GB of heap when built at once. `Streamed` marks an array whose items
// are made one at a time while the text is written; arrays and plain objects around them are
// walked, and everything else is JSON.stringify's own.
// Written by hand, so test/render/json-chunks.test.ts holds the joined pieces to JSON.stringify
// of the same value (a Streamed stringifies as its items, through toJSON) on random values.

/** An array whose items are made as the JSON is written (items themselves hold no Streamed). */
export class Streamed<T = unknown> {
  constructor(readonly items: () => Iterable<T>) {}
  toJSON(): T[] {
    return [...this.items()];
  }
}

/** What a report renders: its whole text, or its text in pieces (src/cli/context.ts writes them in order). */
export type Rendered = string | Iterable<string>;

// pieces of about this many characters: few writes, little held at once
const PIECE = 1 << 16;

/** JSON.stringify(value, null, indent), in pieces; Streamed arrays' items are stringified one by one. */
export function* jsonChunks(value: unknown, indent = 0): Generator<string> {
  let buf = '';
  function* put(s: string): Generator<string> {
    buf += s;
    if (buf.length >= PIECE) {
      yield buf;
      buf = '';
    }
  }
  // the line break and indentation before a member at `depth` (none without indent)
  const nl = (depth: number) => (indent ? `\n${' '.repeat(indent * depth)}` : '');
  // walked here: a Streamed, or an array or plain object without its own toJSON; anything else
  // is JSON.stringify's to read (a toJSON may even make a member vanish)
  const walked = (x: unknown): x is object =>
    x instanceof Streamed ||
    (x !== null && typeof x === 'object' && typeof (x as { toJSON?: unknown }).toJSON !== 'function' && (Array.isArray(x) || Object.getPrototypeOf(x) === Object.prototype));
  // a value stringified alone, indented to where it stands (undefined when JSON.stringify gives no text)
  const text = (x: unknown, depth: number): string | undefined => {
    const s = JSON.stringify(x, null, indent) as string | undefined;
    return indent && s !== undefined ? s.replaceAll('\n', nl(depth)) : s;
  };
  function* walk(v: object, depth: number): Generator<string> {
    if (v instanceof Streamed || Array.isArray(v)) {
      const items: Iterable<unknown> = v instanceof Streamed ? v.items() : v;
      let first = true;
      for (const x of items) {
        yield* put(`${first ? '[' : ','}${nl(depth + 1)}`);
        first = false;
        // (a Streamed's items are stringified whole)
        if (!(v instanceof Streamed) && walked(x)) yield* walk(x, depth + 1);
        else yield* put(text(x, depth + 1) ?? 'null');
      }
      yield* put(first ? '[]' : `${nl(depth)}]`);
    } else {
      let first = true;
      for (const key of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[key];
        const s = walked(x) ? undefined : text(x, depth + 1);
        if (s === undefined && !walked(x)) continue;
        yield* put(`${first ? '{' : ','}${nl(depth + 1)}${JSON.stringify(key)}:${indent ? ' ' : ''}`);
        first = false;
        if (s === undefined) yield* walk(x as object, depth + 1);
        else yield* put(s);
      }
      yield* put(first ? '{}' : `${nl(depth)}}`);
    }
  }
  if (walked(value)) yield* walk(value, 0);
  else {
    // (undefined alone gives no text)
    const s = text(value, 0);
    if (s !== undefined) yield* put(s);
  }
  if (buf) yield buf;
}
