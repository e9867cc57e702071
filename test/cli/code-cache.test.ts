// bin/migcheck loads both bundles (dist/check.cjs, dist/cli.cjs) through V8's code cache that the build
// stores beside it. A cache V8 rejects (another Node, corrupted bytes), one from another build
// and none at all must each give what the cache gives: the same output and exit code.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

type Entry = (argv: string[], io: unknown) => Promise<number | undefined>;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { load } = require(join(root, 'bin', 'migcheck')) as { load(file: string, cacheFile?: string): { exports: Record<string, Entry>; cache: string } };
const dir = mkdtempSync(join(tmpdir(), 'migcheck-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const probed = (t: string) => join(root, 'test/fixtures/hosts', t, 'expected/host-kvm.yaml');
// the gate (dist/check.cjs, entry fastCheck) and the full CLI (dist/cli.cjs, entry main: every command but a plain check)
const BUNDLES = [
  { name: 'check.cjs', entry: 'fastCheck', argv: ['check', '--from', probed('altra-n1-ubuntu-5.15'), '--to', probed('graviton3-v1-al2023-6.1'), '--format', 'json'] },
  { name: 'cli.cjs', entry: 'main', argv: ['matrix', '--fleet', join(root, 'profiles/examples/fleet/eu-west.yaml'), '--format', 'json'] },
] as const;
const SPOILS = [
  ['rejected', 'V8 data corrupted (another Node would reject it the same way)', (b: Buffer) => Buffer.concat([b.subarray(0, 32), Buffer.alloc(b.length - 32, 7)])],
  ['stale', 'from another build', (b: Buffer) => Buffer.concat([Buffer.from('0'.repeat(32)), b.subarray(32)])],
  // shorter than the bundle: the buffer both are read through keeps the bundle's size
  ['stale', 'cut to its first bytes', (b: Buffer) => b.subarray(0, 16)],
  ['none', 'missing', undefined],
] as const;

describe.each(BUNDLES)('dist/$name through the code cache', ({ name, entry, argv }) => {
  const bundle = join(root, 'dist', name);
  const cacheFile = `${bundle}.cache`;
  const viaBin = spawnSync(join(root, 'bin', 'migcheck'), argv, { cwd: root, encoding: 'utf8' });

  async function runWith(cache: string | undefined) {
    const { exports, cache: how } = load(bundle, cache);
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => ((stdout += s), true) }, stderr: { write: (s: string) => ((stderr += s), true) }, stdoutIsTTY: false, stderrIsTTY: false, env: {} };
    const code = await exports[entry]!([...argv], io);
    return { how, code, stdout, stderr };
  }

  it('the build leaves a cache this Node uses', async () => {
    const r = await runWith(cacheFile);
    expect(r.how).toBe('used');
    expect(viaBin.stdout.length).toBeGreaterThan(0);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: viaBin.status, stdout: viaBin.stdout });
  });

  it.each(SPOILS)('a cache %s (%s) compiles from source, same output and exit code', async (how, _what, spoil) => {
    let file = join(dir, `${name}-missing.cache`);
    if (spoil) writeFileSync((file = join(dir, `${name}-${how}.cache`)), spoil(readFileSync(cacheFile)));
    const r = await runWith(file);
    expect(r.how).toBe(how);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: viaBin.status, stdout: viaBin.stdout, stderr: viaBin.stderr });
  });
});

describe("bin/migcheck's readInto", () => {
  const { readInto } = require(join(root, 'bin', 'migcheck')) as { readInto(fd: number, buf: Buffer): { buf: Buffer; n: number } };
  // a file larger than the buffer (one that grew after its size was read) is read whole, the buffer grown
  it.each([1, 7, 4096, 100_000])('reads a file whole through a buffer of %i bytes', (size) => {
    const file = join(dir, 'read-into');
    const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    writeFileSync(file, bytes);
    const fd = openSync(file, 'r');
    try {
      const r = readInto(fd, Buffer.alloc(size));
      expect(r.n).toBe(bytes.length);
      expect(r.buf.subarray(0, r.n).equals(bytes)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });
});

// What the gate's start-up reads and deserialises: kept small by how the build writes the bundle
describe('dist/check.cjs as the build writes it', () => {
  const text = readFileSync(join(root, 'dist', 'check.cjs'), 'latin1');
  const { ID, WRAP } = require(join(root, 'bin', 'migcheck')) as { ID: RegExp; WRAP: [string, string] };

  it('bin/migcheck reads the build id as ID reads it', () => {
    const { buildId } = require(join(root, 'bin', 'migcheck')) as { buildId: (s: string) => [string, string] | null };
    const id = 'c592d067274cec19f684dc21f892803d';
    for (const s of [text.slice(0, 200), `/*build ${id}*/x`, `/*build ${id}*/`, `/*build ${id.toUpperCase()}*/x`, `/*build ${id.slice(1)}*/x`, `/*build ${id}0*/x`, `/*build ${id}*`, ` /*build ${id}*/`, `/*build ${id.slice(0, 31)}g*/`, '', '/*build */']) {
      const m = ID.exec(s);
      expect(buildId(s), s).toEqual(m && [...m]);
    }
  });

  it('holds the module wrapper itself, so it is compiled as read (no 0.5 MB string joined per start)', () => {
    const id = ID.exec(text);
    expect(id).not.toBeNull();
    expect(text.startsWith(WRAP[0], id![0].length)).toBe(true);
    expect(text.endsWith(WRAP[1])).toBe(true);
  });

  it('embeds the knowledge base as one-byte JSON text that parses to src/generated/kb.json', () => {
    // the literal JSON.parse reads: one character above U+00FF made V8 hold all of it as UTF-16
    const at = text.indexOf('JSON.parse(', text.indexOf('"src/generated/kb.json"'));
    expect(at).toBeGreaterThan(0);
    const quote = text[at + 'JSON.parse('.length]!;
    const start = at + 'JSON.parse('.length;
    let end = start + 1;
    while (text[end] !== quote) end += text[end] === '\\' ? 2 : 1;
    const value = new Function(`return ${text.slice(start, end + 1)}`)() as string;
    expect([...value].every((c) => c.charCodeAt(0) <= 0xff)).toBe(true);
    expect(JSON.parse(value)).toEqual(JSON.parse(readFileSync(join(root, 'src/generated/kb.json'), 'utf8')));
  });
});
