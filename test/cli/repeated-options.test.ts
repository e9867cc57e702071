// Issue 12 item 1: an option not declared repeatable, given twice, is exit 3 naming it —
// for every option of every command, generated from the declarations both parsers read
// (flags included: `--quiet --quiet`, `--color --no-color`). A second `--fail-on` used to
// turn the gate off (exit 0) and a second `--from` crashed (exit 4).
import type { Options } from 'yargs';
import { describe, expect, it } from 'vitest';
import { fastCheck } from '../../src/cli/check-fast.js';
import { COMMANDS, main } from '../../src/cli/main.js';
import { runEntry } from '../helpers.js';
import { GLOBAL_OPTIONS } from '../../src/cli/options.js';

const run = runEntry;
const full = (argv: string[]) => run(main as never, argv);

/** a value the option accepts, so only the repetition is wrong */
const valueFor = (d: Options) => (d.choices ? String((d.choices as unknown[])[0]) : d.type === 'number' ? '0.5' : 'x.yaml');
const aliasesOf = (d: Options) => (d.alias === undefined ? [] : Array.isArray(d.alias) ? d.alias : [d.alias]);

// a demanded positional is counted before options are looked at
const POSITIONAL: Record<string, string[]> = { validate: ['x.yaml'], fleet: ['add', 'fleet.yaml', 'probed'] };
const cases = COMMANDS.flatMap((c) => {
  const name = c.command.split(' ')[0]!;
  return Object.entries({ ...GLOBAL_OPTIONS, ...c.options } as Record<string, Options>).map(([opt, d]) => ({ command: [name, ...(POSITIONAL[name] ?? [])], opt, d }));
});
const single = cases.filter((c) => !c.d.array);
const repeatable = cases.filter((c) => c.d.array);

describe('a single-valued option given twice', () => {
  it.each(single.map((c) => [`${c.command[0]} --${c.opt}`, c] as const))('%s: exit 3 naming it', async (_label, { command, opt, d }) => {
    const once = d.type === 'boolean' ? [`--${opt}`] : [`--${opt}`, valueFor(d)];
    const r = await full([...command, ...once, ...once]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`migcheck: --${opt} given twice${d.type === 'boolean' ? '' : ` (${valueFor(d)}, ${valueFor(d)})`}; it ${d.type === 'boolean' ? 'is a flag: give it once' : 'takes one value'}`);
  });

  it.each(single.map((c) => [`${c.command[0]} --${c.opt}`, c] as const))('%s: every spelling counts (=value, aliases, --no-)', async (_label, { command, opt, d }) => {
    const spellings =
      d.type === 'boolean'
        ? [`--${opt}`, `--no-${opt}`, `--${opt}=true`, ...aliasesOf(d).map((a) => (a.length === 1 ? `-${a}` : `--${a}`))]
        : [`--${opt}=${valueFor(d)}`, ...aliasesOf(d).map((a) => (a.length === 1 ? `-${a}${valueFor(d)}` : `--${a}=${valueFor(d)}`))];
    for (const second of spellings) {
      const first = d.type === 'boolean' ? `--${opt}` : `--${opt}=${valueFor(d)}`;
      const r = await full([...command, first, second]);
      expect(r.code, `${first} ${second}`).toBe(3);
      expect(r.stderr, `${first} ${second}`).toMatch(new RegExp(`^migcheck: --${opt} given twice`));
    }
  });

  it.each(['matrix', 'baseline', 'plan'])('%s --fail-on fail --fail-on fail cannot exit 0 (one --fail-on fail exits 2)', async (command) => {
    const base = [command, '--fleet', 'test/fixtures/fleets/blocked.yaml'];
    expect((await full([...base, '--fail-on', 'fail'])).code).toBe(2);
    expect((await full([...base, '--fail-on', 'fail', '--fail-on', 'fail'])).code).toBe(3);
  });

  it('table and fence: the same', async () => {
    const t = ['table', '--old', '2018-vcpu-new', '--new', '2018-old'];
    expect((await full([...t, '--fail-on', 'unsafe'])).code).toBe(1);
    expect((await full([...t, '--fail-on', 'unsafe', '--fail-on', 'unsafe'])).code).toBe(3);
    const f = ['fence', '--kernels', 'linux-6.12', 'linux-6.13', '--vmms', 'qemu-9.2'];
    expect((await full([...f, '--fail-on', 'fail'])).code).toBe(2);
    expect((await full([...f, '--fail-on', 'fail', '--fail-on', 'fail'])).code).toBe(3);
  });

  it('the yargs-free check leaves every repeat to the full CLI', async () => {
    for (const { opt, d } of single.filter((c) => c.command[0] === 'check')) {
      const once = d.type === 'boolean' ? [`--${opt}`] : [`--${opt}`, valueFor(d)];
      const base = opt === 'from' ? ['--to', '2018-old'] : opt === 'to' ? ['--from', '2018-old'] : ['--from', '2018-old', '--to', '2018-old'];
      const argv = ['check', ...base, ...once, ...once];
      expect((await run(fastCheck as never, argv)).code, argv.join(' ')).toBeUndefined();
      expect((await full(argv)).code, argv.join(' ')).toBe(3);
    }
  });
});

describe('options declared repeatable', () => {
  it.each(repeatable.map((c) => [`${c.command[0]} --${c.opt}`, c] as const))('%s may be given twice', async (_label, { command, opt }) => {
    const r = await full([...command, `--${opt}`, 'a', `--${opt}`, 'b']);
    expect(r.stderr).not.toMatch(/given twice/);
  });
});

describe('what lets the words be spelled out before the command is known (src/cli/argv.ts)', () => {
  it('short options are global only', () => {
    for (const c of COMMANDS) for (const d of Object.values(c.options ?? {})) expect(aliasesOf(d).filter((a) => a.length === 1), c.command).toEqual([]);
  });

  it('an option name is a flag in every command or in none', () => {
    const flag = new Map<string, boolean>();
    for (const { opt, d } of cases) {
      const isFlag = d.type === 'boolean';
      expect(flag.get(opt) ?? isFlag, opt).toBe(isFlag);
      flag.set(opt, isFlag);
    }
  });
});
