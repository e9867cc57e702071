// Fuzzing the command line (fast-check, seeded): random lines built from each command's
// declared options — repeated, without values, in =-forms, as attached or grouped short
// options, negated — never give an internal error (exit 4) or a stack; a single-valued
// option given twice is always exit 3; and the yargs-free check, whenever it answers,
// answers as the full CLI.
import fc from 'fast-check';
import type { Options } from 'yargs';
import { describe, expect, it } from 'vitest';
import { fastCheck } from '../../src/cli/check-fast.js';
import { COMMANDS, main } from '../../src/cli/main.js';
import { GLOBAL_OPTIONS } from '../../src/cli/options.js';
import { TMP, runEntry } from '../helpers.js';

const SEED = 20261201;
const H = 'test/fixtures/hosts';

// cheap values, so each line runs in milliseconds; a few wrong ones
const VALUES: Record<string, string[]> = {
  from: ['2018-old', `${H}/n1-6.6.yaml`, 'no-such-host'],
  to: ['2018-sysreg-new', `${H}/v1-6.6.yaml`],
  old: ['2018-old'],
  new: ['2018-vcpu-new', '2018-sysreg-new'],
  guest: ['default', '2018-compat', 'test/fixtures/guests/stolen-time-on.yaml'],
  compat: ['2018-compat'],
  fleet: ['test/fixtures/fleets/blocked.yaml', 'test/fixtures/fleets/missing-host.yaml'],
  batch: ['test/.tmp/no-such-batch.jsonl', 'test/fixtures/hosts/n1-6.6.yaml'],
  output: [`${TMP}/fuzz-options-out.txt`],
  profiles: ['profiles/examples', 'no/such/dir'],
  kernels: ['linux-6.12', 'linux-6.13', 'linux-6.12..linux-6.13'],
  vmms: ['qemu-9.2', 'qemu-11.1'],
  cpu: ['neoverse-n1', 'neoverse-v1:r1p1'],
  headroom: ['0.5', '-1', 'lots'],
  root: ['test/.tmp/no-such-tree'],
  vmm: ['qemu-9.2'],
  qemu: ['/bin/false'],
  'kvm-helper': ['/bin/false'],
  name: ['fuzz-baseline'],
};
// (check's --from/--to are pieces too: given there as well, they are repeats)
const POSITIONALS: Record<string, string[][]> = {
  check: [[], ['--from', '2018-old', '--to', '2018-sysreg-new'], ['--from', `${H}/n1-6.6.yaml`, '--to', `${H}/v1-6.6.yaml`]],
  matrix: [[], ['2018-old', '2018-sysreg-new']],
  baseline: [[], ['2018-old', '2018-vcpu-new']],
  validate: [[], [`${H}/n1-6.6.yaml`], ['test/fixtures/bad/unknown-key.yaml']],
  explain: [[], ['psci-version'], ['no-such-rule']],
  schema: [[], ['guest']],
  profiles: [[], ['show', 'qemu-9.2'], ['list']],
};

interface Piece {
  words: string[];
  /** the declared options these words give (a grouped short option gives several) */
  names: string[];
}

const aliasesOf = (d: Options) => (d.alias === undefined ? [] : Array.isArray(d.alias) ? d.alias : [d.alias]);
const valuesOf = (name: string, d: Options) => (d.choices ? [...(d.choices as string[]), 'bogus'] : (VALUES[name] ?? ['x']));

/** One option in one of the spellings a user (or a wrapper) might write; mostly good ones. */
function piece(name: string, d: Options): fc.Arbitrary<Piece> {
  const letter = aliasesOf(d).find((a) => a.length === 1);
  const one = (words: readonly string[]): Piece => ({ words: [...words], names: [name] });
  if (d.type === 'boolean') {
    const good = fc.constantFrom(`--${name}`, `--no-${name}`, `--${name}=true`, `--${name}=false`, ...(letter ? [`-${letter}`] : []));
    const bad = fc.constantFrom(`--${name}=yes`, `--${name}=`);
    return fc.oneof({ arbitrary: good, weight: 5 }, { arbitrary: bad, weight: 1 }).map((w) => one([w]));
  }
  const good = fc.tuple(fc.constantFrom(...valuesOf(name, d)), fc.nat(9)).map(([v, form]): Piece => {
    const forms = [[`--${name}`, v], [`--${name}=${v}`], ...(letter ? [[`-${letter}${v}`], [`-${letter}=${v}`], [`-${letter}`, v], [`-q${letter}${v}`]] : [])];
    const w = forms[form % forms.length]!;
    return { words: w, names: w[0]!.startsWith('-q') ? ['quiet', name] : [name] };
  });
  const bad = fc.constantFrom([`--${name}`], [`--${name}=`], [`--no-${name}`]).map(one);
  return fc.oneof({ arbitrary: good, weight: 5 }, { arbitrary: bad, weight: 1 });
}

function commandLine(c: (typeof COMMANDS)[number]) {
  const name = c.command.split(' ')[0]!;
  const declared = { ...GLOBAL_OPTIONS, ...c.options } as Record<string, Options>;
  const pieces = fc.oneof(...Object.entries(declared).map(([n, d]) => piece(n, d)));
  return fc
    .tuple(fc.constantFrom(...(POSITIONALS[name] ?? [[]])), fc.array(pieces, { maxLength: 4 }), fc.option(fc.nat(4), { nil: undefined, freq: 3 }))
    .map(([pos, ps, dup]) => {
      // a wrapper adding a flag of its own: one piece again
      const all = dup !== undefined && ps.length ? [...ps, ps[dup % ps.length]!] : ps;
      const counts = new Map<string, number>();
      for (const n of [...pos.filter((w) => w.startsWith('--')).map((w) => w.slice(2)), ...all.flatMap((p) => p.names)]) counts.set(n, (counts.get(n) ?? 0) + 1);
      const repeated = [...counts].some(([n, k]) => k > 1 && !declared[n]?.array);
      return { argv: [name, ...pos, ...all.flatMap((p) => p.words)], repeated };
    });
}

const run = runEntry;

const STACK = /\n\s+at |Error:|internal error/;

/** The properties every line must have; the fast check's answer, when it gives one, is the full CLI's. */
async function holds({ argv, repeated }: { argv: string[]; repeated: boolean }) {
  const at = argv.join(' ');
  const full = await run(main as never, argv);
  expect(full.code, at).not.toBe(4);
  expect(full.stderr, at).not.toMatch(STACK);
  expect(full.stdout, at).not.toMatch(/\n\s+at /);
  if (repeated) {
    expect(full.code, at).toBe(3);
    expect(full.stderr, at).toMatch(/^migcheck: /);
  }
  if (argv[0] === 'check') {
    const fast = await run(fastCheck as never, argv);
    if (fast.code !== undefined) expect(fast, at).toEqual(full);
  }
}

describe('random command lines from the declared options', () => {
  it('any command: never exit 4 or a stack; a repeated single-valued option is exit 3', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(...COMMANDS.map((c) => commandLine(c))), holds), { seed: SEED, numRuns: 150 });
  });

  it('check: the same, and the yargs-free path answers as the full CLI whenever it answers', async () => {
    const check = COMMANDS.find((c) => c.command === 'check')!;
    await fc.assert(fc.asyncProperty(commandLine(check), holds), { seed: SEED, numRuns: 120 });
  });
});
