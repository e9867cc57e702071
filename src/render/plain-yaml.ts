// Block YAML for the small documents reports print (a Guest profile): what the yaml library's
// stringify (lineWidth 0, block collections) writes, for the values whose spelling is certain —
// maps and lists (an empty one as a map's value or a list's item: the baseline's empty bitmaps),
// booleans, non-negative integers, and strings that are plain words or the numbers and hex
// values the library double-quotes. Anything else is undefined, and
// the caller asks the library. It spares a report loading the library (~25 ms) for a few lines;
// written for speed, so test/property/plain-yaml.test.ts holds it to the library on random documents.

// a plain scalar the core schema reads back as this string: a letter first, words with single
// spaces, no indicator characters, and not one of the core schema's booleans or null
const PLAIN = /^[A-Za-z](?:[A-Za-z0-9_./-]| (?! ))*$/;
const CORE_WORD = /^(?:true|false|null)$/i;
// strings the core schema would read as numbers, which the library writes double-quoted
const NUMERIC = /^(?:[0-9]+(?:\.[0-9]+)?|0x[0-9a-fA-F]+)$/;

function scalar(v: unknown): string | undefined {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // -0 passes both tests, and the library writes it -0
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 && !Object.is(v, -0) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  if (PLAIN.test(v) && !v.endsWith(' ') && !CORE_WORD.test(v)) return v;
  if (NUMERIC.test(v)) return `"${v}"`;
  return undefined;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
// past 1024 characters the library writes an explicit key ("? key")
const key = (k: string) => (k.length <= 1024 && PLAIN.test(k) && !k.endsWith(' ') && !CORE_WORD.test(k) ? k : undefined);

/** `first` leads the map's first line (a list item's "- "), `pad` every later one. */
function mapLines(m: Record<string, unknown>, first: string, pad: string, out: string[]): boolean {
  const entries = Object.entries(m);
  if (!entries.length) return false;
  for (let e = 0; e < entries.length; e++) {
    const [k, v] = entries[e]!;
    const lead = e === 0 ? first : pad;
    if (key(k) === undefined) return false;
    if (Array.isArray(v) || isMap(v)) {
      out.push(`${lead}${k}:`);
      const e = empty(v);
      if (e) out.push(`${pad}  ${e}`);
      else if (!collection(v, `${pad}  `, out)) return false;
    } else {
      const s = scalar(v);
      if (s === undefined) return false;
      out.push(`${lead}${k}: ${s}`);
    }
  }
  return true;
}

// an empty list or map, in flow style, as the library writes it in a block collection
const empty = (v: unknown) => (Array.isArray(v) ? (v.length ? undefined : '[]') : isMap(v) && !Object.keys(v).length ? '{}' : undefined);

function collection(v: readonly unknown[] | Record<string, unknown>, pad: string, out: string[]): boolean {
  if (!Array.isArray(v)) return mapLines(v as Record<string, unknown>, pad, pad, out);
  if (!v.length) return false;
  for (const item of v) {
    const e = empty(item);
    if (e) out.push(`${pad}- ${e}`);
    else if (isMap(item)) {
      if (!mapLines(item, `${pad}- `, `${pad}  `, out)) return false;
    } else {
      const s = scalar(item);
      if (s === undefined) return false;
      out.push(`${pad}- ${s}`);
    }
  }
  return true;
}

/** The document as the yaml library writes it, or undefined when that is not certain. */
export function plainYaml(doc: Record<string, unknown>): string | undefined {
  const out: string[] = [];
  return isMap(doc) && mapLines(doc, '', '', out) ? `${out.join('\n')}\n` : undefined;
}
