// Real QEMU as a second oracle (test/fixtures/kvm/qemu-oracle.json, written by
// `npm run lab -- --qemu-migrate`): every pair Debian's arm64 QEMU was run on inside the
// emulated machine — saved paused on kernel A, loaded with -incoming on kernel B — gives the
// replay's verdict for the same pair (truth.json), and each verdict is in QEMU's own words.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KVM_FIXTURES, captureDirs, cpregs, readDump, readLab, readTruth } from './captures.js';

interface OraclePair {
  cpu: string;
  from: string;
  to: string;
  qemu: 'clean' | 'fail' | 'error';
  replay: string;
  agree: boolean;
  words: string[];
}
interface Oracle {
  qemu: string;
  emulator: string;
  features: string;
  mode: string;
  agreed: string;
  pairs: OraclePair[];
}

const file = join(KVM_FIXTURES, 'qemu-oracle.json');
const oracle = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Oracle) : undefined;
const truth = readTruth(oracle?.mode === 'vhe' || !oracle ? 'truth.json' : `truth-${oracle.mode}.json`);
const dirOf = (cpu: string, kernel: string) => captureDirs().find((d) => { const l = readLab(d); return l.cpu === cpu && l.kernel === kernel && l.mode === oracle!.mode; });
const rows = (oracle?.pairs ?? []).map((p) => [p.cpu, p.from, p.to, p] as const);

describe('real QEMU inside the lab (test/fixtures/kvm/qemu-oracle.json)', () => {
  it('is committed, for the replay matrix of the same vCPU features and mode', () => {
    expect(oracle).toBeDefined();
    expect(truth).toBeDefined();
    expect(oracle!.features).toBe(truth!.features);
    expect(oracle!.mode).toBe(truth!.mode);
    expect(oracle!.qemu).toMatch(/^qemu-system-arm \S+ \(\S+, arm64\)$/);
  });

  it('covers three CPU models or more, each with a clean and a failing pair', () => {
    const cpus = [...new Set(oracle!.pairs.map((p) => p.cpu))];
    expect(cpus.length).toBeGreaterThanOrEqual(3);
    for (const cpu of cpus) {
      const got = new Set(oracle!.pairs.filter((p) => p.cpu === cpu).map((p) => p.qemu));
      expect([...got].sort(), cpu).toEqual(['clean', 'fail']);
    }
  });

  it('states its own count, and the README states the same', () => {
    expect(oracle!.agreed).toBe(`${oracle!.pairs.filter((p) => p.agree).length} of ${oracle!.pairs.length}`);
    const readme = readFileSync(join(KVM_FIXTURES, '..', '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`agreed with the replay on ${oracle!.agreed} pairs`);
  });

  it.each(rows)('%s %s -> %s: QEMU gives the replay verdict of truth.json', (cpu, a, b, p) => {
    const replay = truth!.cpus[cpu]?.matrix[a]?.[b]?.result;
    expect(p.replay, 'recorded replay verdict is the current truth.json').toBe(replay);
    expect(p.qemu).toBe(replay);
    expect(p.agree).toBe(true);
  });

  it.each(rows)('%s %s -> %s: the verdict is in QEMU\'s words', (_cpu, _a, _b, p) => {
    const status = p.words.filter((w) => w.startsWith('VM status: '));
    const errors = p.words.filter((w) => /^qemu-system-aarch64: /.test(w));
    if (p.qemu === 'clean') {
      // loaded and left paused where the source was (-S: prelaunch), nothing printed on stderr
      expect(status.at(-1)).toMatch(/^VM status: paused \((prelaunch|postmigrate)\)$|^VM status: paused$/);
      expect(errors).toEqual([]);
    } else {
      expect(errors.some((w) => /load of migration failed|error while loading state|failed to load/i.test(w)), errors.join(' | ')).toBe(true);
    }
  });

  // QEMU checks the incoming cpreg array length against its own first ("Invalid value N
  // expecting positive value <= M"): N and M are real QEMU's cpreg counts on A and B, which
  // must be the lengths of the captures' cpreg lists
  it.each(rows.filter(([, , , p]) => p.words.some((w) => /Invalid value \d+ expecting/.test(w))))('%s %s -> %s: QEMU\'s cpreg counts are the captures\'', (cpu, a, b, p) => {
    const m = /Invalid value (\d+) expecting positive value <= (\d+)/.exec(p.words.join('\n'))!;
    expect(Number(m[1])).toBe(cpregs(readDump(dirOf(cpu, a)!)).length);
    expect(Number(m[2])).toBe(cpregs(readDump(dirOf(cpu, b)!)).length);
  });
});
