// Issue 12 item 7: output the process cannot deliver is never a verdict and never a stack.
// stdout on a full device is exit 3 with one line; a closed stderr leaves the exit code the
// run computed (a bad-input run exited 1, "unsafe", before); a reader that stops early
// (`| head`) is not an error either, so the gate keeps its verdict (2 here, not 0).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'migcheck');
const H = 'test/fixtures/hosts';
const env = { ...process.env, NO_COLOR: '1', MIGCHECK_DEBUG: '' };
const STACK = /\n\s+at |Error:/;

const CASES: [string, string[], number][] = [
  ['check, clean (the yargs-free path)', ['check', '--from', `${H}/n1-6.6.yaml`, '--to', `${H}/n1-6.12.yaml`], 0],
  ['check, fail', ['check', '--from', `${H}/n1-6.6.yaml`, '--to', `${H}/v1-6.6.yaml`], 2],
  ['a report (the full CLI)', ['table', '--old', '2018-old', '--new', '2018-sysreg-new', '--fail-on', 'unsafe'], 1],
  ['a long report', ['matrix', '--fleet', 'profiles/examples/fleet/eu-west.yaml', '--format', 'html', '--fail-on', 'unsafe'], 1],
];

/** Run bin/migcheck with one end of its stdout or stderr closed before it writes. */
function closedPipe(args: string[], which: 'stdout' | 'stderr'): Promise<{ code: number | null; other: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    p[which].destroy();
    let other = '';
    p[which === 'stdout' ? 'stderr' : 'stdout'].on('data', (d: Buffer) => (other += d));
    p.on('close', (code) => done({ code, other }));
  });
}

describe('stdout on a full device', () => {
  const full = existsSync('/dev/full');
  let fd = -1;
  beforeAll(() => {
    if (full) fd = openSync('/dev/full', 'w');
  });
  afterAll(() => {
    if (fd >= 0) closeSync(fd);
  });

  it.runIf(full).each(CASES)('%s: exit 3, one line, no stack', (_what, args) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('migcheck: cannot write to stdout: ENOSPC\n');
  });
});

describe('a closed stderr', () => {
  it('a bad-input run still exits 3 (not 1)', async () => {
    const r = await closedPipe(['check', '--from', 'no-such-host', '--to', '2018-old'], 'stderr');
    expect(r.code).toBe(3);
  });

  it('a usage error of the full CLI still exits 3', async () => {
    expect((await closedPipe(['table', '--old', 'a', '--old', 'b'], 'stderr')).code).toBe(3);
  });

  it.each(CASES)('%s: the verdict stands', async (_what, args, code) => {
    const r = await closedPipe(args, 'stderr');
    expect(r.code).toBe(code);
    expect(r.other.length).toBeGreaterThan(0);
  });
});

describe('a reader that stops early (EPIPE on stdout)', () => {
  it.each(CASES)('%s: ends quietly with the exit code it computed', async (_what, args, code) => {
    const r = await closedPipe(args, 'stdout');
    expect(r.code).toBe(code);
    expect(r.other).not.toMatch(STACK);
    expect(r.other).toBe('');
  });
});
