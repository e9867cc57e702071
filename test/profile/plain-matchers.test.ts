// Matchers the gate runs spelled out as string tests (start-up compiles no regular expression
// for them): each gives what its expression gives, on random strings of the characters it
// looks at and on ones shaped like what it matches.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRevision } from '../../src/kb/cpus.js';
import { machineTypeData, machineTypeVersion } from '../../src/kb/vmms.js';
import { DOT_SEGMENT, NORMAL_REST } from '../../src/profile/load.js';
import { workaroundField } from '../../src/profile/probed.js';
import { KEY, unquoted } from '../../src/profile/quick-yaml.js';
import { isInline } from '../../src/profile/inline.js';
import { looksLikePath } from '../../src/profile/paths.js';

const from = (alphabet: string[], max = 16) => fc.array(fc.constantFrom(...alphabet), { maxLength: max }).map((c) => c.join(''));
const digits = '0123456789'.split('');
const runs = { seed: 20261201, numRuns: 10000 };

describe('plain matchers', () => {
  it('workaroundField is /^mitigations\\.(WORKAROUND_[123])$/', () => {
    const shaped = fc.tuple(fc.constantFrom('mitigations.', 'mitigations', 'mitigationsX', ''), fc.constantFrom('WORKAROUND_', 'WORKAROUND', 'workaround_'), from(['1', '2', '3', '4', '0', '_', 'x'], 3));
    fc.assert(
      fc.property(fc.oneof(shaped.map((p) => p.join('')), fc.string()), (s) => {
        expect(workaroundField(s)).toBe(/^mitigations\.(WORKAROUND_[123])$/.exec(s)?.[1]);
      }),
      runs,
    );
  });

  it('machineTypeVersion is /^virt-(\\d+\\.\\d+)$/ among the known types', () => {
    const plain = (t: string) => {
      const m = /^virt-(\d+\.\d+)$/.exec(t);
      return m && machineTypeData.types.includes(m[1]!) ? m[1] : undefined;
    };
    const shaped = fc.tuple(fc.constantFrom('virt-', 'virt', 'virt-rhel', ''), from([...digits, '.', '.', '-', 'a'], 8)).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(shaped, fc.constantFrom(...machineTypeData.types.map((t) => `virt-${t}`)), fc.string()), (s) => {
        expect(machineTypeVersion(s)).toBe(plain(s));
      }),
      runs,
    );
  });

  it('NORMAL_REST and DOT_SEGMENT are their expressions', () => {
    const path = from(['/', '/', 'a', '.', '.', 'b', '\\'], 14);
    fc.assert(
      fc.property(fc.oneof(path, fc.string()), (s) => {
        expect(NORMAL_REST.test(s)).toBe(/^(?:\/[^/]+)+$/.test(s));
        expect(DOT_SEGMENT.test(s)).toBe(/\/\.\.?(?:\/|$)/.test(s));
      }),
      runs,
    );
  });

  it('parseRevision reads what /^r(\\d+)p(\\d+)$/ matches', () => {
    const plain = (rev: string) => {
      const m = /^r(\d+)p(\d+)$/.exec(rev);
      if (!m) return undefined;
      const v = Number(m[1]);
      const r = Number(m[2]);
      return v > 15 || r > 15 ? undefined : (v << 20) | r;
    };
    fc.assert(
      fc.property(fc.oneof(from(['r', 'p', 'R', ...digits, 'x'], 8), fc.string()), (s) => {
        expect(parseRevision(s)).toBe(plain(s));
      }),
      runs,
    );
  });

  it('unquoted is the QUOTED expression with its escapes undone, KEY its expression', () => {
    const plain = (s: string) => /^"((?:[^"\\\x00-\x1f\x7f]|\\["\\])*)"$/.exec(s)?.[1]!.replace(/\\(["\\])/g, '$1');
    const text = from(['"', '"', '\\', '\\', 'a', 'Z', '_', '.', '-', '0', ' ', '\t', '\x7f', '\x1f', '\u00e9', '\ud800'], 10);
    fc.assert(
      fc.property(fc.oneof(text, text.map((t) => `"${t}"`), fc.string()), (s) => {
        expect(unquoted(s)).toBe(plain(s));
        expect(KEY.test(s)).toBe(/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s));
      }),
      runs,
    );
  });

  it('isInline and looksLikePath are their expressions', () => {
    const ref = from(['a', 'Z', '0', '=', '=', '/', '\\', '.', 'y', 'a', 'm', 'l', '.yaml', '.yml', ',', '-', '\u00e9', '@', '['], 10);
    fc.assert(
      fc.property(fc.oneof(ref, fc.string()), (s) => {
        expect(isInline(s)).toBe(/^[A-Za-z][A-Za-z0-9]*=/.test(s) && !/[\\/]/.test(s) && !/\.ya?ml$/.test(s));
        expect(looksLikePath(s)).toBe(/[\\/]|\.ya?ml$/.test(s));
      }),
      runs,
    );
  });
});
