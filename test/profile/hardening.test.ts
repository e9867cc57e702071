// Hostile or broken input: every case exits 3 with one `file:line:col: path: message` line per
// problem, no stack trace, no hang — through the real bin, whole process. How fast they end
// is measured by bench/slow-inputs.mjs, not asserted here (a loaded machine is not a slow tool).
// Cases inside the fast reader's subset (quick-yaml) and outside it (the YAML parser) both.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TMP } from '../helpers.js';

const DIR = join(TMP, 'hostile');
mkdirSync(DIR, { recursive: true });
const HEAD = 'apiVersion: migcheck/v1\nkind: Host\nname: h\nvmm: qemu-9.2\ncpu: neoverse-n1:r3p1\n';

function file(name: string, content: string | Buffer): string {
  const f = join(DIR, name);
  writeFileSync(f, content);
  return `test/.tmp/hostile/${name}`;
}

const laughs = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 11 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n');
const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));

const CASES: [string, () => string, RegExp][] = [
  ['size cap (2 MB profile)', () => file('big.yaml', `${HEAD}kernel: linux-6.6\ndescription: ${'a'.repeat(2_000_000)}\n`), /big\.yaml:1:1: \(document\): file is 2\d{6} bytes; profiles are limited to 1048576$/],
  ['alias limit (billion laughs)', () => file('laughs.yaml', `${HEAD}kernel: linux-6.6\n${laughs}\n`), /laughs\.yaml:\d+:\d+: \(document\): cannot load: Excessive alias count/],
  ['duplicate keys (inside the fast subset)', () => file('dup-plain.yaml', `${HEAD}kernel: linux-6.6\nkernel: linux-6.1\n`), /dup-plain\.yaml:7:1: \(document\): Map keys must be unique$/],
  ['duplicate keys (nested, quoted)', () => file('dup-nested.yaml', `${HEAD}kernel:\n  version: "6.6.0"\n  version: "6.1.0"\n`), /dup-nested\.yaml:8:3: \(document\): Map keys must be unique$/],
  ['unknown tags', () => file('tag.yaml', `${HEAD}kernel: !!python/object:os.system linux-6.6\n`), /tag\.yaml:6:9: \(document\): Unresolved tag: tag:yaml\.org,2002:python\/object:os\.system$/],
  ['non-string keys', () => file('key.yaml', `${HEAD}kernel: linux-6.6\n? [a, b]\n: 1\n`), /key\.yaml:7:3: \(document\): With stringKeys, all keys must be strings$/],
  ['multi-document files', () => file('multi.yaml', `${HEAD}kernel: linux-6.6\n---\n${HEAD}kernel: linux-6.1\n`), /multi\.yaml:7:1: \(document\): Source contains multiple documents/],
  ['binary garbage', () => file('binary.yaml', binary), /binary\.yaml:1:\d+: \(document\): not a text profile: (a NUL byte|bytes that are not UTF-8)/],
  ['empty file', () => file('empty.yaml', ''), /empty\.yaml:1:1: \(document\): the file is empty; expected a profile mapping$/],
  ['comments only', () => file('comments.yaml', '# nothing here\n'), /comments\.yaml:1:1: \(document\): the file is empty/],
  ['deep flow nesting', () => file('deep-flow.yaml', `${HEAD}kernel: ${'['.repeat(20000)}${']'.repeat(20000)}\n`), /deep-flow\.yaml:6:73: \(document\): nesting deeper than 64 levels$/],
  ['deep block nesting', () => file('deep-block.yaml', `${HEAD}kernel:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(2 * (i + 1))}- \n`).join('')}`), /deep-block\.yaml:71:131: \(document\): nesting deeper than 64 levels \(indented 130 spaces\)$/],
  ['cyclic extends', () => 'test/fixtures/bad/cycle-a.yaml', /cycle-a\.yaml:4:10: extends: cyclic extends: .*cycle-a\.yaml -> .*cycle-b\.yaml -> .*cycle-a\.yaml$/],
  ['missing extends', () => file('orphan.yaml', `${HEAD}extends: ./no-such-parent.yaml\nkernel: linux-6.6\n`), /orphan\.yaml:6:10: extends: no such Host file '\.\/no-such-parent\.yaml'/],
  ['unknown names (inside the fast subset)', () => 'test/fixtures/bad/unknown-name.yaml', /unknown-name\.yaml:4:9: kernel: unknown kernel profile 'linux-6\.66'/],
  ['unknown names (nested)', () => file('unknown-vmm.yaml', `${HEAD.replace('vmm: qemu-9.2\n', '')}vmm:\n  extends: "qemu-99.9"\nkernel: linux-6.6\n`), /unknown-vmm\.yaml:6:12: vmm\.extends: unknown VMM profile 'qemu-99\.9'/],
];

describe('hostile input: exit 3, one located line, no hang', () => {
  it.each(CASES)('%s', (_name, make, expected) => {
    const from = make();
    // The timeout only catches a hang; it is not a speed bound.
    const r = spawnSync(process.execPath, ['bin/migcheck', 'check', '--from', from, '--to', '2018-old'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error, 'the process hung').toBeUndefined();
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^[^:]+:\d+:\d+: /);
    expect(lines[0]).toMatch(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an inventory past the fleet cap (16 MB) is refused before parsing', () => {
    const big = file('fleet-big.yaml', `apiVersion: migcheck/v1\nkind: Fleet\nname: f\nhosts:\n${'  - { host: a.yaml, count: 1 }\n'.repeat(600_000)}`);
    const r = spawnSync(process.execPath, ['bin/migcheck', 'matrix', '--fleet', big], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/fleet-big\.yaml:1:1: \(document\): file is \d+ bytes; fleets are limited to 16777216\n$/);
  });
});
