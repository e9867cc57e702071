// migcheck against a real KVM on hosts of different CPU models (truth-cross-cpu.json, written by
// `npm run lab -- --cross-cpus`): on each lab kernel, every CPU model's committed capture was
// replayed onto a boot of every other model with QEMU's incoming rules, so each cell lists the
// registers that kernel's KVM refused (or did not list) for real, differing values. Given the two
// captures as probed Hosts, migcheck must fail exactly those registers: none it lets through (a
// clean verdict where KVM_SET_ONE_REG refuses), none it refuses that KVM took. Two trees: vCPUs
// as QEMU >= 7.0 makes them (test/fixtures/kvm/) and as QEMU 5.0-6.2 does, without pointer
// authentication (test/fixtures/kvm-qemu50/, `--features qemu-5.0 --out test/fixtures/kvm-qemu50`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KVM_FIXTURES } from './captures.js';
import { disagreement, probedHost, type ReplayCell } from './replay-compare.js';

type Truth = { emulator: string; features: string; kernels: Record<string, Record<string, Record<string, ReplayCell>>> };
const TREES = [
  { root: KVM_FIXTURES, vmm: 'qemu-9.2', kernels: ['5.10.223', '6.1.192', '6.12.118', '7.3.4'], cells: 42 },
  { root: join(KVM_FIXTURES, '..', 'kvm-qemu50'), vmm: 'qemu-6.2', kernels: ['5.10.223', '6.1.192', '6.12.118', '7.3.4'], cells: 42 },
].map((t) => {
  const file = join(t.root, 'truth-cross-cpu.json');
  return { ...t, truth: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Truth) : undefined };
});

for (const { root, vmm, kernels: expected, cells, truth } of TREES)
  describe(`ID registers across CPU models, real KVM (${root.split('/').slice(-1)[0]}/truth-cross-cpu.json, ${vmm})`, () => {
    it('is committed: each of 7 CPU models onto each other one, on the oldest and newest lab kernels at least', () => {
      expect(truth).toBeDefined();
      const kernels = Object.keys(truth!.kernels);
      expect(kernels).toEqual(expect.arrayContaining(expected));
      for (const k of kernels) expect(Object.values(truth!.kernels[k]!).reduce((n, row) => n + Object.keys(row).length, 0), k).toBe(cells);
    });

    for (const [kernel, rows] of Object.entries(truth?.kernels ?? {}))
      it(`${kernel}: migcheck fails exactly the registers KVM refused`, async () => {
        const wrong: string[] = [];
        const host = (cpu: string) => probedHost(join(root, `${cpu}-${kernel}`), vmm);
        for (const [a, row] of Object.entries(rows))
          for (const [b, cell] of Object.entries(row)) {
            const d = await disagreement(await host(a), await host(b), cell);
            if (d) wrong.push(`${a} -> ${b}: ${d}`);
          }
        expect(wrong).toEqual([]);
      }, 120_000);
  });
