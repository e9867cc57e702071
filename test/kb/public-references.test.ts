// The product cites public sources (kernel and QEMU commits, docs, mailing-list threads,
// TRMs), never notes outside itself: no shipped file and no output names them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { rules } from '../../src/rules/index.js';

const INTERNAL = /seeds\/|SPEC §|SPEC \\u00a7|shared\/reference|\.\.\/shared\/|\b(?:kvm-lab|guest-visible-values|qemu-machine-types|kvm-arm64-abi|sysreg-list-timeline|vmm-behaviour|peers|ts-cli-anchors)\.md\b/;
const SHIPPED = ['kb', 'schemas', 'docs', 'profiles', 'src', 'examples', 'README.md'];

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((f) => files(join(path, f)));
}

describe('no internal notes in what ships', () => {
  it.each(SHIPPED)('%s cites none', (root) => {
    const hits = files(root).filter((f) => INTERNAL.test(readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });

  const commands: string[][] = [
    ['explain'],
    ...rules.map((r) => ['explain', r.id]),
    ['schema', 'host'],
    ['schema', 'guest'],
    ['schema', 'fleet'],
    ...['linux-4.14', 'linux-5.4.190', 'linux-7.3', 'qemu-11.1', 'graviton2', 'neoverse-n1', '2018-old', 'eu-west'].map((n) => ['profiles', 'show', n]),
  ];
  it.each(commands.map((c) => [c.join(' '), c] as const))('migcheck %s cites none', async (_name, argv) => {
    const r = await cli(...argv);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(INTERNAL);
  });
});
