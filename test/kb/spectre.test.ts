// Host SMCCC_ARCH_WORKAROUND_1/2/3 levels derived from CPU (lists + features) and kernel era.
import { describe, expect, it } from 'vitest';
import { host } from '../helpers.js';
import { workaroundLevel } from '../../src/kb/mitigations.js';

const levels = (kernel: string, model: string) => {
  const h = host({ kernel, cpu: { model, revision: 'r0p0' } });
  return (['WORKAROUND_1', 'WORKAROUND_2', 'WORKAROUND_3'] as const).map((wa) => workaroundLevel(h, wa));
};

describe('WORKAROUND levels per CPU and kernel', () => {
  it.each([
    // kernel, core, [WA1, WA2, WA3]: WA1 0/1/2, WA2 legacy 0/2/3 or 5.10+ 0/3, WA3 0/1/2
    ['linux-5.4', 'neoverse-n1', [2, 2, 1]], // CSV2; SSBS dynamic -> AVAIL; BHB k=24 (WA3 is listed only from 5.4.186)
    ['linux-5.10', 'neoverse-n1', [2, 0, 1]], // SSBS -> NOT_AVAIL ("pretend we don't have any FW mitigation")
    ['linux-5.10', 'cortex-a72', [1, 3, 1]], // firmware WA1; firmware SSBD -> NOT_REQUIRED; BHB loop k=8
    ['linux-5.4', 'cortex-a72', [1, 2, 1]],
    ['linux-6.6', 'cortex-a53', [2, 3, 2]], // on every safe list
    ['linux-6.6', 'kunpeng-920', [2, 3, 2]], // TSV110: v2 safe list; v4 firmware (no SSBS); BHB on no list (legacy: unaffected)
    ['linux-6.15', 'kunpeng-920', [2, 3, 0]], // 2025 rework: assumed affected, nothing mitigates
    ['linux-6.14', 'cobalt-100', [2, 0, 2]],
    ['linux-6.15', 'cobalt-100', [2, 0, 0]],
    ['linux-6.15', 'neoverse-v2', [2, 0, 1]], // k=132
    ['linux-6.19', 'kunpeng-920', [2, 3, 0]],
    ['linux-7.0', 'kunpeng-920', [2, 3, 1]], // TSV110 on the k=32 loop list from 7.0 ('arm64: Add support for TSV110 Spectre-BHB mitigation')
    ['linux-6.1.164', 'kunpeng-920', [2, 3, 0]],
    ['linux-6.1.165', 'kunpeng-920', [2, 3, 1]], // the same patch in 6.1.165
    ['linux-7.0', 'cobalt-100', [2, 0, 0]], // still on no list
  ] as const)('%s on %s', (kernel, model, expected) => {
    expect(levels(kernel, model)).toEqual(expected);
  });

  it('an operator override wins over the derivation', () => {
    const h = host({ kernel: 'linux-6.6', cpu: { model: 'neoverse-n1', revision: 'r3p1' }, mitigations: { WORKAROUND_1: 'vulnerable' } });
    expect(workaroundLevel(h, 'WORKAROUND_1')).toBe(0);
  });
});
