// The replay ground truth (test/fixtures/kvm/truth.json, truth-nvhe.json) is complete and consistent with the
// captures beside it: every ordered pair per CPU model, a clean diagonal, and each refusal
// explained by the two register dumps (QEMU's rule: a source register the destination does
// not list fails; the destination's list is what its capture shows).
import { describe, expect, it } from 'vitest';
import { captureDirs, cpregs, readDump, readLab, readTruth, type Truth } from './captures.js';

const files = ['truth.json', 'truth-nvhe.json'].map((f) => [f, readTruth(f)] as const).filter((x): x is readonly [string, Truth] => x[1] !== undefined);
const dirIn = (cpu: string, kernel: string, mode: string) => captureDirs().find((d) => { const l = readLab(d); return l.cpu === cpu && l.kernel === kernel && l.mode === mode; });

describe.each(files)('lab replay matrix (test/fixtures/kvm/%s)', (_file, truth) => {
  const pairs = Object.entries(truth.cpus).flatMap(([cpu, m]) => m.kernels.flatMap((a) => m.kernels.map((b) => [cpu, a, b] as const)));
  const dirOf = (cpu: string, kernel: string) => dirIn(cpu, kernel, truth.mode);

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

// --cross-from: a capture of one mode replayed on a boot of the other, the same rules
const cross = files.flatMap(([, t]) => Object.entries(t.cross ?? {}).flatMap(([key, byCpu]) => {
  const [fm, tm] = key.split('>') as [string, string];
  return Object.entries(byCpu).flatMap(([cpu, m]) => Object.entries(m).flatMap(([a, row]) => Object.entries(row).map(([b, cell]) => [key, cpu, a, b, fm, tm, cell] as const)));
}));
describe.skipIf(!cross.length)('lab cross-mode replays', () => {
  it.each(cross)('%s %s %s -> %s: the result follows from the refusals, and not-listed registers from the two captures', (_k, cpu, a, b, fm, tm, cell) => {
    expect(cell.result).toBe(cell.notListed.length || cell.refused.length ? 'fail' : 'clean');
    const src = readDump(dirIn(cpu, a, fm)!), dst = readDump(dirIn(cpu, b, tm)!);
    const dstList = new Set(cpregs(dst));
    expect(cell.notListed).toEqual(cpregs(src).filter((id) => !dstList.has(id)).sort());
    for (const r of cell.refused) expect(dstList.has(r.id), r.id).toBe(true);
  });
});
