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
import { parse } from 'yaml';
import { kb } from '../../src/kb/data.js';
import { cli, writeProfile } from '../helpers.js';
import { KVM_FIXTURES } from './captures.js';

interface Cell {
  result: 'clean' | 'fail';
  notListed: string[];
  refused: { id: string; error: string }[];
}
type Truth = { emulator: string; features: string; kernels: Record<string, Record<string, Record<string, Cell>>> };
const TREES = [
  { root: KVM_FIXTURES, vmm: 'qemu-9.2', kernels: ['5.10.223', '6.1.192', '6.12.118', '7.3.4'], cells: 42 },
  { root: join(KVM_FIXTURES, '..', 'kvm-qemu50'), vmm: 'qemu-6.2', kernels: ['5.10.223', '6.1.192', '6.12.118', '7.3.4'], cells: 42 },
].map((t) => {
  const file = join(t.root, 'truth-cross-cpu.json');
  return { ...t, truth: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Truth) : undefined };
});

// register ids -> the names migcheck's findings use
const names = new Map<bigint, string>();
for (const r of kb.registers) if ('id' in r && typeof r.id === 'string') names.set(BigInt(r.id), r.name);
for (const [n, enc] of Object.entries(kb.idRegisters.registers)) {
  const [op0, op1, crn, crm, op2] = enc.map(BigInt) as [bigint, bigint, bigint, bigint, bigint];
  names.set(0x6030000000130000n | (op0 << 14n) | (op1 << 11n) | (crn << 7n) | (crm << 3n) | op2, n);
}
const nameOf = (id: string) => {
  const v = BigInt(id);
  // KVM_REG_ARM_DEMUX_ID_CCSIDR (coproc 0x11, U32): the cache index in the low byte
  if (v >> 8n === 0x60200000001100n) return `DEMUX_CCSIDR_${Number(v & 0xffn)}`;
  return names.get(v) ?? id;
};

const hosts = new Map<string, string>();
async function host(root: string, vmm: string, cpu: string, kernel: string): Promise<string> {
  const dir = join(root, `${cpu}-${kernel}`);
  let f = hosts.get(dir);
  if (!f) {
    const r = await cli('probe', '--root', dir, '--kvm', '--vmm', vmm, '--name', `${cpu}-${kernel}`);
    expect(r.code, r.stderr).toBe(0);
    hosts.set(dir, (f = writeProfile(parse(r.stdout) as Record<string, unknown>)));
  }
  return f;
}

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
        for (const [a, row] of Object.entries(rows))
          for (const [b, cell] of Object.entries(row)) {
            const r = await cli('check', '--from', await host(root, vmm, a, kernel), '--to', await host(root, vmm, b, kernel), '--format', 'json');
            expect(r.code, r.stderr).toBeLessThan(3);
            const out = JSON.parse(r.stdout) as { verdict: string; findings: { severity: string; subject: string }[] };
            expect(out.verdict === 'fail', `${a} -> ${b}`).toBe(cell.result === 'fail');
            const predicted = new Set(out.findings.filter((f) => f.severity === 'fail').map((f) => f.subject.split('.')[0]!));
            const real = new Set([...cell.refused.map((x) => nameOf(x.id)), ...cell.notListed.map(nameOf)]);
            const missed = [...real].filter((x) => !predicted.has(x));
            const extra = [...predicted].filter((x) => !real.has(x));
            if (missed.length || extra.length) wrong.push(`${a} -> ${b}: KVM refused, migcheck let through [${missed}]; migcheck refused, KVM took [${extra}]`);
          }
        expect(wrong).toEqual([]);
      }, 120_000);
  });
