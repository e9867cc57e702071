// bin/migcheck loads both bundles (dist/check.cjs, dist/cli.cjs) through V8's code cache that the build
// stores beside it. A cache V8 rejects (another Node, corrupted bytes), one from another build
// and none at all must each give what the cache gives: the same output and exit code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { load } = require(join(root, 'bin', 'code-cache.cjs')) as {
  load(file: string, cacheFile?: string): { exports: { fastCheck(argv: string[], io: unknown): Promise<number | undefined> }; cache: string };
};
const bundle = join(root, 'dist', 'check.cjs');
const cacheFile = `${bundle}.cache`;
const dir = mkdtempSync(join(tmpdir(), 'migcheck-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const probed = (t: string) => join(root, 'test/fixtures/hosts', t, 'expected/host-kvm.yaml');
const argv = ['check', '--from', probed('altra-n1-ubuntu-5.15'), '--to', probed('graviton3-v1-al2023-6.1'), '--format', 'json'];
const viaBin = spawnSync(join(root, 'bin', 'migcheck'), argv, { cwd: root, encoding: 'utf8' });

async function runWith(cache: string | undefined) {
  const { exports, cache: how } = load(bundle, cache);
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => ((stdout += s), true) }, stderr: { write: (s: string) => ((stderr += s), true) }, stdoutIsTTY: false, stderrIsTTY: false, env: {} };
  const code = await exports.fastCheck(argv, io);
  return { how, code, stdout, stderr };
}

describe('dist/check.cjs through the code cache', () => {
  it('the build leaves a cache this Node uses', async () => {
    const r = await runWith(cacheFile);
    expect(r.how).toBe('used');
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: viaBin.status, stdout: viaBin.stdout });
  });

  it.each([
    ['rejected', 'V8 data corrupted (another Node would reject it the same way)', (b: Buffer) => Buffer.concat([b.subarray(0, 32), Buffer.alloc(b.length - 32, 7)])],
    ['stale', 'from another build', (b: Buffer) => Buffer.concat([Buffer.from('0'.repeat(32)), b.subarray(32)])],
    ['none', 'missing', undefined],
  ] as const)('a cache %s (%s) compiles from source, same output and exit code', async (how, _what, spoil) => {
    let file = join(dir, 'missing.cache');
    if (spoil) writeFileSync((file = join(dir, `${how}.cache`)), spoil(readFileSync(cacheFile)));
    const r = await runWith(file);
    expect(r.how).toBe(how);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: viaBin.status, stdout: viaBin.stdout, stderr: viaBin.stderr });
  });
});

// the full CLI (every command but a plain check) the same way
const cli = join(root, 'dist', 'cli.cjs');
const cliCache = `${cli}.cache`;
const cliArgv = ['matrix', '--fleet', join(root, 'profiles/examples/fleet/eu-west.yaml'), '--format', 'json'];
const cliViaBin = spawnSync(join(root, 'bin', 'migcheck'), cliArgv, { cwd: root, encoding: 'utf8' });

async function runCliWith(cache: string | undefined) {
  const { exports, cache: how } = (load as unknown as (f: string, c?: string) => { exports: { main(argv: string[], io: unknown): Promise<number> }; cache: string })(cli, cache);
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => ((stdout += s), true) }, stderr: { write: (s: string) => ((stderr += s), true) }, stdoutIsTTY: false, stderrIsTTY: false, env: {} };
  const code = await exports.main(cliArgv, io);
  return { how, code, stdout, stderr };
}

describe('dist/cli.cjs through the code cache', () => {
  it('the build leaves a cache this Node uses', async () => {
    const r = await runCliWith(cliCache);
    expect(r.how).toBe('used');
    expect(cliViaBin.stdout.length).toBeGreaterThan(0);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: cliViaBin.status, stdout: cliViaBin.stdout });
  });

  it.each([
    ['rejected', (b: Buffer) => Buffer.concat([b.subarray(0, 32), Buffer.alloc(b.length - 32, 7)])],
    ['stale', (b: Buffer) => Buffer.concat([Buffer.from('0'.repeat(32)), b.subarray(32)])],
    ['none', undefined],
  ] as const)('a cache %s compiles from source, same output and exit code', async (how, spoil) => {
    let file = join(dir, 'cli-missing.cache');
    if (spoil) writeFileSync((file = join(dir, `cli-${how}.cache`)), spoil(readFileSync(cliCache)));
    const r = await runCliWith(file);
    expect(r.how).toBe(how);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: cliViaBin.status, stdout: cliViaBin.stdout, stderr: cliViaBin.stderr });
  });
});
