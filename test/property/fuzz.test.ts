// Fuzzing the input path (fast-check, seeded, reproducible): random mutations of valid
// profiles never produce an internal error (exit 4) or a stack trace — only a verdict or
// located diagnostics; `--output` is atomic (the previous file survives a failed run and no
// temporary file is left); reports are byte-identical across runs and key order.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { TMP, cli } from '../helpers.js';

const SEED = 20261122;
const DIR = join(TMP, 'fuzz');
mkdirSync(DIR, { recursive: true });
// a copy of the example fleet with its hosts and guests: mutated and reordered inventories
// are written beside it, never into profiles/ (other test files index that directory)
const FLEET = join(DIR, 'fleet');
cpSync('profiles/examples/fleet', FLEET, { recursive: true });

const SEEDS = [
  'profiles/examples/2018/2018-old.yaml',
  'profiles/examples/2018/2018-sysreg-new.yaml',
  'profiles/examples/backports/rhel-qemu-tolerant.yaml',
  'profiles/examples/custom-vmm/n1-v1-targets.yaml',
  'profiles/examples/fleet/hosts/altra-6.6.yaml',
  'test/fixtures/hosts/rk3399-biglittle-debian-6.1/expected/host-kvm.yaml',
  'test/fixtures/hosts/altra-n1-ubuntu-5.15/expected/host.yaml',
  'test/fixtures/hosts/n1-6.15-next.yaml',
].map((f) => readFileSync(f, 'utf8'));
const GUEST_SEEDS = ['test/fixtures/guests/n1-v1-targets.yaml', 'profiles/examples/fleet/guests/pinned.yaml'].map((f) => readFileSync(f, 'utf8'));

// what YAML and the schemas care about, plus noise
const TOKENS = [': ', '- ', '{', '}', '[', ']', '&a ', '*a', '!tag ', '!!str ', '"', "'", '#', '\n', '  ', '\t', '|', '>', '---', '...', '? ', ',', '0x1', '1e9', 'null', '~', 'true', '\u0000', 'é', '\r', 'kernel', 'extends: ', 'linux-6.6', 'qemu-9.2', '0x413fd0c1'];
const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })) }),
  fc.record({ op: fc.constant('dupLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swapLines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, ms: readonly Mutation[]): string {
  for (const m of ms) {
    const lines = text.split('\n');
    const li = lines.length ? m.at % lines.length : 0;
    const ci = text.length ? m.at % text.length : 0;
    if (m.op === 'delete') text = text.slice(0, ci) + text.slice(ci + m.len);
    else if (m.op === 'insert') text = text.slice(0, ci) + m.text + text.slice(ci);
    else if (m.op === 'dupLine') text = [...lines.slice(0, li + 1), lines[li]!, ...lines.slice(li + 1)].join('\n');
    else if (m.op === 'swapLines') {
      const j = lines.length ? m.with % lines.length : 0;
      [lines[li], lines[j]] = [lines[j]!, lines[li]!];
      text = lines.join('\n');
    } else if (m.op === 'indent') {
      lines[li] = m.by > 0 ? ' '.repeat(m.by) + lines[li] : lines[li]!.slice(-m.by);
      text = lines.join('\n');
    } else text = text.slice(0, ci);
  }
  return text;
}

let n = 0;
const write = (text: string) => {
  const f = join(DIR, `m${n++ % 50}.yaml`);
  writeFileSync(f, text);
  return f;
};

/** Exit 0-3 only; on 3 every stderr line is located (or a usage line); never a stack. */
function wellBehaved(r: { code: number; stdout: string; stderr: string }) {
  expect([0, 1, 2, 3], r.stderr).toContain(r.code);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).not.toMatch(/\n\s+at \S+ \(/);
  if (r.code === 3) {
    expect(r.stdout).toBe('');
    for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^(.+:\d+:\d+: \S.*|migcheck: .+|Run 'migcheck --help' for usage\.)$/);
  } else expect(r.stdout.length).toBeGreaterThan(0);
}

describe('mutated profiles never crash migcheck', () => {
  it('Host profiles: check exits 0-3 with a verdict or located diagnostics', async () => {
    let bad = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (seed, ms, json) => {
        const r = await cli('check', '--from', write(mutate(seed, ms)), '--to', '2018-old', ...(json ? ['--format', 'json'] : []));
        wellBehaved(r);
        if (r.code === 3) bad++;
      }),
      { seed: SEED, numRuns: 400 },
    );
    // the mutations must reach the error paths, not only harmless edits
    expect(bad).toBeGreaterThan(100);
  }, 90_000);

  it('Guest profiles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GUEST_SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seed, ms) => {
        wellBehaved(await cli('check', '--from', 'altra-6.6', '--to', 'altra-6.12', '--guest', write(mutate(seed, ms))));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('Fleet inventories (next to the example hosts they reference)', async () => {
    const fleet = readFileSync(join(FLEET, 'eu-west.yaml'), 'utf8');
    const f = join(FLEET, 'fuzz-fleet.yaml');
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        writeFileSync(f, mutate(fleet, ms));
        wellBehaved(await cli('matrix', '--fleet', f, '--format', 'json'));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('--output is atomic', () => {
  const out = join(DIR, 'out', 'verdict.json');
  mkdirSync(join(DIR, 'out'), { recursive: true });
  const leftovers = () => readdirSync(join(DIR, 'out')).filter((x) => x.endsWith('.tmp'));

  it('a failed run leaves the previous file as it was; a good one writes exactly what stdout would', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SEEDS), fc.array(mutation, { maxLength: 3 }), async (seed, ms) => {
        writeFileSync(out, 'previous\n');
        const from = write(mutate(seed, ms));
        const r = await cli('check', '--from', from, '--to', '2018-old', '--format', 'json', '--output', out);
        wellBehaved({ ...r, stdout: r.code === 3 ? '' : 'x' });
        expect(r.stdout).toBe('');
        if (r.code === 3) expect(readFileSync(out, 'utf8')).toBe('previous\n');
        else expect(readFileSync(out, 'utf8')).toBe((await cli('check', '--from', from, '--to', '2018-old', '--format', 'json')).stdout);
        expect(leftovers()).toEqual([]);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('a write that cannot complete (target is a directory, or its directory is missing) exits 3 and leaves nothing', async () => {
    const asDir = join(DIR, 'out', 'is-a-dir');
    mkdirSync(asDir, { recursive: true });
    for (const target of [asDir, join(DIR, 'no-such-dir', 'x.json')]) {
      const r = await cli('check', '--from', 'altra-6.6', '--to', 'altra-6.12', '--output', target);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^migcheck: cannot write /);
    }
    expect(leftovers()).toEqual([]);
    expect(existsSync(join(DIR, 'no-such-dir'))).toBe(false);
  });
});

describe('reports are byte-identical across runs and key order', () => {
  const shuffle = <T>(xs: T[], seed: number) => xs.map((x, i) => [x, (i * 7919 + seed) % 101] as const).sort((a, b) => a[1] - b[1]).map(([x]) => x);
  const reorder = (v: unknown, seed: number): unknown =>
    Array.isArray(v) ? v.map((x) => reorder(x, seed)) : v && typeof v === 'object' ? Object.fromEntries(shuffle(Object.entries(v), seed).map(([k, x]) => [k, reorder(x, seed)])) : v;

  it('matrix, baseline, plan and pools of the example fleet, with every mapping reordered', async () => {
    const original = join(FLEET, 'eu-west.yaml');
    const fleet = parse(readFileSync(original, 'utf8'));
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), fc.constantFrom('matrix', 'baseline', 'plan', 'pools'), fc.constantFrom('text', 'json'), async (seed, cmd, format) => {
        const f = join(FLEET, 'reordered.yaml');
        writeFileSync(f, stringify(reorder(fleet, seed)));
        const a = await cli(cmd, '--fleet', original, '--format', format);
        const b = await cli(cmd, '--fleet', f, '--format', format);
        const c = await cli(cmd, '--fleet', original, '--format', format);
        expect(a.code).toBe(0);
        expect(c).toEqual(a);
        // the fleet's name (not its file name) appears in reports; everything must match
        expect(b.stdout).toBe(a.stdout);
      }),
      { seed: SEED, numRuns: 12 },
    );
  }, 90_000);
});
