// fleet add reads each Host file's kind, then the host: one read, parse and validation per file
// (the resolver keeps the document: Resolver.document)
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { TMP, cli } from '../helpers.js';

const loads = vi.hoisted(() => new Map<string, number>());
vi.mock('../../src/profile/load.js', async (original) => {
  const m = await original<typeof import('../../src/profile/load.js')>();
  return {
    ...m,
    loadDocument: (path: string, ...rest: unknown[]) => {
      loads.set(path, (loads.get(path) ?? 0) + 1);
      return (m.loadDocument as (...a: unknown[]) => unknown)(path, ...rest);
    },
  };
});

const CAPTURED = ['altra-n1-ubuntu-5.15', 'graviton3-v1-al2023-6.1'].map((t) => `test/fixtures/hosts/${t}/expected/host.yaml`);

describe('fleet add', () => {
  it('loads each Host file once', async () => {
    mkdirSync(TMP, { recursive: true });
    const dir = mkdtempSync(join(TMP, 'fleet-add-reads-'));
    const probed = join(dir, 'probed');
    mkdirSync(probed);
    CAPTURED.forEach((f, i) => copyFileSync(f, join(probed, `node-${i}.yaml`)));
    const r = await cli('fleet', 'add', join(dir, 'fleet.yaml'), probed);
    expect(r.code, r.stderr).toBe(0);
    const hostLoads = [...loads].filter(([p]) => p.startsWith(probed));
    expect(hostLoads.length).toBe(2);
    for (const [p, n] of hostLoads) expect(n, p).toBe(1);
  });
});
