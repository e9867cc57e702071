// Hand-written for speed: a Fleet whose `hosts` are written one flow mapping a line, as
// inventories and `migcheck fleet add` write them,
//   - { host: hosts/a.yaml, nodes: [node-1, node-2], upgradeTo: hosts/b.yaml }
//   - { host: hosts/c.yaml, count: 4 }
// read straight into entry columns: each distinct host reference once (a line's reference is
// compared with a guess first, looked up in a map when it misses: see hostRef), the node names,
// the counts. No parse object a line, no schema pass over the entries: a line is read only when
// the Fleet schema accepts it as written (keys host, nodes, upgradeTo, count, at most once each,
// host given, count or nodes not both, node names as the schema's pattern, lengths within its
// limits) and YAML 1.2 reads it as the words it holds; a node listed twice is declined too. Any
// other line, spacing, comment or character declines the whole document (undefined), and the
// library path (load.ts, quick-yaml.ts, the schema, resolve.ts fleetDoc) reads it and reports
// what is wrong, so problems are worded and located as before. The rest of the document (its
// keys outside `hosts`) is read by quickParse. test/property/fleet-lines.test.ts proves this
// equal to the library path: the same data as YAML 1.2 and the schema give, or declined; and
// the same fleet model, or the same error, through the Resolver.
import { MAX_FLOW_ITEMS, MAX_NESTING } from './limits.js';
import { CORE_NUMBER, NOT_WORDS, quickParse } from './quick-yaml.js';
// the Fleet schema's own limits, so the reader cannot drift from it
import { fleetEntryLimits } from './schema-problems.js';

export interface FleetLines {
  /** the document's other keys (apiVersion, kind, name, description, guests), `hosts` an empty list */
  readonly header: Record<string, unknown>;
  /** the distinct host references (host and upgradeTo values), in the order the entries first name them */
  readonly refs: readonly string[];
  /** entries */
  readonly length: number;
  /** per entry: its host, an index into refs */
  readonly host: Int32Array;
  /** per entry: its upgradeTo, an index into refs, or -1 */
  readonly upgradeTo: Int32Array;
  /** per entry: its count, or 0 when not given */
  readonly count: Int32Array;
  /** per entry: its node names, when listed */
  readonly nodes: (string[] | undefined)[];
}

// character classes, by code (ASCII only): a reference is a YAML plain word a profile path or
// name is written as (quick-yaml's LINE_TOKEN), a node name as the Fleet schema has it
const REF_FIRST = 1;
const REF = 2;
const NODE = 4;
const ALNUM = 8;
const DIGIT = 16;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const digit = c >= 48 && c <= 57;
  CLASS[c] =
    (letter || ch === '_' || ch === '/' ? REF_FIRST : 0) |
    (letter || digit || '_./+-'.includes(ch) ? REF : 0) |
    (letter || digit || '._-'.includes(ch) ? NODE : 0) |
    (letter || digit ? ALNUM : 0) |
    (digit ? DIGIT : 0);
}
const cls = (c: number) => (c < 128 ? CLASS[c]! : 0);

const notWord = (w: string) => w.length <= 5 && NOT_WORDS.has(w);

// deeper than load.ts screen allows (two spaces a level) is the library path's to refuse
const MAX_INDENT = 2 * MAX_NESTING;

const DECLINE = -1;
const REJECT = -2;

/** a column at twice its length, the new half `fill` */
function grown(a: Int32Array, fill = 0): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  if (fill) b.fill(fill, a.length);
  b.set(a);
  return b;
}

/** The entries being read: columns that grow, and the references seen. */
class Columns {
  length = 0;
  host = new Int32Array(1024);
  upgradeTo = new Int32Array(1024);
  count = new Int32Array(1024);
  nodes: (string[] | undefined)[] = [];
  refs: string[] = [];
  private readonly index = new Map<string, number>();
  // guesses, each checked by one comparison (hostRef() and upgradeRef() say why)
  /** per reference: the upgradeTo last read with it as host, or -1 */
  private upgradeOf = new Int32Array(256).fill(-1);
  /** per reference: the host of the line after the last line it was the host of, or -1 */
  private hostAfter = new Int32Array(256).fill(-1);
  /** the host of the line before, or -1 */
  private lastHost = -1;
  /** every node name read, to decline a name listed twice */
  private readonly seen = new Set<string>();

  row(): number {
    const k = this.length++;
    if (k === this.host.length) {
      this.host = grown(this.host);
      this.upgradeTo = grown(this.upgradeTo);
      this.count = grown(this.count);
    }
    this.upgradeTo[k] = -1;
    this.count[k] = 0;
    this.nodes.push(undefined);
    return k;
  }

  /** the index of reference r (a REF word), added when new; DECLINE when it is not a word YAML reads as itself */
  ref(r: string): number {
    const known = this.index.get(r);
    if (known !== undefined) return known;
    if (r.length > fleetEntryLimits.ref || notWord(r)) return DECLINE;
    this.index.set(r, this.refs.length);
    if (this.refs.length === this.upgradeOf.length) {
      this.upgradeOf = grown(this.upgradeOf, -1);
      this.hostAfter = grown(this.hostAfter, -1);
    }
    return this.refs.push(r) - 1;
  }

  /**
   * ref(r) for a line's host. Inventories list hosts in runs of one profile, or in one order of
   * profiles again and again, so r is first compared with the host that followed the line
   * before's host last time: one comparison in place of the map's lookup, which hashes the
   * reference (each of 100,000 is a new string) and cost some 900 instructions a line.
   */
  hostRef(r: string): number {
    const before = this.lastHost;
    if (before >= 0) {
      const guess = this.hostAfter[before]!;
      if (guess >= 0 && this.refs[guess] === r) return (this.lastHost = guess);
    }
    const h = this.ref(r);
    if (h === DECLINE) return h;
    if (before >= 0) this.hostAfter[before] = h;
    return (this.lastHost = h);
  }

  /** ref(r) for the upgradeTo of an entry whose host is h: hosts of one profile are upgraded to one target, so r is first compared with the one h was last read with (hostRef() says why) */
  upgradeRef(r: string, h: number): number {
    const last = this.upgradeOf[h]!;
    if (last >= 0 && this.refs[last] === r) return last;
    const u = this.ref(r);
    if (u !== DECLINE) this.upgradeOf[h] = u;
    return u;
  }

  /** node name n (of the schema's characters) taken, unless the schema or YAML reads it otherwise, or it was listed before */
  node(n: string): boolean {
    const last = n.length - 1;
    const first = cls(n.charCodeAt(0));
    if (last >= fleetEntryLimits.node || !(first & ALNUM) || !(cls(n.charCodeAt(last)) & ALNUM)) return false;
    if (first & DIGIT ? CORE_NUMBER.test(n) : notWord(n)) return false;
    // a Set, natively: a table of JavaScript hashes cost 10,000 names three times as much (it
    // runs interpreted) and 100,000 as much
    const size = this.seen.size;
    return this.seen.add(n).size !== size;
  }

  /**
   * The node names of v, names joined by `, ` (a shape matched it), each taken as node() takes
   * it, or undefined. The list is made at its length: an array grown by push keeps room for 16,
   * and 100,000 one-name lists held 13 MB more, all of it copied by the scavenger.
   */
  nodeList(v: string): string[] | undefined {
    if (v.indexOf(',') < 0) return this.node(v) ? [v] : undefined;
    const list = v.split(', ');
    if (list.length > MAX_FLOW_ITEMS) return undefined;
    for (let i = 0; i < list.length; i++) if (!this.node(list[i]!)) return undefined;
    return list;
  }
}

/** where the reference starting at s[p] ends, or DECLINE */
function refEnd(s: string, p: number): number {
  if (!(cls(s.charCodeAt(p)) & REF_FIRST)) return DECLINE;
  let q = p + 1;
  while (cls(s.charCodeAt(q)) & REF) q++;
  return q;
}

/** where the node name starting at s[p] ends, or DECLINE (not the schema's pattern) */
function nodeEnd(s: string, p: number): number {
  if (!(cls(s.charCodeAt(p)) & ALNUM)) return DECLINE;
  let q = p + 1;
  while (cls(s.charCodeAt(q)) & NODE) q++;
  return cls(s.charCodeAt(q - 1)) & ALNUM ? q : DECLINE;
}

// keys, in the order a line has them (the shapes below are made from that order)
const HOST = 0;
const UPGRADE = 1;
const NODES = 2;
const COUNT = 3;

/**
 * One entry line's mapping, `{ k: v, ... }` from s[p] (a `{`), into row k, character by
 * character; where the line's `}` ends, or DECLINE. `order` gets the keys as written.
 */
function entry(s: string, p: number, cols: Columns, k: number, order: number[]): number {
  if (s.charCodeAt(p + 1) !== 32) return DECLINE;
  p += 2;
  let keys = 0;
  for (;;) {
    const c = s.charCodeAt(p);
    let q: number;
    if (c === 104 /* h */ || c === 117 /* u */) {
      const up = c === 117;
      const key = up ? 'upgradeTo: ' : 'host: ';
      const bit = up ? 2 : 1;
      if (keys & bit || !s.startsWith(key, p)) return DECLINE;
      keys |= bit;
      order.push(up ? UPGRADE : HOST);
      q = refEnd(s, p + key.length);
      if (q === DECLINE) return DECLINE;
      const r = cols.ref(s.slice(p + key.length, q));
      if (r === DECLINE) return DECLINE;
      (up ? cols.upgradeTo : cols.host)[k] = r;
    } else if (c === 110 /* n */) {
      if (keys & 12 || !s.startsWith('nodes: [', p)) return DECLINE;
      keys |= 4;
      order.push(NODES);
      const list: string[] = [];
      q = p + 8;
      for (;;) {
        const e = nodeEnd(s, q);
        if (e === DECLINE) return DECLINE;
        const n = s.slice(q, e);
        if (list.length >= MAX_FLOW_ITEMS || !cols.node(n)) return DECLINE;
        list.push(n);
        const d = s.charCodeAt(e);
        if (d === 93 /* ] */) {
          q = e + 1;
          break;
        }
        if (d !== 44 || s.charCodeAt(e + 1) !== 32) return DECLINE;
        q = e + 2;
      }
      // at its length (nodeList says why)
      cols.nodes[k] = list.slice();
    } else if (c === 99 /* c */) {
      if (keys & 12 || !s.startsWith('count: ', p)) return DECLINE;
      keys |= 8;
      order.push(COUNT);
      q = p + 7;
      let n = 0;
      const from = q;
      while (cls(s.charCodeAt(q)) & DIGIT) n = n * 10 + (s.charCodeAt(q++) - 48);
      // YAML's integer, and the schema's range
      if (q === from || (s.charCodeAt(from) === 48 && q - from > 1) || q - from > 7 || n < 1 || n > fleetEntryLimits.count) return DECLINE;
      cols.count[k] = n;
    } else return DECLINE;
    const d = s.charCodeAt(q);
    if (d === 44 && s.charCodeAt(q + 1) === 32) {
      p = q + 2;
      continue;
    }
    if (d !== 32 || s.charCodeAt(q + 1) !== 125) return DECLINE;
    return keys & 1 ? q + 2 : DECLINE;
  }
}

// Shapes: a list's lines repeat one form, the same keys in the same order. A line read by
// entry() teaches its order as one sticky regular expression, a group per value, and the next
// lines are tried against it first: one native match a line in place of a JavaScript loop per
// character (which runs several times slower). Each group accepts exactly what entry() reads:
// a reference is a REF word, a count 1 to 7 digits without a leading zero, a list of node names
// the schema's pattern separated by `, `; what a group cannot say (lengths, ranges, words YAML
// reads as booleans, nulls or numbers, a node listed twice) is checked on the value.
const SHAPE_VALUE = ['([A-Za-z_/][A-Za-z0-9_./+-]*)', '([A-Za-z_/][A-Za-z0-9_./+-]*)', '([A-Za-z0-9._-]+(?:, [A-Za-z0-9._-]+)*)', '([1-9][0-9]{0,6})'];
const SHAPE_KEY = ['host: ', 'upgradeTo: ', 'nodes: [', 'count: '];
const SHAPE_AFTER = ['', '', '\\]', ''];
const MAX_SHAPES = 8;
interface Shape {
  readonly re: RegExp;
  readonly order: readonly number[];
}

function shapeOf(order: readonly number[], indent: number): Shape {
  const body = order.map((key) => `${SHAPE_KEY[key]!.replace('[', '\\[')}${SHAPE_VALUE[key]}${SHAPE_AFTER[key]}`).join(', ');
  return { re: new RegExp(`${' '.repeat(indent)}- \\{ ${body} \\}(?:\\n|$)`, 'y'), order: [...order] };
}

/** the line at s[p] read by shape into a new row: where the next line starts, DECLINE when the shape does not match, REJECT when a value is not taken (entry() would not take it either) */
function shaped(shape: Shape, s: string, p: number, cols: Columns): number {
  const { re, order } = shape;
  re.lastIndex = p;
  const m = re.exec(s);
  if (m === null) return DECLINE;
  const k = cols.row();
  // the host's reference, once read (when the shape has it before upgradeTo)
  let host = -1;
  for (let g = 0; g < order.length; g++) {
    const v = m[g + 1]!;
    const key = order[g]!;
    if (key === HOST) {
      const r = cols.hostRef(v);
      if (r === DECLINE) return REJECT;
      cols.host[k] = host = r;
    } else if (key === UPGRADE) {
      const r = host < 0 ? cols.ref(v) : cols.upgradeRef(v, host);
      if (r === DECLINE) return REJECT;
      cols.upgradeTo[k] = r;
    } else if (key === NODES) {
      const list = cols.nodeList(v);
      if (list === undefined) return REJECT;
      cols.nodes[k] = list;
    } else {
      const n = Number(v);
      if (n > fleetEntryLimits.count) return REJECT;
      cols.count[k] = n;
    }
  }
  return re.lastIndex;
}

/** The document's hosts read into columns and its other keys by quickParse, or undefined (header). */
export function readFleetLines(text: string): FleetLines | undefined {
  // `hosts:` alone on its line, at the start of a line: the list follows it
  const at = text.startsWith('hosts:\n') ? 0 : text.indexOf('\nhosts:\n') + 1;
  if (at <= 0 && !text.startsWith('hosts:\n')) return undefined;
  const first = at + 7;
  let indent = 0;
  while (text.charCodeAt(first + indent) === 32) indent++;
  if (indent > MAX_INDENT || text.charCodeAt(first + indent) !== 45) return undefined;
  const cols = new Columns();
  const shapes: Shape[] = [];
  const order: number[] = [];
  // the list's lines: each `<indent>- { … }`; the first line that does not start so ends it
  let p = first;
  lines: for (;;) {
    for (let t = 0; t < shapes.length; t++) {
      const next = shaped(shapes[t]!, text, p, cols);
      if (next === REJECT) return undefined;
      if (next !== DECLINE) {
        p = next;
        continue lines;
      }
    }
    let i = 0;
    while (i < indent && text.charCodeAt(p + i) === 32) i++;
    if (i < indent || text.charCodeAt(p + i) !== 45 || text.charCodeAt(p + i + 1) !== 32) break;
    // a `- ` line of this list that is not an entry line: the library path's
    if (text.charCodeAt(p + i + 2) !== 123) return undefined;
    order.length = 0;
    const end = entry(text, p + i + 2, cols, cols.row(), order);
    if (end === DECLINE) return undefined;
    if (end !== text.length && text.charCodeAt(end) !== 10) return undefined;
    if (shapes.length < MAX_SHAPES) shapes.push(shapeOf(order, indent));
    if (end === text.length) {
      p = end;
      break;
    }
    p = end + 1;
  }
  if (cols.length === 0) return undefined;
  // the other keys, the list left out: a line after it that still belongs to it (a comment, a
  // deeper line, another item form) makes quickParse decline, as it does a `hosts` key twice
  const header = quickParse(`${text.slice(0, first - 1)} []\n${text.slice(p)}`);
  if (!header || !Array.isArray(header.hosts) || header.hosts.length) return undefined;
  return { header, refs: cols.refs, length: cols.length, host: cols.host, upgradeTo: cols.upgradeTo, count: cols.count, nodes: cols.nodes };
}

/** entry k as the document's data has it (what YAML 1.2 reads for its line) */
export function entryData(f: FleetLines, k: number): { host: string; count?: number; nodes?: string[]; upgradeTo?: string } {
  const u = f.upgradeTo[k]!;
  const nodes = f.nodes[k];
  const count = f.count[k]!;
  return { host: f.refs[f.host[k]!]!, ...(nodes ? { nodes } : {}), ...(count ? { count } : {}), ...(u >= 0 ? { upgradeTo: f.refs[u]! } : {}) };
}
