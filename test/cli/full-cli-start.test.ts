// What the full CLI (dist/cli.cjs through bin/migcheck) loads to answer a command whose output
// goes to a file or pipe: none of Node's stream modules (process.stdout is not made: every
// command writes through its Io, fdIo in the bin), nor node:assert (yargs' shim requires it only
// to throw), nor node:module (Node's built-ins reach Node as node: ids; nothing is required
// through Module.createRequire). scripts/build.mjs rewrites yargs' platform shim for the first
// two and stops when the shim's text no longer matches. Module loads, not times.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'migcheck-full-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// the internal modules Node loaded after start-up, written when the process exits
const preload = join(dir, 'loaded.cjs');
writeFileSync(preload, `const before = new Set(process.moduleLoadList);
process.on('exit', () => require('fs').writeFileSync(process.env.LOADED_FILE, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)))));\n`);

function loaded(args: string[]) {
  const file = join(dir, 'loaded.json');
  const r = spawnSync(process.execPath, ['-r', preload, join(root, 'bin', 'migcheck'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, LOADED_FILE: file } });
  return { ...r, modules: JSON.parse(readFileSync(file, 'utf8')) as string[] };
}

describe('the full CLI at start', () => {
  it.each([
    [['table', '--old', '2018-old', '--new', '2018-sysreg-new', '--compat', '2018-compat']],
    [['table', '--old', '2018-old', '--new', '2018-sysreg-new', '--format', 'json']],
    [['explain', 'register-list']],
    [['profiles', 'list']],
    [['--version']],
  ])('%j: its answer without stream modules, node:assert or node:module', (args) => {
    const r = loaded(args);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.modules).toContain('NativeModule vm'); // the preload saw the bundle load
    expect(r.modules.filter((m) => /^NativeModule (stream|assert|module|tty|net|internal\/fs\/sync_write_stream)$/.test(m))).toEqual([]);
  });

  it('a usage error still reaches stderr with exit 3', () => {
    const r = loaded(['table', '--bogus']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^migcheck: Missing required arguments: old, new\n/);
  });
});
