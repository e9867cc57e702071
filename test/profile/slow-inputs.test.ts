// Inputs within the size caps that once took seconds (issue 12, item 10): list and string
// caps in the schemas, at most MAX_DIAGNOSTICS problems per file and one "and N more" line,
// de-duplicated references, fence over repeated names. Behaviour only; the timings are
// bench/slow-inputs.mjs's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { TMP, cli } from '../helpers.js';
import { locate, quickLocator } from '../../src/profile/locate.js';
import { quickParse } from '../../src/profile/quick-yaml.js';
import { didYouMean } from '../../src/profile/diagnostics.js';

const DIR = join(TMP, 'slow-inputs');
mkdirSync(DIR, { recursive: true });
const file = (name: string, text: string) => {
  writeFileSync(join(DIR, name), text);
  return `test/.tmp/slow-inputs/${name}`;
};
const head = (kind: string, name: string) => `apiVersion: migcheck/v1\nkind: ${kind}\nname: ${name}\n`;
const host = (name: string, body: string) => file(`${name}.yaml`, `${head('Host', name)}kernel: linux-6.6\nvmm: qemu-9.2\n${body}`);
const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('');
const run = (...args: string[]) => spawnSync(process.execPath, ['bin/migcheck', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
const errLines = (r: { stderr: string }) => r.stderr.trimEnd().split('\n');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

/** Every path in the data, and one that does not exist below each container. */
function paths(v: unknown, pre: string[] = []): string[][] {
  if (!v || typeof v !== 'object') return [pre];
  const keys = Array.isArray(v) ? v.map((_, i) => String(i)) : Object.keys(v);
  return [pre, [...pre, 'no-such-key'], ...keys.flatMap((k) => paths((v as Record<string, unknown>)[k], [...pre, k]))];
}

describe('locating a problem is cheap, and where the full parser would put it', () => {
  it('the line scan of a fast-reader document gives the full parser positions, for every path of every shipped profile and fixture', () => {
    const wrong: unknown[] = [];
    let compared = 0;
    for (const f of [...yamlFiles('profiles'), ...yamlFiles('test/fixtures')]) {
      const text = readFileSync(f, 'utf8');
      const data = quickParse(text);
      if (!data) continue;
      const lc = new LineCounter();
      const doc = parseDocument(text, { lineCounter: lc, version: '1.2', stringKeys: true });
      const quick = quickLocator(text);
      for (const segs of paths(data))
        for (const preferKey of [false, true]) {
          const p = quick(segs, preferKey);
          if (!p) continue;
          const q = locate(doc, lc, segs, preferKey);
          if (p.line !== q.line || p.col !== q.col) wrong.push([f, segs.join('/'), preferKey, p, q]);
          compared++;
        }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('list and string caps in the schemas', () => {
  it('otherCpus past 64 entries: exit 3 at the list, without comparing all pairs', () => {
    const r = run('validate', host('other-cpus', `cpu: neoverse-n1\notherCpus:\n${lines(3000, (i) => `  - { midr: "0x${(0x41000000 + i).toString(16)}" }\n`)}`));
    expect(r.status).toBe(3);
    expect(errLines(r)).toEqual([expect.stringMatching(/other-cpus\.yaml:8:3: otherCpus: expected at most 64 entries \(no real host has more\), got 3000$/)]);
  });

  it('firmwareRegisters past 256 entries: exit 3 at the list', () => {
    const regs = Array.from({ length: 5000 }, (_, i) => `R${i.toString(36).toUpperCase()}`).join(', ');
    const r = run('validate', file('fw-regs.yaml', `${head('Host', 'fw-regs')}vmm: qemu-9.2\ncpu: neoverse-n1\nkernel:\n  extends: linux-6.6\n  firmwareRegisters: [${regs}]\n`));
    expect(r.status).toBe(3);
    expect(errLines(r)).toEqual([expect.stringMatching(/fw-regs\.yaml:8:22: kernel\.firmwareRegisters: expected at most 256 entries \(no real host has more\), got 5000$/)]);
  });

  it('a bitmap list past 16 entries: one problem at the list, none for its 3,000 unknown names', () => {
    const r = run('validate', file('bitmaps.yaml', `${head('Guest', 'bitmaps')}hypercallBitmaps:\n  STD_BMAP:\n${lines(3000, (i) => `    - X${i}\n`)}`));
    expect(r.status).toBe(3);
    expect(errLines(r)).toEqual([expect.stringMatching(/bitmaps\.yaml:6:5: hypercallBitmaps\.STD_BMAP: expected at most 16 entries \(no real host has more\), got 3000$/)]);
  });

  it('a 1 MB CPU name: exit 3, the length quoted, not the name', () => {
    const r = run('validate', host('long-cpu', `cpu: ${'a'.repeat(1_000_000)}\n`));
    expect(r.status).toBe(3);
    expect(errLines(r)).toEqual([expect.stringMatching(/long-cpu\.yaml:6:6: cpu: expected at most 256 characters, got a string of 1000000$/)]);
  });

  it('"did you mean" skips inputs far longer than any name, and still helps with near ones', () => {
    expect(didYouMean('a'.repeat(1_000_000), ['neoverse-n1', 'a'.repeat(10)])).toBeUndefined();
    expect(didYouMean('neoverse-n2x', ['neoverse-n1', 'neoverse-n2', 'cortex-a72'])).toBe('neoverse-n2');
    expect(didYouMean('graviton', ['neoverse-n1', 'graviton2', 'graviton3'])).toBe('graviton2');
    expect(didYouMean('zzzz', ['neoverse-n1'])).toBeUndefined();
  });
});

// the fast reader declines what load.ts screen refuses, so a one-line inventory entry meets
// the same refusal as the block-style one (and its duplicate-key scan never goes quadratic)
describe('the fast reader keeps the screen\'s limits', () => {
  const fleet = (name: string, hosts: string) => file(`${name}.yaml`, `${head('Fleet', name)}hosts:\n${hosts}\n`);
  it('a one-line entry of 60,000 keys: exit 3 at the collection, promptly', () => {
    const r = run('validate', fleet('keys-60k', `  - { host: a, ${lines(60000, (i) => `k${i}: v, `)}z: v }`));
    expect(r.status).toBe(3);
    expect(errLines(r)).toEqual([expect.stringMatching(/keys-60k\.yaml:5:\d+: \(document\): a flow collection of more than 5000 items/)]);
  });
  it('6,000 node names on one line are refused as the same names with a trailing space are', () => {
    const names = lines(6000, (i) => `n${i}, `).slice(0, -2);
    for (const [name, tail] of [['nodes-6k', ''], ['nodes-6k-space', ' ']] as const) {
      const r = run('validate', fleet(name, `  - { host: a, nodes: [${names}] }${tail}`));
      expect(r.status, name).toBe(3);
      expect(r.stderr, name).toMatch(/a flow collection of more than 5000 items/);
    }
  });
  it('an entry indented 200 spaces: too deep on either path', () => {
    const r = run('validate', fleet('deep', `${' '.repeat(200)}- { host: a }`));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/deep\.yaml:5:201: \(document\): nesting deeper than 64 levels \(indented 200 spaces\)/);
  });
});

describe('at most 20 problems per file, then one "and N more" line', () => {
  it('50,000 unknown keys: the first 20 in file order, then the count of the rest', () => {
    const r = run('validate', host('unknown-keys', `cpu: neoverse-n1\n${lines(50_000, (i) => `unknown${i}: 1\n`)}`));
    expect(r.status).toBe(3);
    const out = errLines(r);
    expect(out).toHaveLength(21);
    expect(out[0]).toMatch(/unknown-keys\.yaml:7:1: unknown0: unknown key 'unknown0'/);
    expect(out[19]).toMatch(/unknown-keys\.yaml:26:1: unknown19: unknown key 'unknown19'/);
    expect(out[20]).toMatch(/unknown-keys\.yaml:27:1: \(document\): … and 49,980 more problems in this file$/);
  });

  it('a fleet of 5,000 unknown hosts: 20 located, then the count', () => {
    const r = run('validate', file('unknown-hosts.yaml', `${head('Fleet', 'unknown-hosts')}hosts:\n${lines(5000, (i) => `  - { host: no-such-host-${i} }\n`)}`));
    expect(r.status).toBe(3);
    const out = errLines(r);
    expect(out).toHaveLength(21);
    expect(out[0]).toMatch(/unknown-hosts\.yaml:5:13: hosts\[0\]\.host: unknown host profile 'no-such-host-0'/);
    expect(out[20]).toMatch(/unknown-hosts\.yaml:25:13: \(document\): … and 4,980 more problems in this file$/);
  });

  it('one unknown name repeated 5,000 times is one problem', () => {
    const r = run('validate', file('repeated-host.yaml', `${head('Fleet', 'repeated-host')}hosts:\n${lines(5000, () => '  - { host: altra-6.66 }\n')}`));
    expect(r.status).toBe(3);
    expect(errLines(r)).toEqual([expect.stringMatching(/repeated-host\.yaml:5:13: hosts\[0\]\.host: unknown host profile 'altra-6\.66' \(did you mean 'altra-6\.6'\?\)$/)]);
  });

  it('5,000 entries with count: 0: 20 located, then the count', () => {
    const r = run('validate', file('count-zero.yaml', `${head('Fleet', 'count-zero')}hosts:\n${lines(5000, () => '  - { host: altra-6.6, count: 0 }\n')}`));
    expect(r.status).toBe(3);
    const out = errLines(r);
    expect(out).toHaveLength(21);
    expect(out[0]).toMatch(/count-zero\.yaml:5:31: hosts\[0\]\.count: expected a whole number of hosts/);
    expect(out[20]).toMatch(/count-zero\.yaml:25:31: \(document\): … and 4,980 more problems in this file$/);
  });
});

describe('check --batch: long names and repeated references', () => {
  it('a 10 MB host name: exit 3, one short line', () => {
    const f = file('long-name.jsonl', `${JSON.stringify({ from: 'h'.repeat(10 << 20), to: 'altra-6.6' })}\n`);
    const r = run('check', '--batch', f);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.length).toBeLessThan(500);
    expect(errLines(r)).toEqual([expect.stringMatching(/long-name\.jsonl:1:2: from: unknown host profile 'h{79}…'$/)]);
  });

  it('the same unknown name on 3,000 lines: each line reported (20, then the count), the name looked up once', () => {
    const f = file('same-name.jsonl', lines(3000, () => `${JSON.stringify({ from: 'altra-6.66', to: 'altra-6.6' })}\n`));
    const r = run('check', '--batch', f);
    expect(r.status).toBe(3);
    const out = errLines(r);
    expect(out).toHaveLength(21);
    expect(out[0]).toMatch(/same-name\.jsonl:1:2: from: unknown host profile 'altra-6\.66' \(did you mean 'altra-6\.6'\?\)/);
    expect(out[20]).toMatch(/same-name\.jsonl:21:2: \(document\): … and 2,980 more problems in this file$/);
  });
});

describe('fence: repeated names, and verdicts memoised by behaviour', () => {
  it('--kernels with a name 300 times is that name once', async () => {
    const once = await cli('fence', '--kernels', 'linux-6.6', 'linux-6.12', '--vmms', 'qemu-9.2', '--format', 'json');
    const many = await cli('fence', '--kernels', ...Array(300).fill('linux-6.6'), 'linux-6.12', 'linux-6.6', '--vmms', 'qemu-9.2', 'qemu-9.2', '--format', 'json');
    expect(many.code).toBe(once.code);
    expect(many.stdout).toBe(once.stdout);
    expect(JSON.parse(many.stdout).kernels).toEqual(['linux-6.6', 'linux-6.12']);
  });
});

describe('fence: memoised by behaviour = every pair assessed', () => {
  it('the free grid, the fence and the steps are what all-pairs assessment gives', async () => {
    const { Resolver } = await import('../../src/profile/resolve.js');
    const { buildFence } = await import('../../src/fleet/fence.js');
    const { assess } = await import('../../src/solver/assess.js');
    const r = new Resolver();
    const kernels = ['linux-5.4', 'linux-5.10', 'linux-5.15', 'linux-5.17', 'linux-5.18', 'linux-6.1', 'linux-6.4', 'linux-6.5', 'linux-6.13', 'linux-6.15'];
    const vmms = ['qemu-7.2', 'qemu-9.2', 'qemu-11.1'];
    const g = r.guest('default');
    const make = (k: string, v: string) => r.composeHost(k, v, 'neoverse-n1:r3p1');
    const f = buildFence(kernels, vmms, make, g, 'Neoverse-N1 r3p1');
    const hosts = kernels.map((k) => vmms.map((v) => make(k, v)));
    const free = kernels.map((_, k) =>
      vmms.map((_, v) => {
        const set = hosts.slice(k).flatMap((row) => row.slice(v));
        return set.every((a) => set.every((b) => assess(a, b, f.guest).verdict === 'clean'));
      }),
    );
    // the default guest has no machine type: the fence pins the newest every VMM registers
    expect(f.guest.machineType).toBe('virt-7.2');
    expect(f.free).toEqual(free);
    for (const s of f.steps) {
      expect(s.forward.verdict).toBe(assess(s.from.host, s.to.host, f.guest).verdict);
      expect(s.rollback.verdict).toBe(assess(s.to.host, s.from.host, f.guest).verdict);
    }
    for (const b of f.breaks) expect(b.assessment.verdict).not.toBe('clean');
  });
});
