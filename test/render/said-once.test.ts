// Reports say a thing once: a rollback reason shared by waves, a kernel step that breaks
// alike on every VMM, a fleet counted with its upgrade targets, a grid wider than the terminal.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { cli, runEntry } from '../helpers.js';

const FLEET = 'profiles/examples/fleet/eu-west.yaml';
const FENCE = ['fence', '--kernels', 'linux-5.15..linux-6.15', '--vmms', 'qemu-9.2', 'qemu-11.1'];

describe('reports say a thing once', () => {
  it('plan: a rollback reason several waves share is written out once, later waves name the wave that said it', async () => {
    const r = await cli('plan', '--fleet', FLEET, '--headroom', '0.1');
    expect(r.code).toBe(0);
    let wave = 0;
    const first = new Map<string, number>();
    let referred = 0;
    for (const l of r.stdout.split('\n')) {
      const w = /^wave (\d+):/.exec(l);
      if (w) wave = Number(w[1]);
      const m = /rollback: needs a cold boot of the guests that ran on the upgraded hosts: (\S+ -> \S+) NO(.*)$/.exec(l);
      if (!m) continue;
      const [, pair, rest] = m;
      if (!first.has(pair!)) {
        // the first time: the reasons in full
        expect(rest).toMatch(/^ \(.+\)$/);
        first.set(pair!, wave);
      } else {
        expect(rest).toBe(`, as in wave ${first.get(pair!)}`);
        referred++;
      }
    }
    expect(first.size).toBeGreaterThan(0);
    expect(referred).toBeGreaterThan(1);
  });

  it('plan: what guests defined on the upgraded hosts without the pin face is said once, after the waves, one line per pool that has it', async () => {
    const r = await cli('plan', '--fleet', FLEET, '--headroom', '0.1', '--format', 'json');
    const waves = (JSON.parse(r.stdout) as { waves: { wave: number; rollback: { definedOnTarget?: unknown } }[] }).waves.filter((w) => w.rollback.definedOnTarget).map((w) => w.wave);
    expect(waves.length).toBeGreaterThan(1);
    const text = (await cli('plan', '--fleet', FLEET, '--headroom', '0.1')).stdout.split('\n');
    const head = text.findIndex((l) => l.startsWith('QEMU rollback: '));
    const lastWave = text.map((l, i) => (/^wave \d+:/.test(l) ? i : -1)).reduce((a, b) => Math.max(a, b));
    expect(head).toBeGreaterThan(lastWave);
    expect(text.filter((l) => /defined on/.test(l))).toHaveLength(1);
    expect(text.slice(head + 1, head + 1 + waves.length).map((l) => /^ {2}wave (\d+): \S+ -> \S+ NO \(machine-type /.exec(l)?.[1])).toEqual(waves.map(String));
  });

  it('fence: a step that breaks alike on both VMMs is one entry naming both', async () => {
    const r = await cli(...FENCE);
    expect(r.stdout).toMatch(/^ {2}linux-5\.16 -> linux-5\.17 on qemu-9\.2, qemu-11\.1$/m);
    expect(r.stdout.match(/SMCCC_ARCH_WORKAROUND_3/g)).toHaveLength(1);
    // the two VMMs differ at 6.12 -> 6.13: two entries
    expect(r.stdout.match(/^ {2}linux-6\.12 -> linux-6\.13 on /gm)).toHaveLength(2);
  });

  it('fence: free only because the kernel range ends is not called a fence, in every format', async () => {
    const text = (await cli(...FENCE)).stdout;
    expect(text).toMatch(/^linux-6\.15 +Y\/N \[end\]/m);
    expect(text).toMatch(/^end of range: linux-6\.15 \+ qemu-9\.2: .*not a proven fence/m);
    expect(text).not.toMatch(/^fence: linux-6\.15/m);
    const json = JSON.parse((await cli(...FENCE, '--format', 'json')).stdout);
    expect(json.fence).toEqual([
      { kernel: 'linux-6.13', vmm: 'qemu-11.1', endOfRange: false },
      { kernel: 'linux-6.15', vmm: 'qemu-9.2', endOfRange: true },
    ]);
    expect((await cli(...FENCE, '--format', 'markdown')).stdout).toMatch(/\| linux-6\.15 \| YES \/ NO \*\*end of range\*\* \|/);
  });

  it('matrix and baseline --with-targets count each machine once', async () => {
    const m = await cli('matrix', '--fleet', FLEET, '--with-targets');
    expect(m.stdout.split('\n')[0]).toMatch(/^Fleet eu-west: 184 hosts \(184 to be upgraded/);
    expect(m.stdout).not.toMatch(/368/);
    expect(JSON.parse((await cli('matrix', '--fleet', FLEET, '--with-targets', '--format', 'json')).stdout).hostCount).toEqual({ hosts: 184, upgraded: 184 });
    expect((await cli('baseline', '--fleet', FLEET, '--with-targets')).stdout.split('\n')[0]).toMatch(/: 184 hosts \(184 to be upgraded/);
    // without targets the groups are the machines
    expect((await cli('matrix', '--fleet', FLEET)).stdout.split('\n')[0]).toBe('Fleet eu-west: 184 hosts, 3 distinct host profiles');
  });

  it.each([60, 80, 132])('fence: the full grid folds to COLUMNS=%i, every VMM column still shown', async (width) => {
    const r = await runEntry(main as never, ['fence', '--kernels', 'linux-5.4..linux-7.3', '--vmms', 'qemu-5.0..qemu-11.1'], { COLUMNS: String(width) });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const grid = lines.slice(0, lines.indexOf('steps that do not migrate cleanly both ways:'));
    for (const l of grid) expect(l.length, l).toBeLessThanOrEqual(width);
    const heads = grid.filter((l) => /^ +qemu-/.test(l));
    expect(heads.length).toBeGreaterThan(1);
    expect(heads.flatMap((h) => h.trim().split(/ +/))).toHaveLength(20);
    // every block has a row per kernel
    expect(grid.filter((l) => l.startsWith('linux-7.3 '))).toHaveLength(heads.length);
  });
});
