// Map a JSON pointer into a parsed YAML document back to line:col. Both ways are cheap per
// diagnostic: a mapping's keys are indexed once (not scanned per key), and a document the fast
// reader took is located by scanning its lines, without the full parser (~40 µs a line), and
// inside a one-line flow value by the fast reader's item split (flowColumn). Both hand-written
// paths are held to locate() on the full parse: test/profile/slow-inputs.test.ts (every path of
// every shipped profile and fixture) and test/property/flow-locate.test.ts (generated values).
import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import { yamlLib } from './yaml-lib.js';
import { KEY, items } from './quick-yaml.js';

interface Position {
  readonly line: number;
  readonly col: number;
}

const keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, seg: string): Pair | undefined {
  const { isScalar } = yamlLib();
  let idx = keyIndex.get(map);
  if (!idx) {
    idx = new Map();
    for (const p of map.items as Pair[]) {
      const k = isScalar(p.key) ? String(p.key.value) : String(p.key);
      if (!idx.has(k)) idx.set(k, p);
    }
    keyIndex.set(map, idx);
  }
  return idx.get(seg);
}

export function locate(doc: Document, lc: LineCounter, segs: readonly string[], preferKey = false): Position {
  const { isAlias, isMap, isSeq } = yamlLib();
  let node = doc.contents as Node | null | undefined;
  let keyNode: Node | undefined;
  let last: Node | undefined = node ?? undefined;
  for (const seg of segs) {
    if (isAlias(node)) node = node.resolve(doc) as Node | undefined;
    let next: Node | undefined;
    keyNode = undefined;
    if (isMap(node)) {
      const pair = pairOf(node, seg);
      if (pair) {
        keyNode = pair.key as Node;
        next = (pair.value ?? pair.key) as Node;
      }
    } else if (isSeq(node)) {
      next = node.items[Number(seg)] as Node | undefined;
    }
    if (!next) break; // closest existing ancestor
    last = next;
    node = next;
  }
  const target = preferKey && keyNode ? keyNode : last;
  const offset = target?.range?.[0] ?? 0;
  const { line, col } = lc.linePos(offset);
  return { line, col };
}

/**
 * The same positions for a document inside the fast reader's subset (quick-yaml.ts: block
 * mappings by indentation, lists of one-line flow values, `>`/`|` scalars, full-line
 * comments), found by scanning lines; a one-line flow value is handed to the full parser
 * alone. Undefined when the text does not look like that subset (the caller parses fully).
 */
import { MAX_FLOW_ITEMS } from './limits.js';
export { MAX_FLOW_ITEMS };

/** more commas than MAX_FLOW_ITEMS allows, counted cheaply (quotes ignored: a bound, not a parse) */
function tooManyItems(text: string): boolean {
  let commas = 0;
  for (let i = text.indexOf(','); i >= 0; i = text.indexOf(',', i + 1)) if (++commas >= MAX_FLOW_ITEMS) return true;
  return false;
}

/**
 * Where locate() puts `segs` inside a one-line flow value of the fast reader's subset (`{ host:
 * a, count: 0 }`, `[A, B]`, nested), as a 0-based column, found with the fast reader's own item
 * split and without the YAML parser (a fleet's problems are inside such lines, and the parser
 * is 260 KB to load). The same rules: the closest existing ancestor, the key when preferKey.
 * Undefined for anything it does not know (the caller parses the value).
 */
export function flowColumn(s: string, segs: readonly string[], preferKey: boolean): number | undefined {
  let a = 0;
  let b = s.length;
  let key: number | undefined;
  for (const seg of segs) {
    key = undefined;
    const open = s.charCodeAt(a);
    if (open !== 91 && open !== 123) break; // a scalar has no children
    if (b - a < 2 || s.charCodeAt(b - 1) !== (open === 91 ? 93 : 125)) return undefined;
    const parts = items(s, a + 1, b - 1);
    if (!parts) return undefined;
    if (open === 91) {
      // as YAMLSeq.items[Number(seg)]
      const i = Number(seg);
      if (!Number.isInteger(i) || i < 0 || 2 * i >= parts.length) break;
      [a, b] = [parts[2 * i]!, parts[2 * i + 1]!];
      continue;
    }
    let found = false;
    for (let k = 0; k < parts.length; k += 2) {
      const ps = parts[k]!;
      const pe = parts[k + 1]!;
      const colon = s.indexOf(':', ps);
      if (colon <= ps || colon + 1 >= pe || s.charCodeAt(colon + 1) !== 32 || !KEY.test(s.slice(ps, colon))) return undefined;
      if (colon - ps !== seg.length || !s.startsWith(seg, ps)) continue;
      let from = colon + 2;
      while (from < pe && s.charCodeAt(from) === 32) from++;
      if (from >= pe) return undefined;
      [key, a, b, found] = [ps, from, pe, true];
      break;
    }
    if (!found) break;
  }
  return preferKey && key !== undefined ? key : a;
}

export function quickLocator(text: string): (segs: readonly string[], preferKey?: boolean) => Position | undefined {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const n = starts.length;
  const raw = (l: number) => {
    const s = text.slice(starts[l], l + 1 < n ? starts[l + 1]! - 1 : text.length);
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  };
  /** indent and content of a line that is neither blank nor a comment */
  type Sig = { indent: number; body: string; r: string } | null;
  const sigs: Sig[] = [];
  const sig = (l: number) => {
    let s = sigs[l];
    if (s === undefined) {
      const r = raw(l);
      const body = r.replace(/^ +/, '');
      s = sigs[l] = body === '' || body.startsWith('#') ? null : { indent: r.length - body.length, body: body.endsWith(' ') ? body.replace(/ +$/, '') : body, r };
    }
    return s ?? undefined;
  };
  const nextSig = (from: number, to: number) => {
    for (let l = from; l < to; l++) if (sig(l)) return l;
    return -1;
  };
  /** lines [from, to) of a block whose lines are indented `indent`: up to the first line less indented (or, for a list at its key's indent, not a list item) */
  const ends = new Map<number, number>();
  const blockEnd = (from: number, to: number, parentIndent: number, sameIndentList: boolean) => {
    let end = ends.get(from);
    if (end !== undefined) return end;
    end = to;
    for (let l = from; l < to; l++) {
      // sig()'s indent and first character, read in place: a 100,000-item list is walked to its end
      const start = starts[l]!;
      let stop = l + 1 < n ? starts[l + 1]! - 1 : text.length;
      if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
      let p = start;
      while (p < stop && text.charCodeAt(p) === 32) p++;
      if (p === stop || text.charCodeAt(p) === 35) continue; // blank, or a comment
      const indent = p - start;
      if (indent < parentIndent || (indent === parentIndent && !(sameIndentList && text.charCodeAt(p) === 45))) {
        end = l;
        break;
      }
    }
    ends.set(from, end);
    return end;
  };

  /** a block's keys and list items, indexed as far as lookups have needed (a 100,000-item list is scanned once, not once a lookup) */
  type Index = { keys: Map<string, RegExpExecArray & { line: number }>; items: number[]; next: number; to: number; indent: number };
  const blocks = new Map<number, Index>();
  const scan = (b: Index, done: () => boolean) => {
    while (!done() && b.next < b.to) {
      const l = b.next++;
      const s = sig(l);
      if (!s || s.indent !== b.indent) continue;
      if (s.body.startsWith('-')) b.items.push(l);
      const m = /^([^:]+):(?: (.*))?$/.exec(s.body);
      if (m && !b.keys.has(m[1]!)) b.keys.set(m[1]!, Object.assign(m, { line: l }));
    }
  };
  const blockIndex = (from: number, to: number, indent: number) => {
    let b = blocks.get(from);
    if (!b) blocks.set(from, (b = { keys: new Map(), items: [], next: from, to, indent }));
    const index = b;
    return {
      item: (i: number) => (scan(index, () => index.items.length > i), index.items[i]),
      key: (k: string) => (scan(index, () => index.keys.has(k)), index.keys.get(k)),
    };
  };

  const flows = new Map<number, { doc: Document; lc: LineCounter }>();
  return (segs, preferKey = false) => {
    type Here = { kind: 'block'; from: number; to: number; indent: number } | { kind: 'flow'; line: number; col: number; text: string } | { kind: 'scalar' };
    const first = nextSig(0, n);
    if (first < 0) return undefined;
    let here: Here = { kind: 'block', from: first, to: n, indent: sig(first)!.indent };
    let last: Position = { line: first + 1, col: here.indent + 1 };
    let key: Position | undefined;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      key = undefined;
      if (here.kind === 'scalar') break;
      if (here.kind === 'flow') {
        // the rest of the path lies inside one line: the full parser on that value alone, once
        // a line (problems come by the thousand), and not on a collection too long for it
        // (the full parse of the file then refuses it, located)
        if (tooManyItems(here.text)) return undefined;
        const col = flowColumn(here.text, segs.slice(i), preferKey);
        if (col !== undefined) return { line: here.line, col: here.col + col };
        let parsed = flows.get(here.line);
        if (!parsed) {
          const { LineCounter, parseDocument } = yamlLib();
          const lc = new LineCounter();
          flows.set(here.line, (parsed = { lc, doc: parseDocument(here.text, { lineCounter: lc, version: '1.2', stringKeys: true, uniqueKeys: false }) }));
        }
        const { doc, lc } = parsed;
        if (doc.errors.length) return undefined;
        const p = locate(doc, lc, segs.slice(i), preferKey);
        return p.line === 1 ? { line: here.line, col: here.col + p.col - 1 } : undefined;
      }
      const from: number = here.from;
      const to: number = here.to;
      const indent: number = here.indent;
      const isList = sig(from)!.body.startsWith('-');
      let found = -1;
      let rest = '';
      let restCol = 0;
      const index = blockIndex(from, to, indent);
      if (isList) {
        if (!/^\d+$/.test(seg)) break;
        const l = index.item(Number(seg));
        if (l !== undefined) {
          const s = sig(l)!;
          found = l;
          rest = s.body.slice(1).replace(/^ +/, '');
          restCol = s.r.length - s.r.replace(/^ *- */, '').length;
        }
      } else {
        const m = index.key(seg);
        if (m) {
          const s = sig(m.line)!;
          found = m.line;
          key = { line: found + 1, col: indent + 1 };
          rest = (m[2] ?? '').replace(/^ +/, '');
          restCol = rest ? s.r.indexOf(rest, indent + m[1]!.length + 1) : 0;
        }
      }
      if (found < 0) break;
      if (rest === '') {
        if (isList) return undefined; // not the subset: list items are one-line values
        const child = nextSig(found + 1, to);
        const c = child < 0 ? undefined : sig(child)!;
        if (!c || c.indent < indent || (c.indent === indent && !c.body.startsWith('-'))) return undefined; // `key:` alone is null: the full parser knows
        here = { kind: 'block', from: child, to: blockEnd(child, to, indent, c.indent === indent), indent: c.indent };
        last = { line: child + 1, col: c.indent + 1 };
      } else {
        last = { line: found + 1, col: restCol + 1 };
        here = rest === '>' || rest === '|' || !/^[[{]/.test(rest) ? { kind: 'scalar' } : { kind: 'flow', line: found + 1, col: restCol + 1, text: rest };
      }
    }
    return preferKey && key ? key : last;
  };
}
