// A fast reader for the plain subset inventories and generated profiles are written
// in: top-level `key: value` lines (a value may be a one-line flow mapping or list), and
// lists of one-line flow mappings.
// Anything outside the subset (quotes, anchors, tags, comments after values, duplicate
// keys, scalars YAML would read as something other than a string or an integer)
// returns undefined and the full YAML parser runs, so the data is always what YAML
// 1.2 would give. The full parser costs ~40 µs per host line and ~0.5 ms per small
// profile; this ~1 µs per line.


// strings YAML 1.2 core reads as strings in flow and block context
const WORD = /^[A-Za-z_/][A-Za-z0-9._/+-]*$/;
const RESERVED = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
const INT = /^(?:0|[1-9][0-9]{0,14})$/;

function scalar(s: string): string | number | undefined {
  if (INT.test(s)) return Number(s);
  return WORD.test(s) && !RESERVED.test(s) ? s : undefined;
}

/** `a: x, b: 2` -> {a: 'x', b: 2}, or undefined outside the subset */
function flowMap(body: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const part of body.split(',')) {
    const m = /^ *([A-Za-z]+): +([^ ]+) *$/.exec(part);
    if (!m || m[1]! in out) return undefined;
    const v = scalar(m[2]!);
    if (v === undefined) return undefined;
    out[m[1]!] = v;
  }
  return out;
}

export function quickParse(text: string): Record<string, unknown> | undefined {
  const data: Record<string, unknown> = {};
  let list: unknown[] | undefined;
  let indent: string | undefined;
  for (const line of text.split('\n')) {
    if (/^\s*(?:#.*)?\r?$/.test(line)) continue;
    if (list) {
      const item = /^( *)- \{(.*)\} *\r?$/.exec(line);
      if (item && (indent === undefined || item[1] === indent)) {
        indent = item[1];
        const m = flowMap(item[2]!);
        if (!m) return undefined;
        list.push(m);
        continue;
      }
      if (/^ /.test(line)) return undefined;
      list = undefined;
    }
    const kv = /^([A-Za-z]+):(?: +(.*?))? *\r?$/.exec(line);
    if (!kv || kv[1]! in data) return undefined;
    const [, key, value] = kv;
    if (value === undefined || value === '') {
      data[key!] = list = [];
      indent = undefined;
    } else if (value.startsWith('{')) {
      const inner = /^\{(.*)\}$/.exec(value);
      const m = inner && flowMap(inner[1]!);
      if (!m) return undefined;
      data[key!] = m;
    } else if (value.startsWith('[')) {
      const inner = /^\[(.*)\]$/.exec(value);
      const items = inner ? (inner[1]!.trim() ? inner[1]!.split(',').map((x) => scalar(x.trim())) : []) : [undefined];
      if (items.some((x) => x === undefined)) return undefined;
      data[key!] = items;
    } else {
      const v = scalar(value);
      if (v === undefined) return undefined;
      data[key!] = v;
    }
  }
  if (!Object.keys(data).length) return undefined;
  // an empty `key:` is null in YAML, not an empty list
  for (const [k, v] of Object.entries(data)) if (Array.isArray(v) && v.length === 0 && !text.includes(`${k}: [`)) return undefined;
  return data;
}
