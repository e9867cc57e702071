// The installed executable (bin/migcheck -> dist bundles), as scripts run it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { constants, createReadStream, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TMP } from '../helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'migcheck');
const run = (...args: string[]) => spawnSync(bin, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('bin/migcheck', () => {
  it('prints the 2018 table and exits 0', () => {
    const r = run('table', '--old', '2018-old', '--new', '2018-sysreg-new', '--compat', '2018-compat');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| sysreg approach');
    expect(r.stderr).toBe('');
  });

  it.each([
    ['a malformed file', ['check', '--from', 'test/fixtures/bad/syntax.yaml', '--to', '2018-old'], /^test\/fixtures\/bad\/syntax\.yaml:\d+:\d+: /],
    ['an unknown key', ['check', '--from', 'test/fixtures/bad/unknown-key.yaml', '--to', '2018-old'], /^test\/fixtures\/bad\/unknown-key\.yaml:7:3: cpu\.modle: unknown key/],
    ['a wrong type', ['check', '--from', 'test/fixtures/bad/wrong-type.yaml', '--to', '2018-old'], /^test\/fixtures\/bad\/wrong-type\.yaml:6:29: kernel\.psci\.versions\[1\]: expected string/],
    ['an unknown profile name', ['check', '--from', 'test/fixtures/bad/unknown-name.yaml', '--to', '2018-old'], /^test\/fixtures\/bad\/unknown-name\.yaml:4:9: kernel: unknown kernel profile 'linux-6\.66'/],
    ['a missing file', ['check', '--from', 'nope/missing.yaml', '--to', '2018-old'], /^nope\/missing\.yaml:1:1: \(document\): cannot read: no such file/],
  ])('exits 3 on %s with a file:line:col line and no stack trace', (_what, args, first) => {
    const r = run(...(args as string[]));
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(first as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--version and --help exit 0', () => {
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(run('--help').status).toBe(0);
  });

  it('--output writes the result atomically and nothing to stdout', () => {
    const out = join(TMP, 'table.json'); // helpers.ts creates it
    const r = run('table', '--old', '2018-old', '--new', '2018-vcpu-new', '--format', 'json', '--output', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(execFileSync('cat', [out], { encoding: 'utf8' })).rows).toHaveLength(3);
  });

  // the full CLI exits as soon as its output has left the streams (bin/migcheck): a reader
  // that is slow to start (more than a pipe buffer waits) still gets every byte, and the exit code
  it('a full-CLI report through a slow pipe arrives whole, with its exit code', () => {
    const args = ['matrix', '--fleet', 'profiles/examples/fleet/eu-west.yaml', '--format', 'json', '--fail-on', 'fail'];
    const direct = run(...args);
    expect(direct.stdout.length).toBeGreaterThan(100_000);
    const slow = spawnSync('bash', ['-o', 'pipefail', '-c', '"$@" | (sleep 0.5; cat)', 'sh', bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 26 });
    expect({ status: slow.status, stdout: slow.stdout }).toEqual({ status: direct.status, stdout: direct.stdout });
    expect(direct.status).toBe(2);
  });

  // A bash pipe is blocking, so the writes above wait in writeSync and never reach the stream
  // fallback. Here the child's stdout is a FIFO made non-blocking after the child has started
  // (spawn makes a child's stdio blocking; O_NONBLOCK lives on the open file, which parent and
  // child share, and libuv sets it when the parent opens its copy as a socket): once the 64 KiB
  // pipe buffer is full, writeSync fails with EAGAIN, and the rest must arrive through
  // process.stdout, in order, with the exit code. Without the fallback's write it does not.
  it.skipIf(spawnSync('mkfifo', ['--version']).status !== 0 || !existsSync('/proc/self/io'))('a full-CLI report through a non-blocking pipe that fills arrives whole, with its exit code', async () => {
    const args = ['matrix', '--fleet', 'profiles/examples/fleet/eu-west.yaml', '--format', 'json', '--fail-on', 'fail'];
    const direct = run(...args);
    expect(direct.stdout.length).toBeGreaterThan(2 * 65536);
    const dir = mkdtempSync(join(tmpdir(), 'migcheck-nb-'));
    try {
      const fifo = join(dir, 'out');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      // read-write, so neither open waits for the other end; the reader is a plain blocking one
      const w = openSync(fifo, constants.O_RDWR);
      const r = openSync(fifo, constants.O_RDONLY);
      const child = spawn(bin, args, { cwd: root, stdio: ['ignore', w, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      // the child's stdout non-blocking from now on; destroying the socket closes the parent's copy
      new Socket({ fd: w, readable: false, writable: true }).destroy();
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const status = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      // the child's stdout is non-blocking (O_NONBLOCK, 04000 in fdinfo's octal flags), and nobody
      // reads until it has written a pipe buffer's worth (so its next write meets EAGAIN)
      const flags = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/${child.pid}/fdinfo/1`, 'utf8'))?.[1];
      expect(Number.parseInt(flags ?? '0', 8) & 0o4000).toBe(0o4000);
      const written = () => Number(/wchar:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))?.[1] ?? 0);
      for (let waited = 0; written() < 65536 && waited < 20_000; waited += 20) await new Promise((done) => setTimeout(done, 20));
      expect(written()).toBeGreaterThanOrEqual(65536);
      const chunks: Buffer[] = [];
      await new Promise<void>((done, fail) => createReadStream('', { fd: r }).on('data', (c) => chunks.push(c as Buffer)).on('end', done).on('error', fail));
      const stdout = Buffer.concat(chunks).toString('utf8');
      // (lengths and a flag, not the 140 KB texts, so that a failure reads in one line)
      expect({ status: await status, stderr, length: stdout.length, same: stdout === direct.stdout }).toEqual({ status: direct.status, stderr: '', length: direct.stdout.length, same: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
