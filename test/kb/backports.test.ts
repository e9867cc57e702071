// Stable point releases take their series' backports; bare X.Y is mainline.
import { describe, expect, it } from 'vitest';
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
