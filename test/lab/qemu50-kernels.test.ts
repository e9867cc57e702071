// Kernel upgrades under vCPUs as QEMU 5.0-6.2 makes them (no pointer authentication): the lab's
// same-CPU replay matrix of test/fixtures/kvm-qemu50/ (`npm run lab -- --features qemu-5.0 --out
// test/fixtures/kvm-qemu50`), every capture of a CPU model replayed on each of its kernels. migcheck,
// given the captures as qemu-6.2 Hosts, probed and version-derived (kernel version, MIDR and the CPU
// model's inputs, as test/ground-truth/ derives them), must fail exactly the registers KVM refused.
// A version-derived Host states no cache geometry (it is per SKU: kb/id-registers.yaml), so for
// those CLIDR_EL1 and the CCSIDR demux are not asked for by name; the verdict still must agree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { writeProfile } from '../helpers.js';
import { derivedHost } from '../ground-truth/derived-host.mjs';
import { KVM_FIXTURES, readDump, readLab, type Truth } from './captures.js';
import { disagreement, probedHost } from './replay-compare.js';

const TREE = join(KVM_FIXTURES, '..', 'kvm-qemu50');
const VMM = 'qemu-6.2';
const file = join(TREE, 'truth.json');
const truth = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Truth) : undefined;
const models = (parse(readFileSync(join(KVM_FIXTURES, '..', '..', 'ground-truth', 'cpu-models.yaml'), 'utf8')) as { models: Record<string, never> }).models;

const geometry = (reg: string) => reg === 'CLIDR_EL1' || reg.startsWith('DEMUX_CCSIDR_');
const derived = new Map<string, string>();
function derivedFile(cpu: string, kernel: string): string {
  const dir = `${cpu}-${kernel}`;
  let f = derived.get(dir);
  if (!f) {
    // readLab/readDump read below test/fixtures/kvm: this tree is its sibling
    const rel = join('..', 'kvm-qemu50', dir);
    derived.set(dir, (f = writeProfile({ ...derivedHost(dir, readLab(rel), readDump(rel), models[cpu]), vmm: VMM })));
  }
  return f;
}

describe('kernel upgrades, QEMU 5.0-6.2 vCPUs, real KVM (test/fixtures/kvm-qemu50/truth.json)', () => {
  it('is committed: 7 CPU models x 4 kernels, every ordered pair', () => {
    expect(truth?.features).toBe('qemu-5.0');
    expect(Object.keys(truth!.cpus)).toHaveLength(7);
    for (const [cpu, m] of Object.entries(truth!.cpus)) {
      expect(m.kernels, cpu).toEqual(['5.10.223', '6.1.192', '6.12.118', '7.3.4']);
      for (const a of m.kernels) for (const b of m.kernels) expect(m.matrix[a]?.[b], `${cpu} ${a} -> ${b}`).toBeDefined();
    }
  });

  for (const profiles of ['probed', 'derived'] as const)
    it(`${profiles} Hosts: migcheck fails exactly the registers KVM refused`, async () => {
      const wrong: string[] = [];
      const host = (cpu: string, k: string) => (profiles === 'probed' ? probedHost(join(TREE, `${cpu}-${k}`), VMM) : derivedFile(cpu, k));
      for (const [cpu, m] of Object.entries(truth?.cpus ?? {}))
        for (const a of m.kernels)
          for (const b of m.kernels) {
            const d = await disagreement(await host(cpu, a), await host(cpu, b), m.matrix[a]![b]!, profiles === 'derived' ? geometry : undefined);
            if (d) wrong.push(`${cpu} ${a} -> ${b}: ${d}`);
          }
      expect(wrong).toEqual([]);
    }, 120_000);
});
