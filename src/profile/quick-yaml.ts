// A fast reader for the plain subset profiles, inventories and `migcheck probe` output are
// written in: block mappings nested by indentation, block lists, one-line flow lists and
// mappings, scalars that are words, integers, true/false or double-quoted strings without
// escapes other than \" and \\, and plain `>`/`|` block scalars. Full-line comments are skipped.
// Anything outside the subset (single quotes, anchors, tags, block scalars, trailing
// comments, duplicate keys, tabs, scalars YAML would read as floats or nulls) returns
// undefined and the full YAML parser runs, so the data is always what YAML 1.2 would give
// (test/property/flow-line.test.ts holds it to that, shaped lines included). The full parser
// costs ~40 µs per host line and a cold start of ~15 ms per process; this ~1 µs per line.
// Whitespace is ASCII here: YAML 1.2 separates with space and tab only, and reads NBSP,
// U+3000, a BOM, \v, \f… as content where JS trim() and \s would drop them,
// so any text holding such a character (or a control character, a lone CR, a lone surrogate)
// is declined as a whole, and the trims below strip spaces only.

// plain scalars the subset reads: no indicator first, no `:` or `#` anywhere, no tabs; in flow
// context also no `,[]{}`; then YAML 1.2 core decides: ints, floats, booleans, nulls
import { MAX_FLOW_ITEMS, MAX_NESTING } from './limits.js';

const PLAIN_BLOCK = /^[A-Za-z0-9_/(][^\t:#]*$/;
const PLAIN_FLOW = /^[A-Za-z0-9_/(][^\t:#,[\]{}]*$/;
const RESERVED = /^(?:True|TRUE|False|FALSE|null|Null|NULL|~)$/;
export const CORE_NUMBER = /^[-+]?(?:0o[0-7]+|0x[0-9a-fA-F]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;
const INT = /^(?:0|[1-9][0-9]{0,14})$/;

/**
 * /^"((?:[^"\\\x00-\x1f\x7f]|\\["\\])*)"$/ and its body with \" and \\ unescaped, as one
 * scan; undefined if it does not match. It and KEY are string tests, not expressions: the
 * gate reads ~100 keys and quoted scalars, and each expression cost its start ~50-100 us to
 * compile (twice: V8 compiles it natively on its second use). test/profile/plain-matchers.test.ts
 * holds both to the expressions.
 */
export function unquoted(s: string): string | undefined {
  const n = s.length;
  if (n < 2 || s.charCodeAt(0) !== 34 || s.charCodeAt(n - 1) !== 34) return undefined;
  let out = '';
  let from = 1;
  for (let i = 1; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) {
      const d = s.charCodeAt(i + 1);
      if (i + 1 === n - 1 || (d !== 34 && d !== 92)) return undefined;
      out += s.slice(from, i);
      from = ++i;
    } else if (c === 34 || c < 0x20 || c === 0x7f) return undefined;
  }
  return from === 1 ? s.slice(1, n - 1) : out + s.slice(from, n - 1);
}

/** /^[A-Za-z_][A-Za-z0-9_.-]*$/: a key the subset reads */
export const KEY = {
  test(s: string): boolean {
    if (s.length === 0) return false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const l = c | 0x20;
      if (!((l >= 97 && l <= 122 && c >= 65) || c === 95 || (i > 0 && ((c >= 48 && c <= 57) || c === 46 || c === 45)))) return false;
    }
    return true;
  },
};

// JS whitespace other than space, tab, LF and CR; C0 and C1 controls but tab, LF and CR; a CR
// that does not end a line; lone surrogates; U+FFFD (the loader's screen reports it as binary)
const OUTSIDE = /[^\S \t\n\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufffe\uffff]|\r(?!\n)|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const trimStart = (s: string) => {
  let a = 0;
  while (a < s.length && s.charCodeAt(a) === 32) a++;
  return a === 0 ? s : s.slice(a);
};

type Value = string | number | boolean | Value[] | { [k: string]: Value };
const DECLINE = Symbol('decline');

// the first character decides which patterns can match at all: a fleet reads 200,000 scalars
const MAY_BE_CORE = /^[-+.0-9TFNn~]/;

function scalar(s: string, block: boolean): Value | typeof DECLINE {
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57 && INT.test(s)) return Number(s);
  if (s === 'true' || s === 'false') return s === 'true';
  if (c === 34) {
    const q = unquoted(s);
    if (q !== undefined) return q;
  }
  if (MAY_BE_CORE.test(s) && (RESERVED.test(s) || CORE_NUMBER.test(s))) return DECLINE;
  return (block ? PLAIN_BLOCK : PLAIN_FLOW).test(s) ? s : DECLINE;
}

/**
 * Split s[a, b) — a flow collection's body — at its own commas (quotes and nested brackets
 * respected) into [start, end) pairs with spaces trimmed. Ranges, not substrings: a fleet
 * reads 100,000 of these lines and every string made here is garbage a moment later.
 */
export function items(s: string, a: number, b: number): number[] | undefined {
  const out: number[] = [];
  let start = a;
  let quoted = false;
  let depth = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (quoted) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) quoted = false;
    } else if (c === 34) quoted = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (--depth < 0) return undefined;
    } else if (c === 44 && depth === 0) {
      pushTrimmed(out, s, start, i);
      start = i + 1;
      // longer than load.ts screen allows: declined, so the full path refuses it there
      if (out.length >= 2 * MAX_FLOW_ITEMS) return undefined;
    }
  }
  if (quoted || depth) return undefined;
  const before = out.length;
  pushTrimmed(out, s, start, b);
  // a lone empty body (`[]`, `[ ]`) has no items; an empty item anywhere else is not the subset
  if (before === 0 && out[0] === out[1]) return [];
  for (let k = 0; k < out.length; k += 2) if (out[k] === out[k + 1]) return undefined;
  return out;
}

/** s[from, to) without spaces at either end, as a range (a function, not a closure made per call) */
function pushTrimmed(out: number[], s: string, from: number, to: number): void {
  while (from < to && s.charCodeAt(from) === 32) from++;
  while (to > from && s.charCodeAt(to - 1) === 32) to--;
  out.push(from, to);
}

/** keys, and plain scalar values, of the flow mapping read last, by position (see flowAt) */
const recentKeys: string[] = [];
const recentPlain: string[] = [];

/** A one-line flow value in s[a, b), which has no spaces at either end: a scalar, or `[...]`/`{...}` of flow values (nested at most 3 deep). */
function flowAt(s: string, a: number, b: number, depth: number): Value | typeof DECLINE {
  if (depth > 3) return DECLINE;
  const open = s.charCodeAt(a);
  if (open === 91 || open === 123) {
    if (b - a < 2 || s.charCodeAt(b - 1) !== (open === 91 ? 93 : 125)) return DECLINE;
    const parts = items(s, a + 1, b - 1);
    if (!parts) return DECLINE;
    if (open === 91) {
      const out: Value[] = [];
      for (let k = 0; k < parts.length; k += 2) {
        const v = flowAt(s, parts[k]!, parts[k + 1]!, depth + 1);
        if (v === DECLINE) return DECLINE;
        out.push(v);
      }
      return out;
    }
    const out: Record<string, Value> = {};
    const keys: string[] = [];
    for (let k = 0; k < parts.length; k += 2) {
      const [ps, pe] = [parts[k]!, parts[k + 1]!];
      // `key: value` (one or more spaces), scanned rather than matched: every fleet line has one
      const colon = s.indexOf(':', ps);
      if (colon <= ps || colon + 1 >= pe || s.charCodeAt(colon + 1) !== 32) return DECLINE;
      // the key at this position in the mapping read before, when it is the same: lists of
      // mappings repeat their keys line after line, and a new string would be interned again
      const seen = recentKeys[k >> 1];
      const known = seen !== undefined && seen.length === colon - ps && s.startsWith(seen, ps);
      const key = known ? seen : s.slice(ps, colon);
      // duplicates by comparing with the few keys before it: `in` would intern every key first
      // `__proto__` would set the object's prototype, not a key: the full parser makes it a key
      if ((!known && (!KEY.test(key) || key === '__proto__')) || keys.includes(key)) return DECLINE;
      recentKeys[k >> 1] = key;
      keys.push(key);
      let from = colon + 2;
      while (from < pe && s.charCodeAt(from) === 32) from++;
      if (from >= pe) return DECLINE;
      // likewise a plain value repeated line after line (`host: altra-6.6`): the same text reads
      // as the same string, so the one read before is taken, unsliced and unmatched
      const plain = recentPlain[k >> 1];
      if (plain !== undefined && depth < 3 && plain.length === pe - from && s.startsWith(plain, from)) {
        out[key] = plain;
        continue;
      }
      const v = flowAt(s, from, pe, depth + 1);
      if (v === DECLINE) return DECLINE;
      // a plain scalar reads as its own text (a quoted one is shorter than its text)
      if (typeof v === 'string' && v.length === pe - from) recentPlain[k >> 1] = v;
      out[key] = v;
    }
    return out;
  }
  // an integer read in place (INT: 1 to 15 digits, no leading zero): no string made for it
  if (open >= 48 && open <= 57 && b - a <= 15 && (open !== 48 || b - a === 1)) {
    let n = 0;
    let i = a;
    for (; i < b; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
    }
    if (i === b) return n;
  }
  return scalar(a === 0 && b === s.length ? s : s.slice(a, b), depth === 0);
}

// A fleet's line, `{ key: value, key: [a, b] }`, spaced as YAML writers and people write it:
// keys as KEY; values words, integers, or lists of them. One regular expression says whether a
// line has that form (natively: a JavaScript loop per character runs interpreted for the first
// few thousand lines, which is most of a 10,000-host fleet), then sticky patterns find the parts.
const LINE_KEY = '[A-Za-z_][A-Za-z0-9_.-]*';
// a token is a word (which YAML may still read as a number, a boolean or a null: token() checks)
const LINE_TOKEN = '[A-Za-z0-9_/][A-Za-z0-9_./+-]*';
const LINE_VALUE = `(?:${LINE_TOKEN}|\\[${LINE_TOKEN}(?:, ${LINE_TOKEN})*\\])`;
const LINE = new RegExp(`\\{ ${LINE_KEY}: ${LINE_VALUE}(?:, ${LINE_KEY}: ${LINE_VALUE})* \\}`, 'y');
const LINE_KEY_AT = new RegExp(LINE_KEY, 'y');
const LINE_TOKEN_AT = new RegExp(LINE_TOKEN, 'y');
/** where the match of a sticky pattern at s[p] ends (LINE has made sure there is one) */
const endOf = (re: RegExp, s: string, p: number) => {
  re.lastIndex = p;
  re.test(s);
  return re.lastIndex;
};
/** words YAML 1.2 core reads as booleans or nulls: flowAt's business */
// a set, not the expression /^(?:true|...|NULL)$/: start-up compiles no expression for it
/** words YAML 1.2 core reads as booleans or nulls */
export const NOT_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'True', 'TRUE', 'False', 'FALSE', 'null', 'Null', 'NULL']);
/** the keys of the line read last, by position: lists of mappings repeat them line after line */
const seenKeys: string[] = [];
const lineKeys: string[] = [];
/** words read before (a fleet names a few hundred host files over 100,000 lines: each is one string) */
const words = new Map<string, string>();
const MAX_WORDS = 1 << 16;

/** a word read as a plain scalar, one string per text within a document */
function intern(t: string): string {
  const known = words.get(t);
  if (known !== undefined) return known;
  if (words.size < MAX_WORDS) words.set(t, t);
  return t;
}

/** s[p, q), a LINE_TOKEN, as flowAt reads it (an integer, or a word), or undefined for a number of another form, a boolean, a null */
function token(s: string, p: number, q: number, shared: boolean): Value | undefined {
  const t = s.slice(p, q);
  const c = t.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    if (INT.test(t)) return Number(t);
    // 6.10, 0x1f, 1e3 and 012 are numbers to YAML; 10-0-0-1 is a word
    if (CORE_NUMBER.test(t)) return undefined;
  } else if (t.length <= 5 && NOT_WORDS.has(t)) return undefined;
  return shared ? intern(t) : t;
}

// Shapes. An inventory's lines repeat one form: the same keys in the same order, each value a
// word, an integer or a list of so many words. A line read by the general loop below teaches
// its form as one sticky regular expression, a group per value, and the next lines are tried
// against it first: one native match a line, the parts taken from its groups, in place of a
// pattern per key and per token. A shape's groups accept exactly what the loop reads the same
// way: a word is a LINE_TOKEN that does not start with a digit and is not a boolean or a null
// (token() reads those otherwise); an integer is INT; the text between is the writers' spacing
// LINE allows. test/property/flow-line.test.ts (lines in runs of one shape and its near misses)
// holds shaped lines to YAML 1.2 as it holds the loop.
const SHAPE_WORD = '((?!(?:true|false|True|TRUE|False|FALSE|null|Null|NULL)(?![A-Za-z0-9_./+-]))[A-Za-z_/][A-Za-z0-9_./+-]*)';
const SHAPE_INT = '(0|[1-9][0-9]{0,14})';
/** a value's form: a word, an integer, or (n > 0) a list of n words */
const WORD = -1;
const INTEGER = -2;
interface Shape {
  readonly re: RegExp;
  readonly keys: readonly string[];
  readonly forms: readonly number[];
  readonly id: string;
}
/** the shapes tried, in the order they were learnt */
const shapes: Shape[] = [];
/** shapes learnt in this document: past a few, lines of many forms are read by the loop alone */
let learnt = 0;
/** lines the loop has read in this document */
let looped = 0;
const MAX_SHAPES = 4;
const MAX_LEARNT = 16;
const MAX_SHAPE_PARTS = 8;

/** the form of a value the general loop read, if a shape can hold it */
function formOf(v: Value): number | undefined {
  if (typeof v === 'number') return INTEGER;
  if (typeof v === 'string') return isShapeWord(v) ? WORD : undefined;
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_SHAPE_PARTS) return undefined;
  for (const x of v) if (typeof x !== 'string' || !isShapeWord(x)) return undefined;
  return v.length;
}
/** a word the loop read that does not start with a digit (10-0-0-1 is a word the shapes leave to the loop) */
const isShapeWord = (w: string) => {
  const c = w.charCodeAt(0);
  return !(c >= 48 && c <= 57);
};

/** Remember the form of a line the loop read (its keys are KEY words, distinct, not __proto__). */
function learn(out: Record<string, Value>): void {
  if (learnt >= MAX_LEARNT) return;
  const keys = Object.keys(out);
  if (keys.length > MAX_SHAPE_PARTS) return;
  const forms: number[] = [];
  for (const k of keys) {
    const f = formOf(out[k]!);
    if (f === undefined) return;
    forms.push(f);
  }
  const id = `${keys.join(',')}:${forms.join(',')}`;
  if (shapes.some((x) => x.id === id)) return;
  const value = (f: number) => (f === WORD ? SHAPE_WORD : f === INTEGER ? SHAPE_INT : `\\[${Array.from({ length: f }, () => SHAPE_WORD).join(', ')}\\]`);
  const source = `\\{ ${keys.map((k, i) => `${k.replace(/\./g, '\\.')}: ${value(forms[i]!)}`).join(', ')} \\}`;
  learnt++;
  if (shapes.length >= MAX_SHAPES) shapes.shift();
  shapes.push({ re: new RegExp(source, 'y'), keys, forms, id });
}

/** Words and shapes are shared within one document, not kept past it (tests call it between runs of flowLine). */
export function forgetDocument(): void {
  words.clear();
  shapes.length = 0;
  learnt = 0;
  looped = 0;
}

/** how many shapes this document has learnt (the property tests check that theirs ran) */
export const shapesLearnt = (): number => learnt;

/** s[a, b) read by a shape, or undefined when it does not have that shape */
function shaped(shape: Shape, s: string, a: number, b: number): Record<string, Value> | undefined {
  const { re, keys, forms } = shape;
  re.lastIndex = a;
  const m = re.exec(s);
  if (m === null || re.lastIndex !== b) return undefined;
  const out: Record<string, Value> = {};
  let g = 1;
  for (let k = 0; k < keys.length; k++) {
    const f = forms[k]!;
    if (f === WORD) out[keys[k]!] = intern(m[g++]!);
    else if (f === INTEGER) out[keys[k]!] = Number(m[g++]);
    else {
      const list: string[] = [];
      for (let j = 0; j < f; j++) list.push(m[g++]!);
      out[keys[k]!] = list;
    }
  }
  return out;
}

/**
 * One line's flow mapping of words, integers and lists of them, s[a, b) (no spaces at either
 * end), spaced `{ k: v, k: [a, b] }`: `{ host: hosts/a.yaml, nodes: [node-1], upgradeTo:
 * hosts/b.yaml }`, the way a fleet's hosts are listed. Undefined for anything else (other
 * spacing, quotes, nesting, empty lists, numbers other than integers, booleans, nulls, a key
 * twice, `__proto__`): flowAt reads those. test/property/flow-line.test.ts holds it to YAML 1.2:
 * the same value, or undefined.
 */
export function flowLine(s: string, a: number, b: number): Record<string, Value> | undefined {
  for (let k = 0; k < shapes.length; k++) {
    const v = shaped(shapes[k]!, s, a, b);
    if (v !== undefined) return v;
  }
  const out = lineLoop(s, a, b);
  // a form is learnt from its second line read by the loop: a host profile's one mapping is read once
  if (out !== undefined && ++looped > 1) learn(out);
  return out;
}

/** flowLine without shapes: the line's keys and values found one by one */
function lineLoop(s: string, a: number, b: number): Record<string, Value> | undefined {
  LINE.lastIndex = a;
  if (!LINE.test(s) || LINE.lastIndex !== b) return undefined;
  const out: Record<string, Value> = {};
  lineKeys.length = 0;
  // the line is `{ ` pairs joined by `, ` then ` }`: each key and token ends where its sticky
  // pattern stops (indexOf could search past the line: to the end of a 12 MB fleet, per line)
  const last = b - 2;
  let p = a + 2;
  for (;;) {
    const colon = endOf(LINE_KEY_AT, s, p);
    const n = lineKeys.length;
    let key = seenKeys[n];
    if (key === undefined || key.length !== colon - p || !s.startsWith(key, p)) {
      key = s.slice(p, colon);
      if (key === '__proto__') return undefined;
      seenKeys[n] = key;
    }
    // a key twice, or more keys than load.ts screen allows (includes is quadratic past it)
    if (lineKeys.length >= MAX_FLOW_ITEMS || lineKeys.includes(key)) return undefined;
    lineKeys.push(key);
    const v = colon + 2;
    let q: number;
    if (s.charCodeAt(v) === 91) {
      const list: Value[] = [];
      for (let i = v + 1; ; ) {
        const c = endOf(LINE_TOKEN_AT, s, i);
        const item = token(s, i, c, false);
        if (item === undefined || list.length >= MAX_FLOW_ITEMS) return undefined;
        list.push(item);
        if (s.charCodeAt(c) === 93) {
          q = c + 1;
          break;
        }
        i = c + 2;
      }
      out[key] = list;
    } else {
      q = endOf(LINE_TOKEN_AT, s, v);
      const item = token(s, v, q, true);
      if (item === undefined) return undefined;
      out[key] = item;
    }
    if (q >= last) return out;
    p = q + 2;
  }
}

/**
 * The lines that are neither blank nor comments, as ranges of the source: line k's content is
 * src[start[k], end[k]) (no indentation, no CR), indented indent[k] spaces, source line n[k]
 * (0-based: block scalars must be consecutive lines). Arrays of numbers, not a string and an
 * object a line: a fleet has 100,000 lines.
 */
interface Lines {
  readonly src: string;
  readonly indent: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly n: Int32Array;
  /** how many of the rows hold lines */
  count: number;
}

class Reader {
  i = 0;
  private raws?: readonly string[];
  constructor(readonly l: Lines) {}

  private text(k: number): string {
    return this.l.src.slice(this.l.start[k], this.l.end[k]);
  }

  /** line k starts with `- ` (or is `-` alone, when `alone`) */
  private dash(k: number, alone: boolean): boolean {
    const { src, start, end } = this.l;
    if (src.charCodeAt(start[k]!) !== 45) return false;
    return end[k]! - start[k]! === 1 ? alone : src.charCodeAt(start[k]! + 1) === 32;
  }

  /** The block (mapping or list) whose lines are indented exactly `indent`. */
  block(indent: number): Value | typeof DECLINE {
    if (this.i >= this.l.count || this.l.indent[this.i] !== indent) return DECLINE;
    return this.dash(this.i, true) ? this.list(indent) : this.map(indent);
  }

  map(indent: number): Value | typeof DECLINE {
    const out: Record<string, Value> = {};
    while (this.i < this.l.count) {
      const at = this.l.indent[this.i]!;
      if (at < indent) break;
      if (at > indent) return DECLINE;
      // `key:` alone or `key: value`, scanned in place: a mapping may have 50,000 keys
      const { src, start, end } = this.l;
      const a = start[this.i]!;
      const b = end[this.i]!;
      const colon = src.indexOf(':', a);
      if (colon <= a || colon >= b || (colon + 1 < b && src.charCodeAt(colon + 1) !== 32)) return DECLINE;
      const key = src.slice(a, colon);
      if (!KEY.test(key) || key === '__proto__' || key in out) return DECLINE;
      const n = this.l.n[this.i]!;
      this.i++;
      let from = colon + 1;
      while (from < b && src.charCodeAt(from) === 32) from++;
      const style = from === b - 1 ? src[from] : undefined;
      // a one-line mapping (a host's `cpu: { model: …, revision: … }`) by the fleet lines' reader,
      // warm by then: it reads what flowAt reads, or declines
      const v =
        from >= b ? this.nested(indent, true)
        : style === '>' || style === '|' ? this.blockScalar(indent, n, style)
        : src.charCodeAt(from) === 123 ? (flowLine(src, from, b) ?? flowAt(src, from, b, 0))
        : flowAt(src, from, b, 0);
      if (v === DECLINE) return DECLINE;
      out[key] = v;
    }
    return out;
  }

  list(indent: number): Value | typeof DECLINE {
    const out: Value[] = [];
    const { src, start, end } = this.l;
    while (this.i < this.l.count) {
      const at = this.l.indent[this.i]!;
      if (at < indent) break;
      if (at > indent || !this.dash(this.i, false)) return DECLINE;
      const k = this.i++;
      // the item's value read in place in the source
      let a = start[k]! + 2;
      while (a < end[k]! && src.charCodeAt(a) === 32) a++;
      // a fleet's line, `{ host: …, nodes: […] }`, by the reader made for it; the rest as any flow value
      const v = a < end[k]! ? (flowLine(src, a, end[k]!) ?? flowAt(src, a, end[k]!, 0)) : DECLINE;
      if (v === DECLINE) return DECLINE;
      out.push(v);
    }
    return out;
  }

  /**
   * `key: >` / `key: |` (clip chomping, no indicators): the following lines, one indentation
   * deeper than the key, consecutive in the source; folded joins them with spaces, literal
   * with newlines; either ends with one newline. Anything else (blank or comment lines
   * inside, more-indented lines) is left to the full parser.
   */
  blockScalar(indent: number, keyLine: number, style: '>' | '|'): Value | typeof DECLINE {
    const parts: string[] = [];
    const count = this.l.count;
    if (this.i >= count || this.l.indent[this.i]! <= indent) return DECLINE;
    const first = this.l.indent[this.i]!;
    for (let n = keyLine + 1; this.i < count && this.l.indent[this.i]! > indent; n++, this.i++) {
      if (this.l.n[this.i] !== n || this.l.indent[this.i] !== first) return DECLINE;
      parts.push(this.text(this.i));
    }
    // a skipped comment line indented into the block is content, not a comment
    const raws = (this.raws ??= this.l.src.split('\n'));
    for (let n = keyLine + 1 + parts.length; n < raws.length && /^ *(?:#.*)?\r?$/.test(raws[n]!); n++)
      if (/^ *#/.test(raws[n]!) && raws[n]!.length - trimStart(raws[n]!).length > indent) return DECLINE;
    return `${parts.join(style === '>' ? ' ' : '\n')}\n`;
  }

  /** What follows `key:` with nothing after it: a deeper block, or a list at the same indent. */
  nested(indent: number, allowSameIndentList: boolean): Value | typeof DECLINE {
    if (this.i >= this.l.count) return DECLINE; // `key:` alone is null
    const next = this.l.indent[this.i]!;
    if (next > indent) return this.block(next);
    if (allowSameIndentList && next === indent && this.dash(this.i, false)) return this.list(indent);
    return DECLINE;
  }
}

/** OUTSIDE.test(text), with a first scan for the usual text of printable ASCII, tabs and LF, which OUTSIDE never matches (a regular expression: natively over a 16 MB fleet) */
function outside(text: string): boolean {
  return /[^\t\n\x20-\x7e]/.test(text) && OUTSIDE.test(text);
}

export function quickParse(text: string): Record<string, unknown> | undefined {
  if (outside(text)) return undefined;
  // typed arrays, one row a line at most: the garbage collector neither scans nor copies them
  let rows = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
  const l: Lines = { src: text, indent: new Int32Array(rows), start: new Int32Array(rows), end: new Int32Array(rows), n: new Int32Array(rows), count: 0 };
  // where the next tab and the next ` #` are: most texts have neither, and no line is searched
  let tab = text.indexOf('\t');
  let hash = text.indexOf(' #');
  for (let n = 0, from = 0; from <= text.length; n++) {
    let stop = text.indexOf('\n', from);
    const next = stop < 0 ? text.length + 1 : stop + 1;
    if (stop < 0) stop = text.length;
    // a CR before the LF is not content
    if (stop > from && text.charCodeAt(stop - 1) === 13) stop--;
    let body = from;
    while (body < stop && text.charCodeAt(body) === 32) body++;
    const line = from;
    from = next;
    if (tab >= 0 && tab < line) tab = text.indexOf('\t', line);
    if (hash >= 0 && hash < body) hash = text.indexOf(' #', body);
    // a tab only inside a comment's text: before it or anywhere else YAML's rules for tabs apply
    if (body < stop && text.charCodeAt(body) === 35) continue;
    if (tab >= 0 && tab < stop) return undefined;
    if (body === stop) continue;
    // a trailing space, or a comment after content (outside quotes): left to the full parser
    if (text.charCodeAt(stop - 1) === 32) return undefined;
    if (hash >= 0 && hash + 1 < stop && / #/.test(text.slice(body, stop).replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return undefined;
    // deeper than load.ts screen allows (two spaces a level): declined, so it refuses it there
    if (body - line > 2 * MAX_NESTING) return undefined;
    const k = l.count++;
    l.indent[k] = body - line;
    l.start[k] = body;
    l.end[k] = stop;
    l.n[k] = n;
  }
  if (!l.count || l.indent[0] !== 0) return undefined;
  const r = new Reader(l);
  let v: Value | typeof DECLINE;
  try {
    v = r.map(0);
  } finally {
    forgetDocument();
  }
  if (v === DECLINE || r.i !== l.count) return undefined;
  return v as Record<string, unknown>;
}
