// The version-derived ID-register values (kb/id-registers.yaml: the core table passed
// through each release's exposure rules) equal what real KVM reported in every lab capture,
// on every bit the data states: the derived hosts stand for the captured ones.
import { describe, expect, it } from 'vitest';
import { fieldMask, fieldsOf, idCores, probeKeys } from '../../src/kb/id-registers.js';
import { idState } from '../../src/solver/id-state.js';
import { Resolver } from '../../src/profile/resolve.js';
import { writeProfile } from '../helpers.js';
import { readDump } from '../lab/captures.js';
import { captures, derivedDoc } from './lab.js';

const resolver = new Resolver();
const DEFAULT = { name: 'default', stolenTime: 'auto' as const };

describe.skipIf(!captures.length)('derived ID-register values against the captures', () => {
  it.each(captures.map((c) => c.dir))('%s', (dir) => {
    const host = resolver.host(writeProfile(derivedDoc(dir), `id-values-${dir}`));
    const s = idState({ host, guest: DEFAULT });
    expect(s.source).toBe('derived');
    const values = readDump(dir).values;
    const byKey = new Map(Object.entries(values).map(([id, v]) => [id, BigInt(v)]));
    const wrong: string[] = [];
    let compared = 0;
    for (const [reg, v] of s.regs) {
      const [, generic] = probeKeys(reg);
      const m = /^S3_(\d)_C(\d+)_C(\d+)_(\d)$/.exec(generic ?? '')!;
      const id = `0x${(0x6030000000130000n | BigInt((3 << 14) | (Number(m[1]) << 11) | (Number(m[2]) << 7) | (Number(m[3]) << 3) | Number(m[4]))).toString(16)}`;
      const captured = byKey.get(id);
      if (captured === undefined) continue;
      compared++;
      for (const f of fieldsOf(reg)) {
        const mask = fieldMask(reg, f) & v.known;
        if ((captured & mask) !== (v.value & mask)) wrong.push(`${reg}.${f.name}: derived 0x${((v.value & mask) >> BigInt(f.shift)).toString(16)}, KVM 0x${((captured & mask) >> BigInt(f.shift)).toString(16)}`);
      }
    }
    expect(wrong).toEqual([]);
    // every register the data states is one KVM listed (an id encoding that matched none would compare nothing)
    expect(compared).toBe(s.regs.size);
    expect(compared).toBeGreaterThan(0);
  });
});

// A core that names lab captures (kb/id-registers.yaml labCaptures) has them, and its SVE
// vector lengths are the ones real KVM offered there (KVM_REG_ARM64_SVE_VLS, bit n = VQ n+1).
describe.skipIf(!captures.length)('cores backed by lab captures', () => {
  const backed = idCores().filter((c) => c.labCaptures);
  it('the cores with captures name them', () => expect(backed.map((c) => c.labCaptures)).toEqual(expect.arrayContaining(['cortex-a710', 'cortex-a72', 'cortex-a76', 'max', 'neoverse-n1', 'neoverse-n2', 'neoverse-v1'])));
  it.each(backed.map((c) => [c.core, c] as const))('%s: captures exist and the SVE lengths match', (_name, c) => {
    const dirs = captures.filter((x) => x.dir.startsWith(`${c.labCaptures}-`));
    expect(dirs.length).toBeGreaterThan(0);
    for (const { dir } of dirs) {
      const vls = (readDump(dir) as { sveVectorLengths?: string }).sveVectorLengths;
      const lengths = vls ? [...BigInt(vls).toString(2)].reverse().flatMap((b, i) => (b === '1' ? [128 * (i + 1)] : [])) : [];
      expect(lengths, dir).toEqual(c.sveVectorLengths?.lengths ?? []);
    }
  });
});
