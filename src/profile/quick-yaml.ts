// A fast reader for the plain subset profiles, inventories and `migcheck probe` output are
// written in: block mappings nested by indentation, block lists, one-line flow lists and
// mappings, scalars that are words, integers, true/false or double-quoted strings without
// escapes other than \" and \\, and plain `>`/`|` block scalars. Full-line comments are skipped.
// Anything outside the subset (single quotes, anchors, tags, block scalars, trailing
// comments, duplicate keys, tabs, scalars YAML would read as floats or nulls) returns
// undefined and the full YAML parser runs, so the data is always what YAML 1.2 would give
// (a property test holds it to that). The full parser costs ~40 µs per host line and a cold
// start of ~15 ms per process; this ~1 µs per line.
// Whitespace is ASCII here: YAML 1.2 separates with space and tab only, and reads NBSP,
// U+3000, a BOM, \v, \f… as content where JS trim() and \s would drop them,
// so any text holding such a character (or a control character, a lone CR, a lone surrogate)
// is declined as a whole, and the trims below strip spaces only.

// plain scalars the subset reads: no indicator first, no `:` or `#` anywhere, no tabs; in flow
// context also no `,[]{}`; then YAML 1.2 core decides: ints, floats, booleans, nulls
const PLAIN_BLOCK = /^[A-Za-z0-9_/(][^\t:#]*$/;
const PLAIN_FLOW = /^[A-Za-z0-9_/(][^\t:#,[\]{}]*$/;
const RESERVED = /^(?:True|TRUE|False|FALSE|null|Null|NULL|~)$/;
const CORE_NUMBER = /^[-+]?(?:0o[0-7]+|0x[0-9a-fA-F]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;
const INT = /^(?:0|[1-9][0-9]{0,14})$/;
const QUOTED = /^"((?:[^"\\\x00-\x1f\x7f]|\\["\\])*)"$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

// JS whitespace other than space, tab, LF and CR; C0 and C1 controls but tab, LF and CR; a CR
// that does not end a line; lone surrogates; U+FFFD (the loader's screen reports it as binary)
const OUTSIDE = /[^\S \t\n\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufffe\uffff]|\r(?!\n)|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// by char code, not a regular expression: fleets run these on every one of 100,000 lines
const trim = (s: string) => {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
};
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
    const q = QUOTED.exec(s);
    if (q) return q[1]!.replace(/\\(["\\])/g, '$1');
  }
  if (MAY_BE_CORE.test(s) && (RESERVED.test(s) || CORE_NUMBER.test(s))) return DECLINE;
  return (block ? PLAIN_BLOCK : PLAIN_FLOW).test(s) ? s : DECLINE;
}

/**
 * Split s[a, b) — a flow collection's body — at its own commas (quotes and nested brackets
 * respected) into [start, end) pairs with spaces trimmed. Ranges, not substrings: a fleet
 * reads 100,000 of these lines and every string made here is garbage a moment later.
 */
function items(s: string, a: number, b: number): number[] | undefined {
  const out: number[] = [];
  let start = a;
  let quoted = false;
  let depth = 0;
  const part = (from: number, to: number) => {
    while (from < to && s.charCodeAt(from) === 32) from++;
    while (to > from && s.charCodeAt(to - 1) === 32) to--;
    out.push(from, to);
  };
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
      part(start, i);
      start = i + 1;
    }
  }
  if (quoted || depth) return undefined;
  const before = out.length;
  part(start, b);
  // a lone empty body (`[]`, `[ ]`) has no items; an empty item anywhere else is not the subset
  if (before === 0 && out[0] === out[1]) return [];
  for (let k = 0; k < out.length; k += 2) if (out[k] === out[k + 1]) return undefined;
  return out;
}

/** A one-line flow value: a scalar, or `[...]`/`{...}` of flow values (nested at most 3 deep). */
function flow(s: string, depth = 0): Value | typeof DECLINE {
  return flowAt(s, 0, s.length, depth);
}

/** keys of the flow mapping read last, by position (see flowAt) */
const recentKeys: string[] = [];

/** flow() over s[a, b), which has no spaces at either end */
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
      if ((!known && !KEY.test(key)) || keys.includes(key)) return DECLINE;
      recentKeys[k >> 1] = key;
      keys.push(key);
      let from = colon + 2;
      while (from < pe && s.charCodeAt(from) === 32) from++;
      if (from >= pe) return DECLINE;
      const v = flowAt(s, from, pe, depth + 1);
      if (v === DECLINE) return DECLINE;
      out[key] = v;
    }
    return out;
  }
  return scalar(a === 0 && b === s.length ? s : s.slice(a, b), depth === 0);
}

interface Line {
  readonly indent: number;
  readonly text: string;
  /** 0-based line number in the source: block scalars must be consecutive lines */
  readonly n: number;
}

class Reader {
  i = 0;
  /** raws: every source line, for what the line list skipped (comments, blanks) */
  constructor(
    readonly lines: readonly Line[],
    readonly raws: readonly string[],
  ) {}

  /** The block (mapping or list) whose lines are indented exactly `indent`. */
  block(indent: number): Value | typeof DECLINE {
    const first = this.lines[this.i];
    if (!first || first.indent !== indent) return DECLINE;
    return first.text.startsWith('- ') || first.text === '-' ? this.list(indent) : this.map(indent);
  }

  map(indent: number): Value | typeof DECLINE {
    const out: Record<string, Value> = {};
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      if (l.indent < indent) break;
      if (l.indent > indent) return DECLINE;
      const m = /^([^:]+):(?: (.*))?$/.exec(l.text);
      if (!m || !KEY.test(m[1]!) || m[1]! in out) return DECLINE;
      this.i++;
      const rest = m[2] === undefined ? undefined : trim(m[2]);
      const v = rest === undefined || rest === '' ? this.nested(indent, true) : rest === '>' || rest === '|' ? this.blockScalar(indent, l.n, rest) : flow(rest);
      if (v === DECLINE) return DECLINE;
      out[m[1]!] = v;
    }
    return out;
  }

  list(indent: number): Value | typeof DECLINE {
    const out: Value[] = [];
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      if (l.indent < indent) break;
      if (l.indent > indent || !l.text.startsWith('- ')) return DECLINE;
      this.i++;
      let a = 2;
      while (l.text.charCodeAt(a) === 32) a++;
      const v = a < l.text.length ? flowAt(l.text, a, l.text.length, 0) : DECLINE;
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
    const first = this.lines[this.i];
    if (!first || first.indent <= indent) return DECLINE;
    for (let n = keyLine + 1; this.i < this.lines.length && this.lines[this.i]!.indent > indent; n++, this.i++) {
      const l = this.lines[this.i]!;
      if (l.n !== n || l.indent !== first.indent) return DECLINE;
      parts.push(l.text);
    }
    // a skipped comment line indented into the block is content, not a comment
    for (let n = keyLine + 1 + parts.length; n < this.raws.length && /^ *(?:#.*)?\r?$/.test(this.raws[n]!); n++)
      if (/^ *#/.test(this.raws[n]!) && this.raws[n]!.length - trimStart(this.raws[n]!).length > indent) return DECLINE;
    return `${parts.join(style === '>' ? ' ' : '\n')}\n`;
  }

  /** What follows `key:` with nothing after it: a deeper block, or a list at the same indent. */
  nested(indent: number, allowSameIndentList: boolean): Value | typeof DECLINE {
    const next = this.lines[this.i];
    if (!next) return DECLINE; // `key:` alone is null
    if (next.indent > indent) return this.block(next.indent);
    if (allowSameIndentList && next.indent === indent && next.text.startsWith('- ')) return this.list(indent);
    return DECLINE;
  }
}

export function quickParse(text: string): Record<string, unknown> | undefined {
  if (OUTSIDE.test(text)) return undefined;
  const lines: Line[] = [];
  const raws = text.split('\n');
  for (let n = 0; n < raws.length; n++) {
    const raw = raws[n]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const body = trimStart(line);
    // a tab only inside a comment's text: before it or anywhere else YAML's rules for tabs apply
    if (body.startsWith('#')) continue;
    if (line.includes('\t')) return undefined;
    if (body === '') continue;
    const indent = line.length - body.length;
    // a trailing space, or a comment after content (outside quotes): left to the full parser
    if (body.charCodeAt(body.length - 1) === 32 || (body.includes(' #') && / #/.test(body.replace(/"(?:[^"\\]|\\.)*"/g, '""')))) return undefined;
    lines.push({ indent, text: body, n });
  }
  if (!lines.length || lines[0]!.indent !== 0) return undefined;
  const r = new Reader(lines, raws);
  const v = r.map(0);
  if (v === DECLINE || r.i !== lines.length) return undefined;
  return v as Record<string, unknown>;
}
