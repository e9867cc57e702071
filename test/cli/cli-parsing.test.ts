// Issue 12 items 8 and 13 (CLI parts): attached short values work on both paths alike,
// an option without its value is exit 3 (not "cannot read : ENOENT", not stdout), a flag
// takes no value but true/false, a failing validate claims nothing on stdout, and a removed
// working directory stops only what needs it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fastCheck } from '../../src/cli/check-fast.js';
import { main } from '../../src/cli/main.js';
import { TMP, runEntry } from '../helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'migcheck');
const H = 'test/fixtures/hosts';
const CLEAN = ['check', '--from', `${H}/n1-6.6.yaml`, '--to', `${H}/n1-6.12.yaml`];
const UNSAFE = ['check', '--from', `${H}/n1-5.13.yaml`, '--to', `${H}/n1-5.12.yaml`];

const run = runEntry;
const full = (...argv: string[]) => run(main as never, argv);
/** the yargs-free check where it answers, else the full CLI (as bin/migcheck does) */
const either = async (...argv: string[]) => {
  const fast = await run(fastCheck as never, argv);
  return fast.code === undefined ? full(...argv) : fast;
};

describe('short options with attached values', () => {
  it.each([
    ['check', CLEAN],
    ['table', ['table', '--old', '2018-old', '--new', '2018-sysreg-new']],
    ['explain', ['explain']],
    ['profiles', ['profiles', 'list']],
  ])('%s: -fjson, -f=json, -f json, -qfjson and --format=json give the same JSON', async (_c, argv) => {
    const want = await full(...argv, '--format', 'json');
    expect(want.code).toBeLessThan(3);
    JSON.parse(want.stdout);
    for (const spelling of [['-fjson'], ['-f=json'], ['-f', 'json'], ['-qfjson'], ['--format=json']]) {
      expect(await full(...argv, ...spelling), spelling.join(' ')).toEqual(want);
      expect(await either(...argv, ...spelling), spelling.join(' ')).toEqual(want);
    }
  });

  it('the yargs-free check answers them as the full CLI does', async () => {
    for (const spelling of [['-fjson'], ['-f=json'], ['-qfmarkdown']]) {
      const fast = await run(fastCheck as never, [...CLEAN, ...spelling]);
      expect(fast.code, spelling.join(' ')).toBe(0);
      expect(fast).toEqual(await full(...CLEAN, ...spelling));
    }
  });

  it('-o=FILE writes FILE (not "=FILE"), on both paths', async () => {
    const out = join(TMP, `short-o-${process.pid}.txt`);
    for (const f of [fastCheck, main]) {
      rmSync(out, { force: true });
      const r = await run(f as never, [...CLEAN, `-o=${out}`]);
      expect(r.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toMatch(/^CLEAN/);
    }
    rmSync(out, { force: true });
  });
});

describe('an option without its value', () => {
  it.each([
    [['check', '--batch'], '--batch'],
    [['check', '--batch='], '--batch'],
    [['check', '--batch', '--quiet'], '--batch'],
    [[...CLEAN, '--output'], '--output'],
    [[...CLEAN, '-o'], '--output'],
    [[...CLEAN, '--output='], '--output'],
    [[...CLEAN, '--guest', ''], '--guest'],
    [['table', '--old', '2018-old', '--new'], '--new'],
    [['plan', '--fleet', 'profiles/examples/fleet/eu-west.yaml', '--headroom'], '--headroom'],
    [['matrix', '--fleet', '--fail-on', 'fail'], '--fleet'],
  ])('%j: exit 3 naming it, nothing on stdout', async (argv, opt) => {
    const r = await either(...argv);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`migcheck: ${opt} needs a value`);
  });

  it('--no-X of an option that takes a value is exit 3 (--no-batch crashed)', async () => {
    const r = await either('check', '--no-batch');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^migcheck: --no-batch: --batch takes a value; it is not a flag\n/);
  });
});

describe('a flag with a value', () => {
  it.each(['yes', 'no', '1', ''])('--allow-unsafe=%s is exit 3 (it was silently false)', async (v) => {
    const r = await either(...UNSAFE, `--allow-unsafe=${v}`);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^migcheck: --allow-unsafe=\S*: --allow-unsafe is a flag; give it alone \(or =true \/ =false\)\n/);
  });

  it('=true and =false mean what they say', async () => {
    expect((await either(...UNSAFE)).code).toBe(1);
    expect((await either(...UNSAFE, '--allow-unsafe')).code).toBe(0);
    expect((await either(...UNSAFE, '--allow-unsafe=true')).code).toBe(0);
    expect((await either(...UNSAFE, '--allow-unsafe=false')).code).toBe(1);
  });
});

describe('validate', () => {
  const files = [`${H}/n1-6.6.yaml`, 'test/fixtures/guests/n1-v1-targets.yaml'];

  it('all valid: one ok line per file on stdout', async () => {
    const r = await full('validate', ...files);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${files[0]}: ok (Host)\n${files[1]}: ok (Guest)\n`);
  });

  it('one invalid (--format text): exit 3, the diagnostics on stderr, nothing on stdout and no --output file', async () => {
    const out = join(TMP, `validate-${process.pid}-text.txt`);
    rmSync(out, { force: true });
    for (const extra of [[], ['-o', out]]) {
      const r = await full('validate', ...files, 'test/fixtures/bad/unknown-key.yaml', '--format', 'text', ...extra);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^test\/fixtures\/bad\/unknown-key\.yaml:7:3: cpu\.modle: unknown key/);
      expect(r.stderr).not.toMatch(/ok \(/);
    }
    expect(existsSync(out)).toBe(false);
  });

  // issue 17: a machine reading --format json is told each problem, not nothing; the report
  // says invalid, so it cannot read as success
  it('one invalid (--format json): exit 3, the diagnostics on stderr, and the problem report (not ok lines) on stdout or in --output', async () => {
    const out = join(TMP, `validate-${process.pid}-json.txt`);
    rmSync(out, { force: true });
    for (const extra of [[], ['-o', out]]) {
      const r = await full('validate', ...files, 'test/fixtures/bad/unknown-key.yaml', '--format', 'json', ...extra);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^test\/fixtures\/bad\/unknown-key\.yaml:7:3: cpu\.modle: unknown key/);
      const report = JSON.parse(extra.length ? readFileSync(out, 'utf8') : r.stdout);
      expect(report).toMatchObject({ valid: 2, invalid: 1, problems: [{ file: 'test/fixtures/bad/unknown-key.yaml', line: 7, column: 3, path: 'cpu.modle' }] });
      expect(extra.length ? r.stdout : '').toBe('');
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/ok \(/);
    }
  });
});

describe('a removed working directory', () => {
  /** bin/migcheck run from a directory removed before it starts */
  function inRemovedDir(...args: string[]) {
    const dir = join(TMP, `gone-${process.pid}-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    // the shell enters it and removes it, then runs migcheck there
    const r = spawnSync('/bin/sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', dir, process.execPath, bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  const abs = (p: string) => join(root, p);

  it.each([
    ['check, shipped names', ['check', '--from', '2018-old', '--to', '2018-sysreg-new'], 0],
    ['check, absolute paths', ['check', '--from', abs(`${H}/n1-6.6.yaml`), '--to', abs(`${H}/v1-6.6.yaml`)], 2],
    ['a report, shipped names', ['table', '--old', '2018-old', '--new', '2018-sysreg-new', '-fjson'], 0],
    ['a fleet by absolute path', ['matrix', '--fleet', abs('profiles/examples/fleet/eu-west.yaml'), '--fail-on', 'unsafe'], 1],
    ['validate, an absolute path', ['validate', abs(`${H}/n1-6.6.yaml`)], 0],
  ])('%s: works', (_what, args, code) => {
    const r = inRemovedDir(...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(code);
  });

  it.each([
    ['check', ['check', '--from', `${H}/n1-6.6.yaml`, '--to', '2018-old']],
    ['a report', ['table', '--old', `${H}/n1-6.6.yaml`, '--new', '2018-old']],
  ])('%s with a relative path: exit 3 saying the working directory is gone', (_what, args) => {
    const r = inRemovedDir(...args);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^migcheck: test\/fixtures\/hosts\/n1-6\.6\.yaml: a relative path, but the working directory no longer exists; give an absolute path\n/);
    expect(r.stderr).not.toMatch(/\n\s+at |uv_cwd|Is the package built/);
  });

  it.each([
    ['--batch FILE', ['check', '--batch', 'pairs.jsonl']],
    ['--output FILE', ['check', '--from', '2018-old', '--to', '2018-old', '-o', 'out.txt']],
    ['validate FILE', ['validate', 'x.yaml']],
  ])('%s relative: exit 3 with a note on why', (_what, args) => {
    const r = inRemovedDir(...args);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\nmigcheck: note: the working directory no longer exists, so relative paths cannot be read or written; give absolute ones\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at |uv_cwd/);
  });
});
