// Hardening cases found in review of issue 12's work: dotted options (yargs' dot notation
// turned --from.x into an object: exit 4), descriptors named as --output (/dev/stdout into a
// pipe, or appended to by the shell), `-o -`, a FIFO reader that takes nothing, stdin from a
// silent pipe, and flow collections too long for the YAML parser.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const DIR = mkdtempSync(join(tmpdir(), 'migcheck-review-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const sh = (script: string, env: Record<string, string> = {}) =>
  spawnSync('sh', ['-c', script], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, MIGCHECK: `${process.execPath} ${join(process.cwd(), 'bin/migcheck')}`, ...env } });

describe('options have no sub-keys', () => {
  it.each([
    ['check', '--from', 'altra-6.6', '--to', '2018-old', '--from.x', 'a'],
    ['check', '--from.x', 'a', '--to', 'altra-6.6'],
    ['matrix', 'altra-6.6', '--guest.x', 'default'],
    ['fence', '--kernels.a', 'linux-6.6', '--vmms', 'qemu-9.2'],
    ['explain', '--output.a', 'F'],
    ['explain', '--profiles.x', '/tmp'],
    ['check', '--from', 'altra-6.6', '--to', 'altra-6.6', '--no-quiet.x'],
  ])('%s … is exit 3 naming the option', async (...argv) => {
    const r = await cli(...argv);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^migcheck: --[\w.-]+: migcheck's options have no sub-keys; give --\w/);
  });
});

describe('--output naming a descriptor', () => {
  it('/dev/stdout appended to by the shell keeps what was there', () => {
    const log = join(DIR, 'log.txt');
    writeFileSync(log, 'previous\n');
    const r = sh(`$MIGCHECK explain -o /dev/stdout >> '${log}'`);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(log, 'utf8');
    expect(text.startsWith('previous\n')).toBe(true);
    expect(text).toMatch(/register-list/);
  });

  it('/dev/stdout into a pipe, and -o -, write to stdout', () => {
    for (const o of ['/dev/stdout', '-']) {
      const r = sh(`$MIGCHECK explain -o ${o} | cat`);
      expect(r.status, r.stderr).toBe(0);
      // the rule list, first rule first
      expect(r.stdout).toMatch(/^machine-type/);
    }
  });

  it('a FIFO whose reader takes nothing ends the write: exit 3, not a hang', async () => {
    const fifo = join(DIR, 'slow-reader');
    spawnSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK); // opened, never read
    try {
      const child = spawn(process.execPath, ['bin/migcheck', 'fence', '--kernels', 'linux-4.14..linux-7.3', '--vmms', 'qemu-4.2..qemu-11.1', '--format', 'json', '-o', fifo], {
        env: { ...process.env, MIGCHECK_READ_IDLE_MS: '300' },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise((done) => child.on('exit', done));
      expect(code, stderr).toBe(3);
      expect(stderr).toMatch(/cannot write .*slow-reader: EAGAIN \(the reader took nothing for 0\.3 s\)/);
    } finally {
      closeSync(reader);
    }
  });
});

describe('reads that end', () => {
  it('--batch - from a pipe whose writer stays silent gives up after the idle bound', async () => {
    // stdin is a FIFO whose writer end this test holds open and never writes to (what
    // `silent-generator | migcheck check --batch -` gives the gate)
    const fifo = join(DIR, 'silent-stdin');
    spawnSync('mkfifo', [fifo]);
    const held = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    const child = spawn(process.execPath, ['bin/migcheck', 'check', '--batch', '-'], { stdio: [held, 'pipe', 'pipe'], env: { ...process.env, MIGCHECK_READ_IDLE_MS: '300' } });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise((done) => child.on('exit', done));
    closeSync(held);
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/^\(stdin\):1:1: \(document\): cannot read: no data for 0\.3 s/);
  });

  it('a flow collection longer than any real list is refused before the YAML parser sees it', async () => {
    const f = join(DIR, 'long-flow.yaml');
    writeFileSync(f, `apiVersion: migcheck/v1\nkind: Guest\nname: g\nhypercallBitmaps: { STD_BMAP: [${Array.from({ length: 20_000 }, (_, i) => `X${i}`).join(', ')}] }\n`);
    const r = await cli('validate', f);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/long-flow\.yaml:4:\d+: \(document\): a flow collection of more than 5000 items/);
  });

  it('list items of enumerated values are typed, so ajv checks uniqueness by hashing', () => {
    for (const kind of ['host', 'guest']) {
      const schema = JSON.parse(readFileSync(`schemas/${kind}.schema.json`, 'utf8'));
      const untyped: string[] = [];
      (function walk(o: unknown, path: string) {
        if (!o || typeof o !== 'object') return;
        const s = o as Record<string, unknown>;
        if (s.uniqueItems && s.items && !(s.items as Record<string, unknown>).type) untyped.push(path);
        for (const [k, v] of Object.entries(s)) walk(v, `${path}/${k}`);
      })(schema, '');
      expect(untyped, kind).toEqual([]);
    }
  });
});
