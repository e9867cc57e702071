// kernelVersionParts and releaseOf spell out regular expressions (start-up compiles none of
// them): they give what the expressions give, on random strings of the characters versions
// are made of and on ones shaped like versions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kb } from '../../src/kb/data.js';
import { KERNEL_VERSION, kernelVersionParts } from '../../src/kb/kernels.js';
import { releaseOf } from '../../src/kb/version.js';

const chars = fc.constantFrom(...'0123456789', '.', '.', '-', '+', '~', '_', 'a', 'Z', 'g', ' ', '\n', '/', '@', '[', '`', '{', 'é');
const any = fc.array(chars, { maxLength: 24 }).map((c) => c.join(''));
const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{0,${max}}$`));
// X.Y[.Z][suffix] with each part sometimes too long or missing
const shaped = fc.tuple(digits(6), fc.constantFrom('.', '', '-'), digits(6), fc.option(fc.tuple(fc.constantFrom('.', '-'), digits(8))), any).map(([x, d, y, z, rest]) => `${x}${d}${y}${z ? z[0] + z[1] : ''}${rest}`);

describe('version parsing without regular expressions', () => {
  it('kernelVersionParts gives KERNEL_VERSION groups', () => {
    fc.assert(
      fc.property(fc.oneof(any, shaped), (s) => {
        const m = KERNEL_VERSION.exec(s);
        expect(kernelVersionParts(s)).toEqual(m ? [m[1], m[2]] : undefined);
      }),
      { seed: 20261201, numRuns: 20000 },
    );
  });

  it('releaseOf gives what /^(\\d+)\\.(\\d+)/ gives', () => {
    const plain = (v: string) => {
      const m = /^(\d+)\.(\d+)/.exec(v);
      return m ? `${Number(m[1])}.${Number(m[2])}` : v;
    };
    fc.assert(
      fc.property(fc.oneof(any, shaped, fc.stringMatching(/^[0-9]{15,25}\.[0-9]{1,25}$/)), (s) => {
        expect(releaseOf(s)).toBe(plain(s));
      }),
      { seed: 20261201, numRuns: 20000 },
    );
  });

  it('both agree on every version the knowledge base and the fixtures name', () => {
    const all = [...kb.kernel.releases, ...kb.kernel.changes.map((c) => c.release), ...(kb.kernel.backports ?? []).map((b) => b.since), '5.15.0-91-generic', '6.1.0-13-arm64', '5.14.0-427.el9.aarch64', '6.1.115-126.197.amzn2023.aarch64', '007.010', '1.2.3.4'];
    for (const s of all) {
      const m = KERNEL_VERSION.exec(s);
      expect(kernelVersionParts(s), s).toEqual(m ? [m[1], m[2]] : undefined);
    }
  });
});
