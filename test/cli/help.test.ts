// Issue 17 item 3: help wraps whole words at every width, lists the command's own options
// before the global ones, marks required ones, and every command shows examples that run.
import { describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../../src/cli/main.js';
import { helpSections, helpText, helpWidth } from '../../src/cli/help.js';
import { runEntry } from '../helpers.js';

const name = (c: (typeof COMMANDS)[number]) => c.command.split(' ')[0]!;
const targets = [undefined, ...COMMANDS];
const tokens = (s: string) => s.split(/\s+/).filter((w) => w && w !== '\\');

describe('help', () => {
  it('wraps at word boundaries at every width from 40 to 200 columns', () => {
    for (const c of targets) {
      const unwrapped = tokens(helpText(COMMANDS, c, 100_000));
      for (let w = 40; w <= 200; w++) {
        const text = helpText(COMMANDS, c, w);
        // the same words in the same order: none cut in two
        expect(tokens(text), `${c?.command ?? 'migcheck'} at ${w}`).toEqual(unwrapped);
        for (const line of text.split('\n')) if (line.length > w) expect(tokens(line).length, `${w}: ${line}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it('COLUMNS sets the width; wider terminals are capped at 100', () => {
    expect(helpWidth({ COLUMNS: '80' }, 200)).toBe(80);
    expect(helpWidth({ COLUMNS: '200' }, undefined)).toBe(100);
    expect(helpWidth({}, 120)).toBe(100);
    expect(helpWidth({}, undefined)).toBe(80);
  });

  it.each(COMMANDS.map((c) => [name(c), c] as const))('%s: own options before the global ones, required marked, no glued annotations', (_n, c) => {
    const text = helpText(COMMANDS, c, 80);
    const own = Object.keys(c.options ?? {});
    if (own.length) expect(text.indexOf('\nOptions:')).toBeLessThan(text.indexOf('\nGlobal options:'));
    const entries = helpSections(COMMANDS, c).find((s) => s.title === 'Options')?.entries ?? [];
    for (const [opt, d] of Object.entries(c.options ?? {})) {
      const entry = entries.find((e) => e.name.includes(`--${opt}`))!;
      expect(entry.text.includes('required'), opt).toBe(Boolean(d.demandOption) || /required unless/.test(String(d.describe)));
    }
    expect(text).not.toMatch(/\S\[(choices|default|required|array|string|boolean)/);
  });

  it('every command has one or two examples', () => {
    for (const c of COMMANDS) expect(c.examples?.length, name(c)).toBeGreaterThanOrEqual(1);
    for (const c of COMMANDS) expect(c.examples!.length, name(c)).toBeLessThanOrEqual(2);
  });

  // examples that need no host of their own, no glob and write no file: they run as shown
  const runnable = COMMANDS.flatMap((c) => (c.examples ?? []).filter((e) => !/ -o |\*|^probe|>/.test(e)).map((e) => [e] as const));
  it.each(runnable)('example runs: migcheck %s', async (example) => {
    const argv = (example.match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'(.*)'$/, '$1'));
    const r = await runEntry(main as never, argv);
    expect(r.code, r.stderr).toBeLessThan(3);
  });

  it.each([
    [['check', 'help'], 'check'],
    [['help', 'matrix'], 'matrix'],
    [['--profiles', 'x', 'fence', '-h'], 'fence'],
    [['help'], undefined],
  ])('%j is the help of %s', async (argv, command) => {
    const r = await runEntry(main as never, argv, { COLUMNS: '80' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(helpText(COMMANDS, COMMANDS.find((c) => name(c) === command), 80));
  });

  it('validate says it takes Fleets', () => {
    expect(helpText(COMMANDS, COMMANDS.find((c) => name(c) === 'validate'), 80)).toMatch(/Fleet/);
  });
});
