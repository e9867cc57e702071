// `check` without yargs: the gate runs once per migration, so its start-up is its cost.
// Only a plain, well-formed `check` command line takes this path (node:util parseArgs,
// strict); anything else — help, a typo, a repeated flag, html — returns undefined and the
// full CLI handles it, so both paths give the same output and exit code (tested).
import { parseArgs } from 'node:util';
import { check } from './commands/check.js';
import { Context, type Io } from './context.js';
import { reportError } from './errors.js';

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  guest: { type: 'string' },
  'allow-unsafe': { type: 'boolean' },
  batch: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  profiles: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const;

const FORMATS = ['text', 'json', 'markdown'];

function plainArgs(argv: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch {
    return undefined;
  }
  const { values: v, positionals, tokens } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'check') return undefined;
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name) && t.name !== 'profiles') return undefined; // yargs would make it a list
    seen.add(t.name);
  }
  if (v.color && v['no-color']) return undefined;
  if (v.format !== undefined && !FORMATS.includes(v.format)) return undefined;
  return {
    from: v.from,
    to: v.to,
    guest: v.guest ?? 'default',
    allowUnsafe: v['allow-unsafe'] ?? false,
    batch: v.batch,
    format: (v.format ?? 'text') as 'text' | 'json' | 'markdown',
    output: v.output,
    profiles: v.profiles,
    quiet: v.quiet,
    color: v['no-color'] ? false : v.color,
  };
}

/** The exit code, or undefined when the command line is not a plain `check` (use the full CLI). */
export async function fastCheck(argv: readonly string[], io: Io): Promise<number | undefined> {
  const args = plainArgs(argv);
  if (!args) return undefined;
  try {
    return await check.run(args, new Context(io, args));
  } catch (err) {
    return reportError(err, io);
  }
}
