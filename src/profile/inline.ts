// A Host or Guest written on the command line: `kernel=linux-6.6,vmm=qemu-9.2,cpu=graviton3`.
// Each key is a top-level key of the kind's schema (so a key the schema gains, such as a
// Guest's machineType, is accepted with no change here); the document is validated as a file
// is, and a problem is located by its column: `--from:1:8: kernel: …`.
import hostSchema from '../../schemas/host.schema.json' with { type: 'json' };
import guestSchema from '../../schemas/guest.schema.json' with { type: 'json' };
import { InputError, clip, dottedPath, type Diagnostic } from './diagnostics.js';
import { checkSchema, type LoadedDocument } from './load.js';
import { looksLikePath } from './paths.js';

type InlineKind = 'Host' | 'Guest';

type PropertySchema = { type?: string | string[]; enum?: unknown[]; const?: unknown };
const PROPERTIES: Record<InlineKind, Record<string, PropertySchema>> = {
  Host: hostSchema.properties as Record<string, PropertySchema>,
  Guest: guestSchema.properties as Record<string, PropertySchema>,
};

/** The shape of an inline profile, for messages that show it. */
export const INLINE_EXAMPLE: Record<InlineKind, string> = {
  Host: 'kernel=linux-6.6,vmm=qemu-9.2,cpu=graviton3',
  Guest: 'psciVersion=1.0,stolenTime=false',
};

/** `key=…` at the start, and not a path: a file whose name holds '=' is given as ./a=b.yaml. */
// (/^[A-Za-z][A-Za-z0-9]*=/, no [\\/], no \.ya?ml$, as string tests: start-up compiles no
// expression for them; test/profile/plain-matchers.test.ts holds the two alike)
export const isInline = (ref: string) => {
  let i = 0;
  while (i < ref.length && isAlnum(ref.charCodeAt(i), i === 0)) i++;
  return i > 0 && ref.charCodeAt(i) === 61 && !looksLikePath(ref);
};
const isAlnum = (c: number, first: boolean) => ((c | 0x20) >= 97 && (c | 0x20) <= 122 && c >= 65 && c < 128) || (!first && c >= 48 && c <= 57);

const types = (p: PropertySchema) => (p.type === undefined ? [] : Array.isArray(p.type) ? p.type : [p.type]);

/**
 * A word is a string unless the key's schema takes no string and the word reads as what it
 * does take: pmu=true is a boolean, stolenTime=false one of its enumerated values, and
 * psciVersion=1.0 stays the string "1.0" its schema asks for.
 */
function typed(word: string, p: PropertySchema | undefined): unknown {
  if (!p) return word;
  const t = types(p);
  const values = p.enum ?? (p.const !== undefined ? [p.const] : undefined);
  if (t.includes('string') || values?.includes(word) || (!t.length && !values)) return word;
  const bool = word === 'true' ? true : word === 'false' ? false : undefined;
  if (bool !== undefined && (t.includes('boolean') || values?.includes(bool))) return bool;
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(word) && (t.includes('number') || (t.includes('integer') && Number.isInteger(Number(word))))) return Number(word);
  return word;
}

/** The document an inline profile stands for; `origin` (the option, e.g. --from) is its "file". */
export function inlineDocument(text: string, kind: InlineKind, origin: string): LoadedDocument {
  const props = PROPERTIES[kind];
  const keyCol = new Map<string, number>();
  const valueCol = new Map<string, number>();
  const problems: Diagnostic[] = [];
  const here = (col: number, path: string, message: string): Diagnostic => ({ file: origin, line: 1, col, path, message });
  const data: Record<string, unknown> = { apiVersion: 'migcheck/v1', kind };
  let col = 1;
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0) problems.push(here(col, '', pair ? `'${clip(pair)}' is not key=value (e.g. ${INLINE_EXAMPLE[kind]})` : 'an empty item between commas'));
    else if (keyCol.has(key)) problems.push(here(col, key, `given twice (first at column ${keyCol.get(key)})`));
    else if (key === 'apiVersion' || key === 'kind') problems.push(here(col, key, `is implied: an inline profile is a migcheck/v1 ${kind}`));
    else if (eq === pair.length - 1) problems.push(here(col + eq + 1, key, 'needs a value after ='));
    else {
      keyCol.set(key, col);
      valueCol.set(key, col + eq + 1);
      data[key] = typed(pair.slice(eq + 1), props[key]);
    }
    col += pair.length + 1;
  }
  if (problems.length) throw new InputError(problems);
  // named after what was typed, unless it says otherwise (set after validation: it holds '=' and ',')
  const named = data.name !== undefined;
  if (!named) data.name = 'inline';
  const at: LoadedDocument['at'] = (segs, message, preferKey = false) => {
    const key = segs[0] === undefined ? undefined : String(segs[0]);
    const c = key === undefined ? 1 : ((preferKey && segs.length === 1 ? keyCol.get(key) : valueCol.get(key)) ?? keyCol.get(key) ?? 1);
    return here(c, dottedPath(segs), message);
  };
  checkSchema(data, kind, at);
  if (!named) data.name = text;
  return { file: origin, kind, data, at };
}
