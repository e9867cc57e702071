import { describe, expect, it } from 'vitest';
import { affects, erratum, findCore, guestErrata, midrOf, parseRevision, revisionOf } from '../../src/kb/cpus.js';

const id = (model: string, revision: string, revidr = 0n) => ({ midr: midrOf(findCore(model)!, revision)!, revidr, aidr: 0n });

describe('MIDR encoding', () => {
  it('builds and decodes rXpY (MIDR_CPU_MODEL | Variant<<20 | Revision)', () => {
    expect(midrOf(findCore('neoverse-n1')!, 'r3p1')).toBe(0x413fd0c1);
    expect(revisionOf(0x413fd0c1)).toBe('r3p1');
    expect(parseRevision('r16p0')).toBeUndefined();
  });
});

describe("Linux's errata range semantics", () => {
  const e1418040 = erratum('1418040')!;
  it.each([
    ['r0p0', true], ['r2p15', true], ['r3p1', true], ['r3p2', false], ['r4p0', false],
  ] as const)('1418040 on Neoverse-N1 %s: %s', (rev, hit) => {
    expect(affects(e1418040, id('neoverse-n1', rev))).toBe(hit);
  });

  it('843419: REVIDR bit 8 fixes Cortex-A53 r0p4 only', () => {
    const e = erratum('843419')!;
    expect(affects(e, id('cortex-a53', 'r0p4'))).toBe(true);
    expect(affects(e, id('cortex-a53', 'r0p4', 0x100n))).toBe(false);
    expect(affects(e, id('cortex-a53', 'r0p3', 0x100n))).toBe(true);
  });

  it('only guest-side workarounds count for migration', () => {
    const ids = guestErrata(id('cortex-a57', 'r1p1')).map((e) => e.id);
    expect(ids).toContain('832075');
    expect(ids).not.toContain('834220'); // KVM/EL2 side
  });
});
