// The replay ground truth (test/fixtures/kvm/truth.json) is complete and consistent with the
// captures beside it: every ordered pair per CPU model, a clean diagonal, and each refusal
// explained by the two register dumps (QEMU's rule: a source register the destination does
// not list fails; the destination's list is what its capture shows).
import { describe, expect, it } from 'vitest';
import { captureDirs, cpregs, readDump, readLab, readTruth } from './captures.js';

const truth = readTruth();
const pairs = truth ? Object.entries(truth.cpus).flatMap(([cpu, m]) => m.kernels.flatMap((a) => m.kernels.map((b) => [cpu, a, b] as const))) : [];
const dirOf = (cpu: string, kernel: string) => captureDirs().find((d) => { const l = readLab(d); return l.cpu === cpu && l.kernel === kernel && l.mode === truth!.mode; });

describe.skipIf(!truth)('lab replay matrix (test/fixtures/kvm/truth.json)', () => {
  it('covers every CPU model captured, and each model has a capture for every kernel it lists', () => {
    const captured = new Set(captureDirs().map((d) => readLab(d)).filter((l) => l.mode === truth!.mode).map((l) => l.cpu));
    expect(Object.keys(truth!.cpus).sort()).toEqual([...captured].sort());
    for (const [cpu, m] of Object.entries(truth!.cpus)) for (const k of m.kernels) expect(dirOf(cpu, k), `${cpu} ${k}`).toBeDefined();
  });

  it('is complete: every ordered pair of kernels of a CPU model has a result', () => {
    const missing = pairs.filter(([cpu, a, b]) => !truth!.cpus[cpu]!.matrix[a]?.[b]).map((p) => p.join(' '));
    expect(missing).toEqual([]);
  });

  it('has a clean diagonal: a kernel always takes its own capture', () => {
    const bad = pairs.filter(([cpu, a, b]) => a === b && truth!.cpus[cpu]!.matrix[a]![b]!.result !== 'clean').map((p) => p.join(' '));
    expect(bad).toEqual([]);
  });

  it.each(pairs)('%s %s -> %s: the result follows from the refusals, and not-listed registers from the two captures', (cpu, a, b) => {
    const cell = truth!.cpus[cpu]!.matrix[a]![b]!;
    expect(cell.result).toBe(cell.notListed.length || cell.refused.length ? 'fail' : 'clean');
    const src = readDump(dirOf(cpu, a)!), dst = readDump(dirOf(cpu, b)!);
    const dstList = new Set(cpregs(dst));
    expect(cell.notListed).toEqual(cpregs(src).filter((id) => !dstList.has(id)).sort());
    for (const r of cell.refused) expect(dstList.has(r.id), r.id).toBe(true);
  });
});
