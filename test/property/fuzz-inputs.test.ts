// Fuzzing where input comes from, exhaustively: FIFOs with no writer or a silent one, devices,
// directories, procfs and symlink loops, in every place a command reads a file,
// always end in exit 3 with located lines — never a hang (the read gives up after
// MIGCHECK_READ_IDLE_MS), never exit 4, never a stack. FIFOs live in the OS temp directory:
// a FIFO inside the repository would be opened by anything that walks it.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { cli } from '../helpers.js';

const DIR = mkdtempSync(join(tmpdir(), 'migcheck-fuzz-inputs-'));
const held: number[] = [];
let idle: string | undefined;

const fifo = (name: string) => {
  const f = join(DIR, name);
  const r = spawnSync('mkfifo', [f]);
  if (r.status !== 0) throw new Error(`mkfifo: ${r.stderr}`);
  return f;
};

// every kind of thing that is not a readable regular profile file, as a path
const SOURCES: Record<string, () => string> = {
  'fifo without a writer': () => fifo('lonely.yaml'),
  'fifo with a silent writer': () => {
    const f = fifo('silent.yaml');
    held.push(openSync(f, constants.O_RDWR | constants.O_NONBLOCK)); // a writer end, never written
    return f;
  },
  '/dev/zero': () => '/dev/zero',
  '/dev/null': () => '/dev/null',
  '/dev/urandom': () => '/dev/urandom',
  'a directory': () => {
    mkdirSync(join(DIR, 'dir.yaml'), { recursive: true });
    return join(DIR, 'dir.yaml');
  },
  'a symlink loop': () => {
    symlinkSync('loop-b.yaml', join(DIR, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(DIR, 'loop-b.yaml'));
    return join(DIR, 'loop-a.yaml');
  },
  '/proc/self/status': () => '/proc/self/status',
};
let paths: Record<string, string> = {};

// every place a command reads a user-named file: each option of each command (from the command
// registry, so a new command is fuzzed too) that names a profile, a fleet or a batch, with what
// the command needs beside it; and the positionals that name files
const FILE_OPTIONS = new Set(['from', 'to', 'guest', 'batch', 'old', 'new', 'compat', 'fleet']);
const FLEET = 'profiles/examples/fleet/eu-west.yaml';
const BESIDE: Record<string, string[][]> = {
  check: [['--from', 'altra-6.6'], ['--to', 'altra-6.6']],
  table: [['--old', 'altra-6.6'], ['--new', 'altra-6.6']],
  fence: [['--kernels', 'linux-6.6'], ['--vmms', 'qemu-9.2']],
};
const PLACES: ((p: string) => string[])[] = [
  ...COMMANDS.flatMap((c) => {
    const name = c.command.split(' ')[0]!;
    return Object.keys(c.options ?? {})
      .filter((o) => FILE_OPTIONS.has(o))
      .map((o) => (p: string) => {
        // the command's other needs, less the one this option gives (a batch is all check needs)
        const beside = o === 'batch' ? [] : (BESIDE[name] ?? (o === 'fleet' ? [] : [['--fleet', FLEET]])).filter(([flag]) => flag !== `--${o}`);
        return [name, ...beside.flat(), `--${o}`, p];
      });
  }),
  (p) => ['matrix', p, 'altra-6.6'],
  (p) => ['validate', p],
  (p) => ['profiles', 'show', p],
];

beforeAll(() => {
  idle = process.env.MIGCHECK_READ_IDLE_MS;
  process.env.MIGCHECK_READ_IDLE_MS = '150';
  paths = Object.fromEntries(Object.entries(SOURCES).map(([k, make]) => [k, make()]));
});
afterAll(() => {
  held.forEach((fd) => closeSync(fd));
  if (idle === undefined) delete process.env.MIGCHECK_READ_IDLE_MS;
  else process.env.MIGCHECK_READ_IDLE_MS = idle;
  rmSync(DIR, { recursive: true, force: true });
});

describe('inputs that are not regular files', () => {
  // every source in every place, not a sample: a few hundred runs, the FIFOs' waits bounded
  it('end in exit 3 with located lines wherever they are named', async () => {
    for (const source of Object.keys(SOURCES))
      for (const place of PLACES) {
        const argv = place(paths[source]!);
        const r = await cli(...argv);
        const at = `${argv.join(' ')}\n${r.stderr}`;
        expect(r.code, at).toBe(3);
        expect(r.stdout, at).toBe('');
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines.length).toBeGreaterThan(0);
        // located at the file, not a usage problem: the place did read the file (profiles show
        // takes a path for a file only when it ends in .yaml/.yml: any other word is a name)
        const file = paths[source]!;
        if (argv[0] === 'profiles' && !/\.ya?ml$/.test(file)) expect(lines[0], at).toBe(`migcheck: unknown profile '${file}'`);
        else expect(lines[0]!.startsWith(`${file}:`) && /^:\d+:\d+: \S/.test(lines[0]!.slice(file.length)), at).toBe(true);
        expect(r.stderr, at).not.toMatch(/\n\s+at |internal error/);
      }
  }, 120_000);
});
