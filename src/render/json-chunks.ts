// JSON text in pieces, for reports too large to hold as one string: a fleet matrix's cells
// with their findings are ~375 MB for 200 profiles, near V8's longest string (2^29 - 24
// characters), and several GB of heap when built at once. `Streamed` marks an array whose items
// are made one at a time while the text is written; everything else is JSON.stringify's own.
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

/** JSON.stringify(value), in pieces; Streamed arrays' items are stringified one by one. */
export function* jsonChunks(value: unknown): Generator<string> {
  let buf = '';
  function* put(s: string): Generator<string> {
    buf += s;
    if (buf.length >= PIECE) {
      yield buf;
      buf = '';
    }
  }
  function* walk(v: unknown): Generator<string> {
    if (v instanceof Streamed) {
      yield* put('[');
      let first = true;
      for (const item of v.items()) {
        yield* put(`${first ? '' : ','}${JSON.stringify(item) ?? 'null'}`);
        first = false;
      }
      yield* put(']');
    } else if (Array.isArray(v)) {
      yield* put('[');
      for (let i = 0; i < v.length; i++) {
        if (i) yield* put(',');
        const x = v[i];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') yield* put('null');
        else yield* walk(x);
      }
      yield* put(']');
    } else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      yield* put('{');
      let first = true;
      for (const key of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[key];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        yield* put(`${first ? '' : ','}${JSON.stringify(key)}:`);
        first = false;
        yield* walk(x);
      }
      yield* put('}');
    } else {
      // (undefined alone: JSON.stringify gives no text)
      const s = JSON.stringify(v) as string | undefined;
      if (s !== undefined) yield* put(s);
    }
  }
  yield* walk(value);
  if (buf) yield buf;
}
