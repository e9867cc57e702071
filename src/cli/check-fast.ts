// `check` without yargs: the gate runs once per migration, so its start-up is its cost.
// Only a plain, well-formed `check` command line takes this path: node:util parseArgs,
// strict, over a parser derived from the same option declarations yargs reads, on the words
// spelled out as the full CLI spells them (argv.ts). Anything else — help, a typo, a
// repeated option, a missing value, a value outside its choices — returns undefined and the
// full CLI handles it, so both paths give the same output and exit code (tested).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Options } from 'yargs';
import { check } from './commands/check.js';
import { Context, type GlobalArgs, type Io } from './context.js';
import { reportError } from './errors.js';
import { processIo } from './io.js';
import { GLOBAL_OPTIONS } from './options.js';
import { camel, checkArgv, expandArgv } from './argv.js';

const DECLARED: Record<string, Options> = { ...GLOBAL_OPTIONS, ...check.options };

// yargs' spelling -> parseArgs': one-letter aliases as short flags, arrays as repeatable,
// and --no-X for every boolean (yargs negates them)
export const PARSER: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
  Object.entries(DECLARED).flatMap(([name, d]) => [
    [name, { type: d.type === 'boolean' ? 'boolean' : 'string', ...(d.array ? { multiple: true } : {}), ...(typeof d.alias === 'string' && d.alias.length === 1 ? { short: d.alias } : {}) }],
    ...(d.type === 'boolean' ? [[`no-${name}`, { type: 'boolean' }]] : []),
  ]),
);

type Parsed = { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };

/**
 * parseArgs' answer for the words a script writes (--name value, --name=value, --flag,
 * --no-flag, positionals), without parseArgs: on its first call it costs the gate ~2-4 ms
 * (its module, and validating the 30 option configs). Any other word (a short option, `--`,
 * a value that starts with '-', an undeclared option, =value on a flag) returns undefined
 * and parseArgs decides. test/cli/check-fast.test.ts holds it to parseArgs on random words.
 */
export function simpleParse(words: readonly string[], options: NonNullable<ParseArgsConfig['options']> = PARSER): Parsed | undefined {
  const values: Parsed['values'] = {};
  const positionals: string[] = [];
  const store = (name: string, v: string | boolean) => {
    if (options[name]!.multiple) ((values[name] ??= []) as (string | boolean)[]).push(v);
    else values[name] = v;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || w === '-') {
      positionals.push(w);
      continue;
    }
    if (!w.startsWith('--') || w === '--') return undefined;
    const eq = w.indexOf('=');
    const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
    if (!Object.hasOwn(options, name)) return undefined;
    const boolean = options[name]!.type === 'boolean';
    if (eq >= 0) {
      if (boolean) return undefined;
      store(name, w.slice(eq + 1));
    } else if (boolean) store(name, true);
    else {
      const next = words[i + 1];
      if (next === undefined || next.startsWith('-')) return undefined;
      store(name, next);
      i++;
    }
  }
  return { values, positionals };
}

function plainArgs(argv: readonly string[]): Record<string, unknown> | undefined {
  // spelled out as the full CLI spells them
  const words = expandArgv(argv, DECLARED);
  let parsed: Parsed | undefined = simpleParse(words);
  if (!parsed)
    try {
      parsed = parseArgs({ args: words, options: PARSER, allowPositionals: true, strict: true }) as Parsed;
    } catch {
      return undefined;
    }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'check') return undefined;
  try {
    checkArgv(words, DECLARED);
  } catch {
    return undefined; // a refused word: the full CLI says why, in its words
  }
  const args: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(DECLARED)) {
    let v = values[name];
    if (values[`no-${name}`]) v = false;
    v ??= d.default;
    if (d.choices && v !== undefined && !(d.choices as unknown[]).includes(v)) return undefined;
    if (v !== undefined) args[camel(name)] = v;
  }
  // html, junit and sarif: the full CLI says where they are offered (or runs --batch as junit)
  return ['text', 'json', 'markdown'].includes(args.format as string) ? args : undefined;
}

/** The exit code, or undefined when the command line is not a plain `check` (use the full CLI). */
export async function fastCheck(argv: readonly string[], io: Io = processIo()): Promise<number | undefined> {
  const args = plainArgs(argv) as (Parameters<typeof check.run>[0] & GlobalArgs) | undefined;
  if (!args) return undefined;
  try {
    return await check.run(args, new Context(io, args));
  } catch (err) {
    return reportError(err, io);
  }
}
