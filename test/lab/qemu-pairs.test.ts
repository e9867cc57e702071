// `npm run lab -- --qemu-migrate --qemu-pairs`: same-CPU pairs (cpu:A>B) and cross-CPU ones
// (cpuA:A>cpuB:B), where an emulated CPU may carry QEMU properties (neoverse-v1,sve256=off)
// whose commas must not split the list.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module of the lab, no types
import { parsePairs } from '../../lab/qemu-oracle.mjs';

describe('--qemu-pairs', () => {
  it('reads same-CPU and cross-CPU pairs, properties included', () => {
    expect(parsePairs('max:6.1>6.12,neoverse-v1:6.12>neoverse-v1,sve256=off:6.12,neoverse-v1,sve256=off:6.12>neoverse-n2:7.3.4')).toEqual([
      { cpu: 'max', from: '6.1', to: '6.12', toCpu: 'max' },
      { cpu: 'neoverse-v1', from: '6.12', to: '6.12', toCpu: 'neoverse-v1,sve256=off' },
      { cpu: 'neoverse-v1,sve256=off', from: '6.12', to: '7.3.4', toCpu: 'neoverse-n2' },
    ]);
  });

  it('refuses a pair without kernels', () => {
    expect(() => parsePairs('max:6.1')).toThrow(/use cpu:A>B/);
    expect(() => parsePairs('neoverse-v1>neoverse-n2')).toThrow(/use cpu:A>B/);
  });
});
