// Stable point releases take their series' backports; bare X.Y is mainline.
import { describe, expect, it } from 'vitest';
import { kb } from '../../src/kb/data.js';
import { mainlineKernel } from '../../src/kb/kernels.js';
import { host } from '../helpers.js';

const lists = (version: string, reg: string) => mainlineKernel(version)!.registers.some((r) => r.name === reg);

describe('stable backports', () => {
  it.each([
    ['5.4', 'SMCCC_ARCH_WORKAROUND_3', false],
    ['5.4.185', 'SMCCC_ARCH_WORKAROUND_3', false],
    ['5.4.186', 'SMCCC_ARCH_WORKAROUND_3', true],
    ['5.10.104', 'SMCCC_ARCH_WORKAROUND_3', false],
    ['5.10.105', 'SMCCC_ARCH_WORKAROUND_3', true],
    ['5.15.28', 'SMCCC_ARCH_WORKAROUND_3', true],
    ['5.4.77', 'ID_AA64ZFR0_EL1', false],
    ['5.4.78', 'ID_AA64ZFR0_EL1', true],
    ['5.17', 'SMCCC_ARCH_WORKAROUND_3', true],
  ] as const)('linux-%s lists %s: %s', (version, reg, listed) => {
    expect(lists(version, reg)).toBe(listed);
  });

  it('distribution suffixes keep the point release (5.4.0-150-generic is 5.4.0)', () => {
    expect(lists('5.4.0-150-generic', 'SMCCC_ARCH_WORKAROUND_3')).toBe(false);
    expect(lists('5.10.209-1-cloud', 'SMCCC_ARCH_WORKAROUND_3')).toBe(true);
  });

  it('the 2025 BHB rework reached 6.13.12', () => {
    expect(mainlineKernel('6.13.11')!.bhbScheme).toBe('legacy');
    expect(mainlineKernel('6.13.12')!.bhbScheme).toBe('2025');
  });

  // the first point release of each series whose stable revlist carries 'arm64: errata:
  // Assume that unknown CPUs _are_ vulnerable to Spectre BHB'
  it.each([
    ['5.10', 239], ['5.15', 181], ['6.1', 135], ['6.6', 88], ['6.12', 24], ['6.13', 12], ['6.14', 3],
  ] as const)('the 2025 BHB rework is in %s.y from .%i on, not before', (series, first) => {
    expect(mainlineKernel(`${series}.${first - 1}`)!.bhbScheme).toBe('legacy');
    expect(mainlineKernel(`${series}.${first}`)!.bhbScheme).toBe('2025');
  });

  it.each([
    ['6.1', 165], ['6.12', 75], ['6.18', 16],
  ] as const)('TSV110 on the BHB k=32 list (7.0) is in %s.y from .%i on', (series, first) => {
    expect(mainlineKernel(`${series}.${first - 1}`)!.bhbScheme).toBe('2025');
    expect(mainlineKernel(`${series}.${first}`)!.bhbScheme).toBe('2026');
  });

  it('TSV110 on the BHB k=32 list: mainline from 7.0; 6.19.y and 6.6.y not pinned, so on the 2025 lists', () => {
    expect(mainlineKernel('7.0')!.bhbScheme).toBe('2026');
    expect(mainlineKernel('6.19.14')!.bhbScheme).toBe('2025');
    expect(mainlineKernel('6.6.130')!.bhbScheme).toBe('2025');
  });

  it('5.4.y never took the 2025 BHB rework (its 2025-06-23 stable queue has none of the series)', () => {
    expect(mainlineKernel('5.4.302')!.bhbScheme).toBe('legacy');
    expect(mainlineKernel('5.4.302')!.backports).not.toContain('bhb-unknown-affected');
  });

  it('every stable backport was read in a stable revlist or review mail', () => {
    for (const b of kb.kernel.backports ?? []) expect(b.status, `${b.change} ${b.series}`).toBe('verified');
  });

  it('a kernel object with a full version gets the backports and cites them', () => {
    const h = host({ kernel: { extends: 'linux-5.4', version: '5.4.190' } });
    expect(h.kernel.name).toBe('linux-5.4.190');
    expect([...h.kernel.backports].sort()).toEqual(['smccc-wa3', 'zfr0-relisted']);
    expect(h.kernel.sources['registers.SMCCC_ARCH_WORKAROUND_3']).toMatch(/^linux 5\.4\.186 \(stable backport of 5\.17\)/);
  });

  it('an explicit firmware register list still overrides the derivation', () => {
    const h = host({ kernel: { version: '5.4.190', firmwareRegisters: ['PSCI_VERSION', 'SMCCC_ARCH_WORKAROUND_1', 'SMCCC_ARCH_WORKAROUND_2'] } });
    expect(h.kernel.registers.some((r) => r.name === 'SMCCC_ARCH_WORKAROUND_3')).toBe(false);
  });
});
