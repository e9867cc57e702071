// --output never destroys what it replaces (issue 12, item 2): an input of the command is
// refused, a device or FIFO is written in place, a symlink's target is replaced (the link
// stays), the mode and owner are kept, temp files cannot be redirected by a planted
// symlink, and SIGINT/SIGTERM during the write leaves the previous file and no temp file.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { TMP, cli } from '../helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIR = join(TMP, `output-file-${process.pid}`);
const HOST = readFileSync('profiles/examples/fleet/hosts/altra-6.6.yaml', 'utf8');
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
const CHECK = ['check', '--from', 'altra-6.6', '--to', 'altra-6.12'];

beforeEach(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
});

/** Exit 3 with the one-line refusal (when given), and `file` exactly as it was, with no temp file beside it. */
async function refused(args: string[], file: string, shown?: RegExp) {
  const before = readFileSync(file);
  const ino = statSync(file).ino;
  const r = await cli(...args);
  expect(r.code).toBe(3);
  expect(r.stdout).toBe('');
  if (shown) expect(r.stderr.split('\n')[0]).toMatch(shown);
  expect(readFileSync(file)).toEqual(before);
  expect(statSync(file).ino).toBe(ino);
  expect(temps(dirname(file))).toEqual([]);
}

describe('an output that is one of the inputs is exit 3 and the input is intact', () => {
  it('check --from/--to/--guest, by any spelling: ./, .., a symlink, a hard link', async () => {
    const from = join(DIR, 'from.yaml');
    writeFileSync(from, HOST);
    const guest = join(DIR, 'guest.yaml');
    writeFileSync(guest, 'apiVersion: migcheck/v1\nkind: Guest\nname: g\n');
    symlinkSync('from.yaml', join(DIR, 'link.yaml'));
    linkSync(from, join(DIR, 'hard.yaml'));
    const rel = relative(process.cwd(), from);
    for (const out of [from, `./${rel}`, `${DIR}/../${basename(DIR)}/from.yaml`, join(DIR, 'link.yaml'), join(DIR, 'hard.yaml')])
      await refused(['check', '--from', from, '--to', 'altra-6.12', '-o', out], from, /^migcheck: cannot write .*: it is .*an input of this command; choose another file$/);
    await refused(['check', '--from', 'altra-6.12', '--to', `./${rel}`, '-o', from], from, /^migcheck: cannot write .*: it is an input of this command; choose another file$/);
    await refused([...CHECK, '--guest', guest, '--output', guest], guest, /it is an input of this command/);
    expect(lstatSync(join(DIR, 'link.yaml')).isSymbolicLink()).toBe(true);
  });

  it('a profile reached through an extends chain, and a fleet member file', async () => {
    mkdirSync(join(DIR, 'hosts'));
    writeFileSync(join(DIR, 'hosts', 'base.yaml'), HOST);
    writeFileSync(join(DIR, 'hosts', 'child.yaml'), 'apiVersion: migcheck/v1\nkind: Host\nname: child\nextends: base.yaml\n');
    const fleet = join(DIR, 'fleet.yaml');
    writeFileSync(fleet, 'apiVersion: migcheck/v1\nkind: Fleet\nname: f\nhosts:\n  - { host: hosts/child.yaml, count: 2, upgradeTo: altra-6.12 }\n  - { host: altra-6.12 }\n');
    const base = join(DIR, 'hosts', 'base.yaml');
    await refused(['check', '--from', join(DIR, 'hosts', 'child.yaml'), '--to', 'altra-6.12', '-o', base], base, /^migcheck: cannot write .*base\.yaml: it is an input of this command/);
    await refused(['matrix', '--fleet', fleet, '-o', base], base, /an input of this command/);
    await refused(['matrix', '--fleet', fleet, '-o', join(DIR, 'hosts', 'child.yaml')], join(DIR, 'hosts', 'child.yaml'), /an input of this command/);
    await refused(['plan', '--fleet', fleet, '--format', 'json', '-o', fleet], fleet, /an input of this command/);
    await refused(['baseline', '--fleet', fleet, '-o', base], base, /an input of this command/);
  });

  it('check --batch FILE, table --old/--new/--compat, validate FILE (valid or not)', async () => {
    const batch = join(DIR, 'pairs.jsonl');
    writeFileSync(batch, '{"from": "altra-6.6", "to": "altra-6.12"}\n');
    await refused(['check', '--batch', batch, '-o', batch], batch, /it is an input of this command/);
    for (const [f, shipped] of [['old', 'old'], ['new', 'sysreg-new'], ['compat', 'compat']]) writeFileSync(join(DIR, `${f}.yaml`), readFileSync(`profiles/examples/2018/2018-${shipped}.yaml`, 'utf8'));
    const t = (o: string) => ['table', '--old', join(DIR, 'old.yaml'), '--new', join(DIR, 'new.yaml'), '--compat', join(DIR, 'compat.yaml'), '-o', join(DIR, o)];
    for (const f of ['old', 'new', 'compat']) await refused(t(`${f}.yaml`), join(DIR, `${f}.yaml`), /it is an input of this command/);
    const bad = join(DIR, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: migcheck/v1\nkind: Host\nname: [\n');
    await refused(['validate', join(DIR, 'new.yaml'), join(DIR, 'old.yaml'), '-o', join(DIR, 'old.yaml')], join(DIR, 'old.yaml'), /it is an input of this command/);
    // a failing validate writes nothing anyway (its own diagnostics come first)
    await refused(['validate', join(DIR, 'old.yaml'), bad, '-o', bad], bad);
  });

  it('probe --root: a file of the captured tree', async () => {
    const tree = join(DIR, 'tree');
    cpSync('test/fixtures/hosts/altra-n1-ubuntu-5.15', tree, { recursive: true });
    const cpuinfo = join(tree, 'proc', 'sys', 'kernel', 'osrelease');
    await refused(['probe', '--root', tree, '-o', cpuinfo], cpuinfo, /^migcheck: cannot write .*osrelease: it is a file in .*tree, which this command reads; choose a file outside it$/);
    // a new file beside the capture is not an input
    const r = await cli('probe', '--root', tree, '-o', join(DIR, 'host.yaml'));
    expect(r.code).toBe(0);
    expect(readFileSync(join(DIR, 'host.yaml'), 'utf8')).toMatch(/^kind: "?Host"?$/m);
  });
});

describe('what the name stands for is kept', () => {
  it('a character device (/dev/null) is written in place, not replaced', async () => {
    const r = await cli(...CHECK, '-o', '/dev/null');
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(temps('/dev')).toEqual([]);
  });

  it('a FIFO is written in place to the process reading it; with no reader it is exit 3 at once, not a hang', async () => {
    const fifo = join(DIR, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const none = await cli(...CHECK, '-o', fifo);
    expect(none.code).toBe(3);
    expect(none.stderr.split('\n')[0]).toBe(`migcheck: cannot write ${fifo}: ENXIO (a FIFO with no reader)`);
    // more than a pipe holds (64 KiB), so the writer waits for the reader
    const batch = join(DIR, 'pairs.jsonl');
    writeFileSync(batch, '{"from": "altra-6.6", "to": "2018-old"}\n'.repeat(60));
    const expected = (await cli('check', '--batch', batch)).stdout;
    expect(expected.length).toBeGreaterThan(1 << 17);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let got = '';
    reader.stdout.on('data', (d: Buffer) => (got += d.toString()));
    const ended = new Promise((done) => reader.on('close', done));
    // the reader counts once it is opening the FIFO; until then the write is refused (ENXIO)
    let r = await cli('check', '--batch', batch, '-o', fifo);
    for (let i = 0; i < 200 && r.code === 3 && /ENXIO/.test(r.stderr); i++) {
      await new Promise((w) => setTimeout(w, 10));
      r = await cli('check', '--batch', batch, '-o', fifo);
    }
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: '' });
    await ended;
    expect(got).toBe(expected);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(temps(DIR)).toEqual([]);
  });

  it('a symlink stays a symlink; its final target (through a chain, in another directory) is replaced beside itself', async () => {
    mkdirSync(join(DIR, 'real'));
    const target = join(DIR, 'real', 'report.txt');
    writeFileSync(target, 'previous\n');
    const ino = statSync(target).ino;
    symlinkSync('../real/report.txt', join(DIR, 'real', 'hop')); // relative, resolved where the link is
    mkdirSync(join(DIR, 'links'));
    symlinkSync(join(DIR, 'real', 'hop'), join(DIR, 'links', 'out.txt'));
    const r = await cli(...CHECK, '-o', join(DIR, 'links', 'out.txt'));
    expect(r.code).toBe(0);
    expect(readlinkSync(join(DIR, 'links', 'out.txt'))).toBe(join(DIR, 'real', 'hop'));
    expect(readlinkSync(join(DIR, 'real', 'hop'))).toBe('../real/report.txt');
    expect(readFileSync(target, 'utf8')).toBe((await cli(...CHECK)).stdout);
    expect(statSync(target).ino).not.toBe(ino); // replaced by rename, not rewritten in place
    expect([...temps(join(DIR, 'real')), ...temps(join(DIR, 'links'))]).toEqual([]);
    // a dangling link: its target is created, the link kept
    symlinkSync('new.txt', join(DIR, 'dangling'));
    expect((await cli(...CHECK, '-o', join(DIR, 'dangling'))).code).toBe(0);
    expect(lstatSync(join(DIR, 'dangling')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(DIR, 'new.txt'), 'utf8')).toMatch(/^CLEAN/);
  });

  it("an existing file's mode and owner are kept; a new file gets the umask's mode", async () => {
    const out = join(DIR, 'secret.txt');
    writeFileSync(out, 'previous\n');
    chmodSync(out, 0o600);
    const root = process.getuid?.() === 0;
    if (root) chownSync(out, 1234, 4321);
    expect((await cli(...CHECK, '-o', out)).code).toBe(0);
    const st = statSync(out);
    expect(st.mode & 0o7777).toBe(0o600);
    if (root) expect([st.uid, st.gid]).toEqual([1234, 4321]);
    expect(readFileSync(out, 'utf8')).toMatch(/^CLEAN/);
    chmodSync(out, 0o640);
    expect((await cli(...CHECK, '-o', out)).code).toBe(0);
    expect(statSync(out).mode & 0o7777).toBe(0o640);
    writeFileSync(join(DIR, 'plain'), '');
    expect((await cli(...CHECK, '-o', join(DIR, 'fresh.txt'))).code).toBe(0);
    expect(statSync(join(DIR, 'fresh.txt')).mode & 0o7777).toBe(statSync(join(DIR, 'plain')).mode & 0o7777);
    expect(temps(DIR)).toEqual([]);
  });

  it('a symlink planted at the old predictable temp name redirects nothing', async () => {
    const out = join(DIR, 'out.json');
    const victim = join(DIR, 'victim');
    writeFileSync(victim, 'precious\n');
    writeFileSync(out, 'previous\n');
    // `.FILE.<pid>.tmp` was the name before; cli() runs in this process
    const plant = join(DIR, `.out.json.${process.pid}.tmp`);
    symlinkSync(victim, plant);
    const r = await cli(...CHECK, '--format', 'json', '-o', out);
    expect(r.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readlinkSync(plant)).toBe(victim);
    expect(JSON.parse(readFileSync(out, 'utf8')).verdict).toBe('clean');
    expect(temps(DIR)).toEqual([`.out.json.${process.pid}.tmp`]);
  });

  it('a failed write is exit 3 `cannot write FILE: CODE` and the previous file survives', async () => {
    mkdirSync(join(DIR, 'is-a-dir'));
    const r1 = await cli(...CHECK, '-o', join(DIR, 'is-a-dir'));
    expect([r1.code, r1.stderr.split('\n')[0]]).toEqual([3, `migcheck: cannot write ${join(DIR, 'is-a-dir')}: EISDIR (is a directory)`]);
    const r2 = await cli(...CHECK, '-o', join(DIR, 'missing', 'x'));
    expect([r2.code, r2.stderr.split('\n')[0]]).toEqual([3, `migcheck: cannot write ${join(DIR, 'missing', 'x')}: ENOENT`]);
    // a symlink loop
    symlinkSync('loop-b', join(DIR, 'loop-a'));
    symlinkSync('loop-a', join(DIR, 'loop-b'));
    const r3 = await cli(...CHECK, '-o', join(DIR, 'loop-a'));
    expect([r3.code, r3.stderr.split('\n')[0]]).toEqual([3, `migcheck: cannot write ${join(DIR, 'loop-a')}: ELOOP (too many levels of symbolic links)`]);
    expect(lstatSync(join(DIR, 'loop-a')).isSymbolicLink()).toBe(true);
    expect(temps(DIR)).toEqual([]);
    expect(existsSync(join(DIR, 'missing'))).toBe(false);
  });
});

describe('a signal during the write removes the temp file and keeps the previous one', () => {
  // a real large output: a few thousand failing gates, one JSON line (~6 KB) each
  const pairs = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ from: 'altra-6.6', to: i % 2 ? '2018-old' : 'altra-6.12', id: i })).join('\n');

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: exit %i, no temp file, the previous content', async (signal, code) => {
    const batch = join(DIR, 'pairs.jsonl');
    writeFileSync(batch, `${pairs}\n`);
    const out = join(DIR, 'out.jsonl');
    writeFileSync(out, 'previous\n');
    chmodSync(out, 0o600);
    const seen: string[] = [];
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'migcheck'), 'check', '--batch', batch, '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // the temp file appearing means the write has begun: interrupt it
    const watcher = watch(DIR, (_event, name) => {
      if (!name?.endsWith('.tmp') || seen.includes(name)) return;
      seen.push(name);
      child.kill(signal);
    });
    const exit = await new Promise<{ code: number | null; signal: string | null }>((done) => child.on('exit', (c, s) => done({ code: c, signal: s })));
    watcher.close();
    expect(exit).toEqual({ code, signal: null });
    expect(stderr).toBe('');
    expect(seen).toHaveLength(1);
    // an unpredictable name beside the target, not the process id
    expect(seen[0]).toMatch(/^\.out\.jsonl\.[0-9a-f]{16}\.tmp$/);
    expect(temps(DIR)).toEqual([]);
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
    expect(statSync(out).mode & 0o7777).toBe(0o600);
  }, 60_000);
});

// matrix json and html are written in pieces (src/render/json-chunks.ts): the file holds exactly
// what stdout gets, and no temp file is left beside it
describe('a report written in pieces', () => {
  it.each(['json', 'html'])('matrix --format %s to --output is byte for byte what stdout gets', async (format) => {
    const args = ['matrix', '--fleet', 'profiles/examples/fleet/eu-west.yaml', '--with-targets', '--format', format];
    const direct = await cli(...args);
    expect(direct.code).toBe(0);
    const out = join(DIR, `m.${format}`);
    writeFileSync(out, 'old');
    const r = await cli(...args, '--output', out);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8') === direct.stdout).toBe(true);
    expect(temps(DIR)).toEqual([]);
  });
});

describe('writeOutput with pieces', () => {
  it("passes a renderer's error on as itself and leaves the old file and no temp file", async () => {
    const { WriteFailed, writeOutput } = await import('../../src/cli/write-output.js');
    const out = join(DIR, 'broken.json');
    writeFileSync(out, 'old');
    const boom = new Error('boom');
    const pieces = (function* () {
      yield '{"cells":[';
      throw boom;
    })();
    const err = await writeOutput(out, pieces).catch((e: unknown) => e);
    expect(err).toBe(boom);
    expect(err).not.toBeInstanceOf(WriteFailed);
    expect(readFileSync(out, 'utf8')).toBe('old');
    expect(temps(DIR)).toEqual([]);
  });
});
