import { describe, expect, it } from 'vitest';
import { kb } from '../../src/kb/data.js';
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

describe("Linux's errata matching: more edges", () => {
  it.each([
    // 1742098 on Cortex-A57 starts at r0p1: r0p0 is the revision below the range
    ['1742098', 'cortex-a57', 'r0p0', 0n, false],
    ['1742098', 'cortex-a57', 'r0p1', 0n, true],
    // one integer Variant<<20|Revision: Kryo-4XX-Gold rCpE..rFpF contains r13p0
    ['1418040', 'kryo-4xx-gold', 'r12p13', 0n, false],
    ['1418040', 'kryo-4xx-gold', 'r12p14', 0n, true],
    ['1418040', 'kryo-4xx-gold', 'r13p0', 0n, true],
    // 2658417 on Cortex-A510: last affected r1p1, unless REVIDR bit 25 is set there
    ['2658417', 'cortex-a510', 'r1p1', 0n, true],
    ['2658417', 'cortex-a510', 'r1p1', 0x2000000n, false],
    ['2658417', 'cortex-a510', 'r1p2', 0n, false],
    ['2658417', 'cortex-a510', 'r1p0', 0x2000000n, true], // the fix bit counts only at r1p1
  ] as const)('%s on %s %s (REVIDR %s): %s', (id, model, rev, revidr, hit) => {
    expect(affects(erratum(id)!, { midr: midrOf(findCore(model)!, rev)!, revidr, aidr: 0n })).toBe(hit);
  });

  it('a product name resolves to its core; another implementer never matches', () => {
    expect(findCore('graviton2')?.name).toBe('Neoverse-N1');
    expect(findCore('cobalt-100')?.name).toBe('Azure-Cobalt-100');
    // Cobalt 100 is N2 r0p0 silicon under implementer 0x6D: N2 errata ranges do not match it
    const cobalt = { midr: midrOf(findCore('cobalt-100')!, 'r0p0')!, revidr: 0n, aidr: 0n };
    const n2only = guestErrata({ midr: midrOf(findCore('neoverse-n2')!, 'r0p0')!, revidr: 0n, aidr: 0n }).filter((e) => !e.affects.some((a) => a.core === 'Azure-Cobalt-100'));
    for (const e of n2only) expect(affects(e, cobalt), e.id).toBe(false);
  });
});

describe('products and the revisions they ship', () => {
  const shipped = kb.cpuProperties.products.filter((p) => p.revision);
  it.each(shipped.map((p) => [p.name, p] as const))('%s: the MIDR is its core at its revision, with a status', (_name, p) => {
    expect(BigInt(p.midr!)).toBe(BigInt(midrOf(findCore(p.core)!, p.revision!)!));
    expect(['verified', 'inferred', 'recalled']).toContain(p.status);
  });

  it('a product with no known shipped revision (centriq-2400, emag: no public MIDR report found) is marked recalled', () => {
    for (const p of kb.cpuProperties.products.filter((x) => !x.revision)) expect(p.status, p.name).toBe('recalled');
  });
});
