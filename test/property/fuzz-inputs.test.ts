// Fuzzing where input comes from (fast-check, seeded): FIFOs with no writer or a silent one,
// devices, directories, procfs and symlink loops, in every place a command reads a file,
// always end in exit 3 with located lines — never a hang (the read gives up after
// MIGCHECK_READ_IDLE_MS), never exit 4, never a stack. FIFOs live in the OS temp directory:
// a FIFO inside the repository would be opened by anything that walks it.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const SEED = 20261201;
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

// every place a command reads a user-named file
const PLACES: ((p: string) => string[])[] = [
  (p) => ['check', '--from', p, '--to', 'altra-6.6'],
  (p) => ['check', '--from', 'altra-6.6', '--to', p],
  (p) => ['check', '--from', 'altra-6.6', '--to', 'altra-6.6', '--guest', p],
  (p) => ['check', '--batch', p],
  (p) => ['validate', p],
  (p) => ['table', '--old', p, '--new', 'altra-6.6'],
  (p) => ['matrix', '--fleet', p],
  (p) => ['plan', '--fleet', p],
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
  it('end in exit 3 with located lines wherever they are named', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(SOURCES)), fc.nat({ max: PLACES.length - 1 }), async (source, place) => {
        const argv = PLACES[place]!(paths[source]!);
        const r = await cli(...argv);
        expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(3);
        expect(r.stdout).toBe('');
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines.length).toBeGreaterThan(0);
        expect(lines[0]).toMatch(/^(?:[^\s:][^:]*:\d+:\d+: \S|migcheck: )/);
        expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      }),
      { seed: SEED, numRuns: 60 },
    );
  }, 60_000);
});
