// Help text, drawn from the same declarations yargs parses (so it cannot drift from them):
// words wrapped whole at any width (yargs' ESM build cuts them: "uns/afely"), the command's
// own options before the global ones, required ones marked, examples last. The man page
// (scripts/man.mjs) is generated from these sections.
import type { Options, PositionalOptions } from 'yargs';
import { terminalWidth, type Command } from './context.js';
import { wrapWords } from '../render/wrap.js';
import { GLOBAL_OPTIONS } from './options.js';

/** Help reads as a column of text: wider terminals get no longer lines than this. */
const MAX_HELP_WIDTH = 100;
const NAME_COLUMN = 28;

export const SUMMARY = 'Predicts whether live-migrating an arm64 KVM guest between two hosts fails, succeeds unsafely or succeeds cleanly, and why.';

/** What a value stands for, in the option's spelling (--from HOST). */
const PLACEHOLDER: Record<string, string> = {
  from: 'HOST',
  to: 'HOST',
  old: 'HOST',
  new: 'HOST',
  guest: 'GUEST',
  compat: 'GUEST',
  fleet: 'FILE',
  output: 'FILE',
  batch: 'FILE',
  profiles: 'DIR',
  kernels: 'KERNEL...',
  vmms: 'VMM...',
  headroom: 'FRACTION',
  root: 'DIR',
  qemu: 'PATH',
  'kvm-helper': 'PATH',
};

/** The width help is drawn for: the terminal's width, kept between 40 and MAX_HELP_WIDTH. */
export function helpWidth(env: Readonly<Record<string, string | undefined>>, ttyColumns: number | undefined): number {
  return Math.max(40, Math.min(MAX_HELP_WIDTH, terminalWidth(env, ttyColumns)));
}

interface HelpEntry {
  readonly name: string;
  readonly text: string;
}
export interface HelpSection {
  readonly title: string;
  readonly entries?: readonly HelpEntry[];
  readonly lines?: readonly string[];
}

const list = (values: readonly unknown[]) => values.map(String).join(', ');

function optionEntry(name: string, d: Options | PositionalOptions, positional = false): HelpEntry {
  const alias = typeof d.alias === 'string' && d.alias.length === 1 ? `-${d.alias}, ` : '';
  // choices too many for a heading that fits 40 columns are listed with the description
  const long = Boolean(d.choices && d.choices.join('|').length > 28);
  const value = d.type === 'boolean' ? '' : d.choices && !long ? ` ${d.choices.join('|')}` : ` ${PLACEHOLDER[name] ?? name.toUpperCase()}`;
  const spelled = positional ? name : `${alias ? '' : '    '}${alias}--${name}${value}`;
  const notes = [
    'demandOption' in d && d.demandOption ? 'required' : '',
    (positional || long) && d.choices ? `one of: ${list(d.choices)}` : '',
    d.array && !positional ? 'repeatable' : '',
    d.default !== undefined && !(Array.isArray(d.default) && !d.default.length) && d.default !== false ? `default: ${Array.isArray(d.default) ? list(d.default) : String(d.default)}` : '',
  ].filter(Boolean);
  return { name: spelled, text: `${d.describe ?? ''}${notes.length ? ` (${notes.join('; ')})` : ''}` };
}

const globalEntries = (top: boolean): HelpEntry[] => [
  ...Object.entries(GLOBAL_OPTIONS).map(([n, d]) => optionEntry(n, d as Options)),
  ...(top ? [{ name: '    --version', text: 'print the version' }] : []),
  { name: '-h, --help', text: 'this help (also: migcheck help COMMAND, migcheck COMMAND help)' },
];

/** Help as sections: the man page lays out the same ones. */
export function helpSections(commands: readonly Command<never>[], c?: Command<never>): HelpSection[] {
  if (!c)
    return [
      { title: 'Usage', lines: ['migcheck <command> [options]', '', SUMMARY] },
      { title: 'Commands', entries: commands.map((k) => ({ name: k.command.split(' ')[0]!, text: k.describe })) },
      { title: 'Global options', entries: globalEntries(true) },
      {
        title: 'Examples',
        lines: ["migcheck check --from 'kernel=linux-6.6,vmm=qemu-9.2,cpu=graviton3' --to altra-6.12", 'migcheck matrix --fleet fleet.yaml --fail-on fail', 'migcheck help check'],
      },
      {
        title: 'Environment',
        entries: [
          { name: 'MIGCHECK_PROFILES', text: 'profile search directories, colon-separated, searched after those of --profiles' },
          { name: 'NO_COLOR', text: 'no colour, unless --color is given' },
          { name: 'COLUMNS', text: 'the width help is wrapped to' },
        ],
      },
    ];
  const positional = Object.entries(c.positional ?? {});
  return [
    { title: 'Usage', lines: [`migcheck ${c.command} [options]`, '', c.describe] },
    ...(positional.length ? [{ title: 'Arguments', entries: positional.map(([n, d]) => optionEntry(n, d, true)) }] : []),
    ...(Object.keys(c.options ?? {}).length ? [{ title: 'Options', entries: Object.entries(c.options ?? {}).map(([n, d]) => optionEntry(n, d)) }] : []),
    { title: 'Global options', entries: globalEntries(false) },
    ...(c.examples?.length ? [{ title: 'Examples', lines: c.examples.map((e) => `migcheck ${e}`) }] : []),
  ];
}

/** An entry: its name, then the text wrapped beside it (or below it, when the name is long). */
function entryLines({ name, text }: HelpEntry, width: number): string[] {
  const indent = Math.min(NAME_COLUMN, Math.floor(width / 3));
  const head = `  ${name}`;
  const body = wrapWords(text, width - indent);
  const pad = ' '.repeat(indent);
  if (head.length + 2 <= indent) return [`${head.padEnd(indent)}${body[0]}`.trimEnd(), ...body.slice(1).map((l) => pad + l)];
  return [head, ...body.map((l) => pad + l)];
}

/** A command line as the shell takes it: folded at words, with a backslash before each fold. */
function commandLines(l: string, width: number): string[] {
  const lines = wrapWords(l, width - 8);
  return lines.map((w, i) => `${i ? '      ' : '  '}${w}${i < lines.length - 1 ? ' \\' : ''}`);
}

export function helpText(commands: readonly Command<never>[], c: Command<never> | undefined, width: number): string {
  const out: string[] = [];
  for (const s of helpSections(commands, c)) {
    out.push(`${s.title}:`);
    if (s.lines) for (const l of s.lines) out.push(...(l === '' ? [''] : l.startsWith('migcheck ') ? commandLines(l, width) : wrapWords(l, width - 2).map((w) => `  ${w}`)));
    if (s.entries) for (const e of s.entries) out.push(...entryLines(e, width));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
