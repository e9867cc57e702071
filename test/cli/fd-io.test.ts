// bin/migcheck's fd writer: the fast `check` writes stdout and stderr with fs.writeSync instead of
// Node's process streams (which cost the gate ~5-8 ms to make). Through a pipe, a socket, a
// file and /dev/null the bytes and exit code are those the full CLI computes in-process
// (src/cli/main.ts, the streams' path); the writer's own edge cases (a partial write, EAGAIN
// on a non-blocking pipe, a failing device) are driven through its injectable write.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'migcheck');
const require = createRequire(import.meta.url);
type Writer = { write(s: string): unknown; readonly pending?: unknown };
const { writer, plain } = require(join(root, 'bin', 'migcheck')) as {
  writer(fd: number, stream: () => Writer, onError: (e: NodeJS.ErrnoException) => void, write?: (fd: number, b: Buffer, off: number, len: number) => number): Writer;
  plain(fd: number): boolean;
};
const env = { ...process.env, NO_COLOR: '1', MIGCHECK_DEBUG: '' };
const dir = mkdtempSync(join(tmpdir(), 'migcheck-fd-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const probed = (t: string) => `test/fixtures/hosts/${t}/expected/host-kvm.yaml`;
const CASES: string[][] = [
  ['check', '--from', probed('altra-n1-ubuntu-5.15'), '--to', probed('graviton3-v1-al2023-6.1')],
  ['check', '--from', probed('altra-n1-ubuntu-5.15'), '--to', probed('altra-n1-ubuntu-5.15'), '--format', 'json'],
  ['check', '--from', 'test/fixtures/hosts/n1-6.6.yaml', '--to', 'test/fixtures/hosts/n1-6.12.yaml', '-f', 'markdown'],
  ['check', '--from', 'test/fixtures/bad/unknown-key.yaml', '--to', '2018-old'],
  ['check', '--from', 'no-such-host', '--to', '2018-old'],
];

async function inProcess(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => ((stdout += s), true) }, stderr: { write: (s: string) => ((stderr += s), true) }, stdoutIsTTY: false, stderrIsTTY: false, env: { NO_COLOR: '1' } };
  const code = await main(argv, io as never);
  return { code, stdout, stderr };
}

describe('the fast check without process streams', () => {
  it.each(CASES)('%j: through a pipe, the same bytes and exit code as the full CLI', async (...argv) => {
    const want = await inProcess(argv);
    const r = spawnSync(bin, argv, { cwd: root, env, encoding: 'utf8' });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual(want);
  });

  it.each(CASES)('%j: into files, and through a shell pipe, the same', async (...argv) => {
    const want = await inProcess(argv);
    const out = join(dir, 'out');
    const err = join(dir, 'err');
    const fds = [openSync(out, 'w'), openSync(err, 'w')];
    const r = spawnSync(bin, argv, { cwd: root, env, stdio: ['ignore', fds[0]!, fds[1]!] });
    fds.forEach((fd) => closeSync(fd));
    expect({ code: r.status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') }).toEqual(want);
    // a real pipe (not the socket pair Node gives a child) on both streams
    const sh = spawnSync('bash', ['-o', 'pipefail', '-c', '"$@" 2>&1 | cat', 'sh', bin, ...argv], { cwd: root, env, encoding: 'utf8' });
    expect({ code: sh.status, both: sh.stdout }).toEqual({ code: want.code, both: want.stdout + want.stderr });
  });

  it('/dev/null: the same exit code', async () => {
    for (const argv of CASES) {
      const r = spawnSync(bin, argv, { cwd: root, env, stdio: 'ignore' });
      expect(r.status).toBe((await inProcess(argv)).code);
    }
  });

  it('a terminal is not plain (it keeps the process stream); files, pipes and /dev/null are', () => {
    const fd = openSync('/dev/null', 'w');
    expect(plain(fd)).toBe(true);
    closeSync(fd);
    expect(plain(-1)).toBe(false);
    const f = openSync(join(dir, 'plain'), 'w');
    expect(plain(f)).toBe(true);
    closeSync(f);
  });
});

describe('the writer', () => {
  const errno = (code: string) => Object.assign(new Error(code), { code });

  it('finishes a partial write, and after EAGAIN hands the rest to the stream in order', () => {
    const got: string[] = [];
    const viaStream: string[] = [];
    let calls = 0;
    const stream = { write: (s: unknown) => viaStream.push(String(s)) };
    const w = writer(1, () => stream, () => expect.unreachable(), (_fd, b, off, len) => {
      if (++calls === 3) throw errno('EAGAIN');
      const n = Math.min(len, 4);
      got.push(b.subarray(off, off + n).toString());
      return n;
    });
    // nothing pending before EAGAIN; after it, the stream that holds the rest (emit waits for it to drain)
    expect(w.pending).toBeUndefined();
    w.write('abcdefghij');
    w.write('more');
    expect(got.join('')).toBe('abcdefgh');
    expect(viaStream).toEqual(['ij', 'more']);
    expect(w.pending).toBe(stream);
  });

  it('reports a failure once and writes nothing after it', () => {
    const errors: string[] = [];
    let calls = 0;
    const w = writer(1, () => expect.unreachable(), (e) => errors.push(e.code!), () => {
      calls++;
      throw errno('ENOSPC');
    });
    expect(w.write('a')).toBe(false);
    expect(w.write('b')).toBe(false);
    expect({ errors, calls }).toEqual({ errors: ['ENOSPC'], calls: 1 });
  });
});
