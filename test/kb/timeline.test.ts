import { describe, expect, it } from 'vitest';
import { kb } from '../../src/kb/data.js';
import { kernelReleases, mainlineKernel } from '../../src/kb/kernels.js';
import { machineTypeData, qemuRelease, vmmReleases } from '../../src/kb/vmms.js';
import { isFirmwareRegister, registerInfo } from '../../src/kb/registers.js';
import { compareVersions } from '../../src/kb/version.js';

const fw = (release: string) => mainlineKernel(release)!.registers.filter((r) => isFirmwareRegister(r.name)).map((r) => r.name);

describe('kernel timeline', () => {
  it('derives every mainline release 4.14 … 7.3 in order', () => {
    const expected: string[] = [];
    for (const [major, last] of [[4, 20], [5, 19], [6, 19], [7, 3]] as const)
      for (let minor = major === 4 ? 14 : 0; minor <= last; minor++) expected.push(`${major}.${minor}`);
    expect(kernelReleases).toEqual(expected);
    for (const r of kernelReleases) expect(mainlineKernel(r)?.name).toBe(`linux-${r}`);
  });

  it('lists its changes in release order, each with a reference and a status', () => {
    const releases = kb.kernel.changes.map((c) => c.release);
    expect([...releases].sort(compareVersions)).toEqual(releases);
    for (const c of kb.kernel.changes) {
      expect(kernelReleases).toContain(c.release);
      expect(c.reference.length).toBeGreaterThan(10);
      expect(['verified', 'inferred', 'recalled']).toContain(c.status);
      for (const r of [...(c.add ?? []), ...(c.remove ?? []), ...Object.keys(c.condition ?? {})]) expect(registerInfo(r), r).toBeDefined();
    }
  });

  it.each([
    ['4.15', 0], ['4.16', 0], ['4.17', 1], ['5.2', 1], ['5.3', 3], ['5.16', 3], ['5.17', 4], ['5.18', 4], ['5.19', 7], ['6.14', 7], ['6.15', 8], ['6.18', 8],
  ] as const)('linux-%s lists %i firmware registers (kvm_arm_get_fw_num_regs)', (release, count) => {
    expect(fw(release)).toHaveLength(count);
  });

  it.each([
    ['4.15', '0.2', ['0.1', '0.2']], ['4.16', '1.0', ['0.1', '0.2', '1.0']], ['5.18', '1.1', ['0.1', '0.2', '1.0', '1.1']], ['6.13', '1.3', ['0.1', '0.2', '1.0', '1.1', '1.2', '1.3']],
  ] as const)('linux-%s defaults to PSCI %s', (release, def, versions) => {
    expect(mainlineKernel(release)!.psci.default).toBe(def);
    expect(mainlineKernel(release)!.psci.versions).toEqual(versions);
  });

  it('records where each derived field came from', () => {
    expect(mainlineKernel('6.15')!.sources.writableImpIdRegs).toMatch(/^linux 6\.15: /);
    expect(mainlineKernel('5.3')!.sources['registers.SMCCC_ARCH_WORKAROUND_1']).toMatch(/^linux 5\.3: /);
  });
});

describe('VMM timeline', () => {
  it('derives qemu-4.2 … qemu-11.1; only 11.1 has cpreg tolerances', () => {
    expect(vmmReleases[0]).toBe('4.2');
    expect(vmmReleases.at(-1)).toBe('11.1');
    for (const r of vmmReleases) expect(qemuRelease(r)!.tolerances.length > 0).toBe(r === '11.1');
    expect(qemuRelease('5.1')!.stealTime.supported).toBe(false);
    expect(qemuRelease('5.2')!.stealTime.default).toBe('auto');
  });

  it('machine types: each release registers virt-<oldest> … its own, and the rows follow include/hw/boards.h', () => {
    const num = (v: string) => v.split('.').map(Number) as [number, number];
    // (X - A) > cutoff, or == cutoff with minor Y >= B: expired at release X.Y
    const expired = (cutoff: number, [x, y]: [number, number], [a, b]: [number, number]) => x - a > cutoff || (x - a === cutoff && y >= b);
    for (const r of vmmReleases) {
      const mt = qemuRelease(r)!.machineTypes;
      expect(mt.newest).toBe(`virt-${r}`);
      expect(mt.registered.at(-1)).toBe(`virt-${r}`);
      for (const t of machineTypeData.types.filter((t) => compareVersions(t, r) <= 0)) {
        const q = num(r);
        // registration removal only from 10.1 (QEMU_DELETE_MACHINES gate before), deprecation from 9.1
        const hidden = compareVersions(r, '10.1') >= 0 && expired(6, q, num(t));
        const deprecated = compareVersions(r, '9.1') >= 0 && expired(3, q, num(t));
        expect(mt.registered.includes(`virt-${t}`), `qemu-${r} registers virt-${t}`).toBe(!hidden);
        expect(mt.deprecated.includes(`virt-${t}`), `qemu-${r} deprecates virt-${t}`).toBe(!hidden && deprecated);
      }
    }
    expect(qemuRelease('10.0')!.machineTypes.registered[0]).toBe('virt-2.6');
    expect(qemuRelease('10.1')!.machineTypes.registered[0]).toBe('virt-4.2');
    expect(qemuRelease('11.1')!.machineTypes.registered[0]).toBe('virt-5.2');
  });

  it('no released QEMU can pin PSCI, write bitmaps, MIDR or target CPUs', () => {
    for (const r of vmmReleases) expect(Object.values(qemuRelease(r)!.canSet)).toEqual([false, false, false, false]);
  });
});

describe('coverage (migcheck --version, profiles list)', () => {
  it('spans the timelines, counts the CPUs and carries the date the data was brought up to', async () => {
    const { coverage } = await import('../../src/kb/coverage.js');
    const c = coverage();
    expect(c.kernels).toEqual({ first: '4.14', last: '7.3', count: kernelReleases.length });
    expect(c.qemu).toEqual({ first: vmmReleases[0], last: vmmReleases.at(-1), count: vmmReleases.length });
    expect(c.cores).toBe(kb.cores.length);
    expect(c.products).toBe(kb.cpuProperties.products.length);
    expect(c.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('every stable backport has a reference and a status', () => {
    for (const b of kb.kernel.backports ?? []) {
      expect(b.reference.length, b.change).toBeGreaterThan(10);
      expect(['verified', 'inferred', 'recalled']).toContain(b.status);
    }
  });
});
