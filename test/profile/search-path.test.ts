// The profile search path (issue 12, item 5): a `--profiles` directory that is missing,
// unreadable or a file is exit 3 naming it (never a silent fall-back to the shipped profile
// of the same name); one name for two files inside one search directory is exit 3 naming
// both when that name is used; a user directory shadowing a shipped name is the override.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, TMP } from '../helpers.js';

const ROOT = join(TMP, `search-path-${process.pid}`);
const SHIPPED_OLD = 'profiles/examples/2018/2018-old.yaml';
const host = (name: string, kernel = 'linux-6.6') => `apiVersion: migcheck/v1\nkind: Host\nname: ${name}\nkernel: ${kernel}\nvmm: qemu-9.2\ncpu: neoverse-n1:r3p1\n`;

function dir(name: string, files: Record<string, string> = {}): string {
  const d = join(ROOT, name);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), text);
  }
  mkdirSync(d, { recursive: true });
  return d;
}

const checkOld = (...extra: string[]) => cli('check', '--from', '2018-old', '--to', '2018-old', '--format', 'json', ...extra);

describe('--profiles directories must exist and be readable', () => {
  it('a user directory shadowing a shipped name is used (the override)', async () => {
    const d = dir('override', { '2018-old.yaml': host('my-old') });
    const r = await checkOld('--profiles', d);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'my-old', destination: 'my-old' });
  });

  it('a missing directory is exit 3 naming it, not the shipped profile of the same name', async () => {
    const missing = join(ROOT, 'no-such-dir');
    const r = await checkOld('--profiles', missing);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`migcheck: --profiles ${missing}: no such directory`);
  });

  it('a missing directory is refused even when no name is looked up, and among several', async () => {
    const ok = dir('fine');
    const missing = join(ROOT, 'gone');
    const r = await cli('check', '--from', SHIPPED_OLD, '--to', SHIPPED_OLD, '--profiles', ok, '--profiles', missing);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^migcheck: --profiles ${missing}: no such directory\n`));
  });

  it('a file given as a directory is exit 3', async () => {
    const f = join(dir('a-file'), 'host.yaml');
    writeFileSync(f, host('x'));
    const r = await checkOld('--profiles', f);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^migcheck: --profiles ${f}: is not a directory\n`));
  });

  it('an empty --profiles value is exit 3 (not the working directory)', async () => {
    const r = await checkOld('--profiles', '');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^migcheck: --profiles /);
  });

  // root reads any directory: as root, the run drops to nobody (setpriv) for this case
  const asUser = (args: string[]) => {
    const argv = [process.execPath, 'bin/migcheck', ...args];
    const root = process.getuid?.() === 0;
    const r = root ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv], { encoding: 'utf8' }) : spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    return { code: r.status, stderr: r.stderr ?? '' };
  };
  const canDrop = process.getuid?.() !== 0 || spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', '0']).status === 0;

  it.skipIf(!canDrop)('an unreadable directory, or an unreadable subdirectory of one, is exit 3', () => {
    const d = dir('locked', { 'sub/x.yaml': host('x') });
    chmodSync(d, 0o000);
    try {
      const r = asUser(['check', '--from', '2018-old', '--to', '2018-old', '--profiles', d]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^migcheck: --profiles .*locked: cannot read it \(EACCES\)\n/);
    } finally {
      chmodSync(d, 0o755);
    }
    const sub = join(d, 'sub');
    chmodSync(sub, 0o000);
    try {
      const r = asUser(['check', '--from', '2018-old', '--to', '2018-old', '--profiles', d]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^migcheck: --profiles .*locked: cannot read .*locked\/sub \(EACCES\)\n/);
    } finally {
      chmodSync(sub, 0o755);
    }
  });
});

describe('one base name for two files in one search directory', () => {
  const tree = () => dir(`dup-${Math.random().toString(36).slice(2)}`, { 'a/web.yml': host('web-a'), 'b/web.yaml': host('web-b', 'linux-6.1'), 'uses-web.yaml': 'apiVersion: migcheck/v1\nkind: Host\nname: child\nextends: web\n' });

  it('is exit 3 naming both files when the name is used on the command line', async () => {
    const d = tree();
    const r = await cli('check', '--from', 'web', '--to', '2018-old', '--profiles', d);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(/^migcheck: profile name 'web' is ambiguous: .*a\/web\.yml and .*b\/web\.yaml \(both in .*\); rename one, or give a path$/);
  });

  it('is exit 3 located at an extends that uses the name', async () => {
    const d = tree();
    const r = await cli('check', '--from', 'uses-web', '--to', '2018-old', '--profiles', d);
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd()).toMatch(/uses-web\.yaml:4:10: extends: profile name 'web' is ambiguous: .*a\/web\.yml and .*b\/web\.yaml/);
  });

  it('web.yml beside web.yaml in one folder is ambiguous too; `profiles show` says so', async () => {
    const d = dir('same-folder', { 'web.yml': host('one'), 'web.yaml': host('two') });
    const r = await cli('profiles', 'show', 'web', '--profiles', d);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/profile name 'web' is ambiguous: .*same-folder\/web\.yaml and .*same-folder\/web\.yml/);
  });

  it('is no error while the name is not used, nor when a path names one of the files', async () => {
    const d = tree();
    expect((await checkOld('--profiles', d)).code).toBe(0);
    const r = await cli('check', '--from', join(d, 'b/web.yaml'), '--to', join(d, 'b/web.yaml'), '--profiles', d, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).source).toBe('web-b');
  });

  it('across search directories the first holding the name wins (user over shipped, earlier over later)', async () => {
    const first = dir('first', { 'web.yaml': host('web-first') });
    const second = dir('second', { 'web.yaml': host('web-second'), '2018-old.yaml': host('old-second') });
    const r = await cli('check', '--from', 'web', '--to', '2018-old', '--profiles', first, '--profiles', second, '--format', 'json');
    expect(r.code, r.stderr).toBeLessThan(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'web-first', destination: 'old-second' });
  });
});
