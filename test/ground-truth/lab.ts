// The committed lab captures as migcheck sees them: each capture probed with
// `probe --root DIR --kvm` (in-process CLI) and as a version-derived Host profile
// (`kernel: linux-<version>`, the captured MIDR, the CPU model's features), and every ordered
// pair of the replay matrix checked both ways with one `check --batch` each. Computed once
// per test file, a few seconds in all.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { TMP, cli } from '../helpers.js';
import { derivedHost } from './derived-host.mjs';
import { captureDirs, KVM_FIXTURES, readDump, readLab, readTruth, type Cell, type Lab, type Truth } from '../lab/captures.js';

export const HERE = dirname(fileURLToPath(import.meta.url));
/** the VHE matrix (truth.json) and the nVHE one with its cross-mode pairs (truth-nvhe.json) */
const truths = [readTruth(), readTruth('truth-nvhe.json')].filter((t): t is Truth => t !== undefined);
export type Profiles = 'probed' | 'derived';
/** a capture's kernel as pairs name it: the version, suffixed by the mode if not VHE (as its directory) */
const label = (kernel: string, mode: string) => (mode === 'vhe' ? kernel : `${kernel}-${mode}`);
const labelOf = (l: Lab) => label(l.kernel, l.mode);

const cpuModels = (parse(readFileSync(join(HERE, 'cpu-models.yaml'), 'utf8')) as { models: Record<string, { features: string[]; mitigations?: Record<string, string>; idRegisters?: Record<string, number> }> }).models;
/** captures of a kvm-arm.mode some truth file covers, by CPU model and kernel label */
export const captures = captureDirs()
  .map((dir) => ({ dir, lab: readLab(dir) }))
  .filter((c) => truths.some((t) => t.mode === c.lab.mode));
export const dirOf = (cpu: string, kernel: string) => captures.find((c) => c.lab.cpu === cpu && labelOf(c.lab) === kernel)!.dir;

export interface Pair {
  readonly cpu: string;
  readonly from: string;
  readonly to: string;
  readonly cell: Cell;
}
export const pairs: Pair[] = truths.flatMap((t) => [
  ...Object.entries(t.cpus).flatMap(([cpu, m]) =>
    m.kernels.flatMap((a) => m.kernels.map((b) => ({ cpu, from: label(a, t.mode), to: label(b, t.mode), cell: m.matrix[a]![b]! }))),
  ),
  // cross-mode: a capture of one mode replayed on a boot of the other
  ...Object.entries(t.cross ?? {}).flatMap(([key, byCpu]) => {
    const [fromMode, toMode] = key.split('>') as [string, string];
    return Object.entries(byCpu).flatMap(([cpu, m]) =>
      Object.entries(m).flatMap(([a, row]) => Object.entries(row).map(([b, cell]) => ({ cpu, from: label(a, fromMode), to: label(b, toMode), cell }))),
    );
  }),
]);
export const pairKey = (profiles: Profiles, p: { cpu: string; from: string; to: string }) => `${profiles} ${p.cpu} ${p.from} -> ${p.to}`;

export interface LabRun {
  /** capture dir -> probe's exit code, stdout, stderr */
  readonly probes: ReadonlyMap<string, { code: number; stdout: string; stderr: string }>;
  readonly files: Readonly<Record<Profiles, ReadonlyMap<string, string>>>;
  /** pairKey -> migcheck's verdict */
  readonly verdicts: ReadonlyMap<string, string>;
  /** pairKey -> the registers migcheck's id-registers rule says KVM refuses */
  readonly idRefused: ReadonlyMap<string, readonly string[]>;
  readonly batchErrors: readonly string[];
}

/** The version-derived Host document of a capture. */
export function derivedDoc(dir: string): Record<string, unknown> {
  const lab = readLab(dir);
  return derivedHost(dir, lab, readDump(dir), cpuModels[lab.cpu]);
}

let run: Promise<LabRun> | undefined;

export function labRun(): Promise<LabRun> {
  run ??= (async () => {
    const out = join(TMP, `ground-truth-${process.pid}`);
    rmSync(out, { recursive: true, force: true });
    const files = { probed: new Map<string, string>(), derived: new Map<string, string>() };
    const probes = new Map<string, { code: number; stdout: string; stderr: string }>();
    for (const m of ['probed', 'derived'] as const) mkdirSync(join(out, m), { recursive: true });
    for (const { dir } of captures) {
      // the captures hold no `qemu-system-aarch64 --version`: the VMM the replay stands for is named
      const r = await cli('probe', '--root', join(KVM_FIXTURES, dir), '--kvm', '--vmm', 'qemu-10.0', '--name', dir);
      probes.set(dir, r);
      const p = join(out, 'probed', `${dir}.yaml`);
      writeFileSync(p, r.stdout);
      files.probed.set(dir, p);
      const v = join(out, 'derived', `${dir}.yaml`);
      writeFileSync(v, JSON.stringify(derivedDoc(dir)));
      files.derived.set(dir, v);
    }
    const verdicts = new Map<string, string>();
    const idRefused = new Map<string, string[]>();
    const batchErrors: string[] = [];
    for (const m of ['probed', 'derived'] as const) {
      const batch = join(out, `${m}.jsonl`);
      writeFileSync(batch, pairs.map((p) => JSON.stringify({ id: pairKey(m, p), from: files[m].get(dirOf(p.cpu, p.from)), to: files[m].get(dirOf(p.cpu, p.to)) })).join('\n') + '\n');
      const r = await cli('check', '--batch', batch, '--format', 'json');
      if (r.code > 2) batchErrors.push(`${m}: exit ${r.code}: ${r.stderr}`);
      for (const line of r.stdout.split('\n').filter(Boolean)) {
        const o = JSON.parse(line) as { id: string; verdict: string; findings?: { rule: string; severity: string; subject: string }[] };
        verdicts.set(o.id, o.verdict);
        const regs = (o.findings ?? []).filter((f) => f.rule === 'id-registers' && f.severity === 'fail').map((f) => f.subject.split('.')[0]!);
        idRefused.set(o.id, [...new Set(regs)]);
      }
    }
    return { probes, files, verdicts, idRefused, batchErrors };
  })();
  return run;
}

export interface DisagreementEntry {
  readonly cause: string;
  readonly detail: string;
  readonly issue: string;
  readonly pairs: readonly { profiles: readonly Profiles[]; cpu: string; from: string; to: readonly string[] }[];
}

export const readDisagreements = (): DisagreementEntry[] =>
  (parse(readFileSync(join(HERE, 'disagreements.yaml'), 'utf8')) as { disagreements?: DisagreementEntry[] }).disagreements ?? [];

/** Agreement of check's fail / not-fail with the replay, per profile kind. */
export function agreement(r: LabRun, m: Profiles): { agree: number; total: number; disagree: string[] } {
  const disagree = pairs.filter((p) => (r.verdicts.get(pairKey(m, p)) === 'fail') !== (p.cell.result === 'fail')).map((p) => pairKey(m, p));
  return { agree: pairs.length - disagree.length, total: pairs.length, disagree };
}
