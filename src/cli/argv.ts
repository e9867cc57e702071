// The command-line rules both parsers share (yargs in main.ts, node:util parseArgs in
// check-fast.ts). They run on the words themselves, against the option declarations, so
// the two paths cannot disagree:
// - a short option takes an attached value (-fjson, -f=json) and groups (-qfjson);
// - an option not declared `array: true` is given at most once, flags included — wrappers
//   add flags of their own, and a second `--fail-on` must not switch the gate off silently;
// - an option that takes a value gets a non-empty one; a flag takes none but =true / =false
//   (`--allow-unsafe=yes` would otherwise be read as false) and --no-X negates only flags.
import type { Options } from 'yargs';
import { UsageError, clip } from '../profile/diagnostics.js';

type Declared = Readonly<Record<string, Options>>;

/** what yargs-parser takes for a negative number rather than an option */
const NEGATIVE = /^-([0-9]+(\.[0-9]+)?|\.[0-9]+)$/;
const takesValue = (d: Options) => d.type !== 'boolean';
/** fail-on -> failOn: the key yargs (and so every command) reads an option under */
export function camel(s: string): string {
  // s.replace(/-([a-z])/g, upper) spelled out, and most names have no '-': the gate's start-up
  // runs this cold for every option it declares
  if (!s.includes('-')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const next = s[i + 1];
    if (s[i] === '-' && next !== undefined && next >= 'a' && next <= 'z') {
      out += next.toUpperCase();
      i++;
    } else out += s[i];
  }
  return out;
}
const short = (s: string) => clip(s, 40);
const aliases = (d: Options) => (d.alias === undefined ? [] : Array.isArray(d.alias) ? d.alias : [d.alias]);

/** Every spelling yargs accepts after -- (name, camelCase, aliases) -> the declared name; made once per declaration (expandArgv and checkArgv both ask). */
const spelt = new WeakMap<Declared, Map<string, string>>();
function spellings(declared: Declared): Map<string, string> {
  let m = spelt.get(declared);
  if (m) return m;
  spelt.set(declared, (m = new Map<string, string>()));
  for (const [name, d] of Object.entries(declared)) for (const s of [name, ...aliases(d)]) for (const v of [s, camel(s)]) m.set(v, name);
  return m;
}

/**
 * Single-letter options spelled out: -q -> --quiet, -fjson and -f=json -> --format=json,
 * -qfjson -> --quiet --format=json; and `--X -` joined as --X=- (yargs would take a lone
 * `-` for a positional). A word with a letter that is not declared is left to the parser.
 */
export function expandArgv(argv: readonly string[], declared: Declared): string[] {
  const letters = new Map<string, string>();
  for (const [name, d] of Object.entries(declared)) for (const a of aliases(d)) if (a.length === 1) letters.set(a, name);
  const end = argv.indexOf('--');
  const words = (end < 0 ? argv : argv.slice(0, end)).flatMap((w) => (w.length > 1 && w[0] === '-' && w[1] !== '-' && !NEGATIVE.test(w) ? (expandShort(w, letters, declared) ?? [w]) : [w]));
  const long = spellings(declared);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const name = w.startsWith('--') && !w.includes('=') ? long.get(w.slice(2)) : undefined;
    if (name && takesValue(declared[name]!) && words[i + 1] === '-') out.push(`${w}=${words[++i]}`);
    else out.push(w);
  }
  return end < 0 ? out : [...out, ...argv.slice(end)];
}

function expandShort(w: string, letters: ReadonlyMap<string, string>, declared: Declared): string[] | undefined {
  const out: string[] = [];
  for (let i = 1; i < w.length; i++) {
    const name = letters.get(w[i]!);
    if (!name) return undefined;
    const rest = w.slice(i + 1);
    if (rest.startsWith('=')) return [...out, `--${name}${rest}`];
    if (takesValue(declared[name]!) && rest) return [...out, `--${name}=${rest}`];
    out.push(`--${name}`);
  }
  return out;
}

/**
 * Throws a UsageError for the first word that breaks the rules above. Undeclared options
 * are left alone (strict parsing reports them); so is everything after `--`.
 */
export function checkArgv(argv: readonly string[], declared: Declared): void {
  const long = spellings(declared);
  const given = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === '--') break;
    if (!w.startsWith('--')) continue;
    const eq = w.indexOf('=');
    const raw = eq < 0 ? w.slice(2) : w.slice(2, eq);
    const inline = eq < 0 ? undefined : w.slice(eq + 1);
    // yargs would read --from.x as an object under --from; no option here has sub-keys
    const dot = raw.indexOf('.');
    if (dot > 0 && (long.has(raw.slice(0, dot)) || (raw.startsWith('no-') && long.has(raw.slice(3, dot)))))
      throw new UsageError(`--${short(raw)}: migcheck's options have no sub-keys; give --${long.get(raw.slice(0, dot)) ?? long.get(raw.slice(3, dot))}`);
    let name = long.get(raw);
    const negated = !name && eq < 0 && raw.startsWith('no-') && long.has(raw.slice(3));
    if (negated) name = long.get(raw.slice(3));
    if (!name) continue;
    const d = declared[name]!;
    let shown: string;
    if (!takesValue(d)) {
      if (inline !== undefined && !/^(true|false)$/.test(inline)) throw new UsageError(`--${name}=${short(inline)}: --${name} is a flag; give it alone (or =true / =false)`);
      // yargs reads a following true/false as the flag's value
      if (inline === undefined && !negated && /^(true|false)$/.test(argv[i + 1] ?? '')) i++;
      shown = negated ? `--no-${name}` : `--${name}`;
    } else {
      if (negated) throw new UsageError(`--no-${name}: --${name} takes a value; it is not a flag`);
      let value = inline;
      const next = argv[i + 1];
      if (value === undefined && next !== undefined && (!next.startsWith('-') || NEGATIVE.test(next))) {
        value = next;
        i++;
      }
      if (!value) throw new UsageError(`--${name} needs a value`);
      shown = short(value);
    }
    if (d.array) continue;
    const seen = [...(given.get(name) ?? []), shown];
    given.set(name, seen);
    if (seen.length < 2) continue;
    // the values, or for a flag its spellings when they differ (--color, --no-color)
    const which = takesValue(d) || seen[0] !== seen[1] ? ` (${seen.join(', ')})` : '';
    throw new UsageError(`--${name} given twice${which}; it ${takesValue(d) ? 'takes one value' : 'is a flag: give it once'}`);
  }
}
