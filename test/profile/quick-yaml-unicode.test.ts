// The fast YAML reader and YAML 1.2 on Unicode whitespace and control characters: JS trim()
// and \s drop NBSP, U+3000, a BOM, \v, \f, U+2028… where YAML reads them as content, so the
// reader declines any text holding one, and what it does read is exactly what YAML reads
// (with the options src/profile/load.ts parses with).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { quickParse } from '../../src/profile/quick-yaml.js';
import { TMP, cli } from '../helpers.js';

// as load.ts's fullParse
const OPTIONS = { version: '1.2', schema: 'core', strict: true, uniqueKeys: true, merge: false, resolveKnownTags: false, stringKeys: true } as const;
function yamlReads(text: string): { ok: true; data: unknown } | { ok: false } {
  const doc = parseDocument(text, OPTIONS);
  if (doc.errors.length || doc.warnings.length) return { ok: false };
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) };
  } catch {
    return { ok: false };
  }
}

/** quickParse declines, or YAML reads the text without a problem and gives the same data. */
function agrees(text: string): boolean {
  const quick = quickParse(text);
  if (quick === undefined) return false;
  const full = yamlReads(text);
  expect(full.ok, JSON.stringify(text)).toBe(true);
  if (full.ok) expect(quick, JSON.stringify(text)).toEqual(full.data);
  return true;
}

// what JS and YAML disagree on, and what YAML rejects
const WEIRD = ['\u00a0', '\u3000', '\ufeff', '\v', '\f', '\u2028', '\u2029', '\u0085', '\t', '\u1680', '\u2000', '\u200a', '\u202f', '\u205f', '\u180e', '\r', '\u001b', '\u0000', '\u007f', '\u009b', '\ud800', '\udc00'];
// content the reader may keep: its answer must still be YAML's
const PLAIN = [' ', 'é', '中', '😀', '\u200b', 'x', '#', '"', ':', '-'];
const char = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...WEIRD) }, { weight: 1, arbitrary: fc.constantFrom(...PLAIN) });

const BASES = [
  'apiVersion: migcheck/v1\nkind: Host\nname: web-1\nkernel: linux-6.6\nvmm: qemu-9.2\ncpu: "neoverse-n1:r3p1"\n',
  '# a probed host\nkind: Host\nname: probed\nkernel:\n  name: custom kernel\n  version: 6.6.0-rc1\n  firmwareRegisters: [PSCI_VERSION, SMCCC_ARCH_WORKAROUND_1]\n  # the helper read these\n  psci:\n    versions: ["0.2", "1.0"]\n',
  'kind: Fleet\nname: eu\nhosts:\n  - { host: altra-6.6, count: 120, upgradeTo: altra-6.12 }\n  - { host: v1-6.6, count: 40 }\nguests: [default, pinned]\n',
  'kind: Guest\nname: g\ndescription: >\n  a folded\n  description\nstolenTime: true\ntargetCpus:\n  - { midr: "0x413fd0c1" }\n',
  'kind: Host\nname: h\nextends: "cyce-a.yaml"\nnotes: |\n  line one\n  line two\nprobe:\n  tool: "migcheck probe 1.0"\n  evidence:\n    kernel.version: /proc/sys/kernel/osrelease\n',
];

type Edit = { at: number; c: string; where: 'anywhere' | 'indent' | 'value' | 'key' | 'comment' | 'space' };
const edit: fc.Arbitrary<Edit> = fc.record({ at: fc.nat(), c: char, where: fc.constantFrom('anywhere', 'indent', 'value', 'key', 'comment', 'space') });

/** Put `c` in the kind of place `where` names, on the line `at` picks. */
function apply(text: string, e: Edit): string {
  const lines = text.split('\n');
  const i = e.at % Math.max(1, lines.length - 1);
  const l = lines[i]!;
  const indent = /^ */.exec(l)![0].length;
  const colon = l.indexOf(':');
  switch (e.where) {
    case 'anywhere': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.c + text.slice(at);
    }
    case 'indent':
      lines[i] = l.slice(0, indent) + e.c + l.slice(indent);
      break;
    case 'key':
      lines[i] = colon > 0 ? l.slice(0, colon) + e.c + l.slice(colon) : l;
      break;
    case 'value':
      lines[i] = colon > 0 ? `${l.slice(0, colon + 1)} ${e.c}${l.slice(colon + 1).trimStart()}` : `${l}${e.c}`;
      break;
    case 'comment':
      lines.splice(i, 0, `${' '.repeat(indent)}#${e.c} note${e.c}`);
      break;
    case 'space':
      lines[i] = l.replace(/ /g, (s, k: number) => (k % 2 === e.at % 2 ? e.c : s));
      break;
  }
  return lines.join('\n');
}

describe('the fast YAML reader on Unicode whitespace and control characters', () => {
  it('declines, or reads exactly what YAML 1.2 reads (keys, values, indentation, comments)', () => {
    let read = 0;
    let declined = 0;
    fc.assert(
      fc.property(fc.constantFrom(...BASES), fc.array(edit, { minLength: 1, maxLength: 3 }), (base, edits) => {
        if (agrees(edits.reduce(apply, base))) read++;
        else declined++;
      }),
      { seed: 20261122, numRuns: 1500 },
    );
    // both outcomes must have been exercised: the comparison, not only the declines
    expect(read).toBeGreaterThan(50);
    expect(declined).toBeGreaterThan(500);
  });

  it('reads the bases themselves as YAML does', () => {
    for (const b of BASES) expect(agrees(b), b).toBe(true);
  });

  it.each([
    ['an NBSP before a key', 'kind: Host\n\u00a0name: h\n'],
    ['the same with a comment', 'kind: Host\n# c\n\u00a0name: h\n'],
    ['a form feed before a quoted value', 'extends: \f"cyce-a.yaml"\n'],
    ['a form feed inside quotes', 'extends: "\fcyce-a.yaml"\n'],
    ['U+3000 after a value', 'name: h\u3000\n'],
    ['NBSP in a flow list', 'guests: [a,\u00a0b]\n'],
    ['a BOM first', '\ufeffkind: Host\n'],
    ['a BOM inside', 'kind: Host\nname: \ufeffh\n'],
    ['a vertical tab as indentation', 'kernel:\n\v name: k\n'],
    ['a lone CR', 'a: b\rc: d\n'],
    ['NEL inside a value', 'name: a\u0085b\n'],
    ['LINE SEPARATOR inside a value', 'name: a\u2028b\n'],
    ['a tab after the colon', 'name: \th\n'],
    ['a tab before a comment', 'name: h\n\t# c\n'],
  ])('declines %s', (_what, text) => {
    expect(quickParse(text)).toBeUndefined();
  });

  it('keeps what YAML keeps: a tab inside a full-line comment, CRLF line ends, non-ASCII letters', () => {
    for (const t of ['# a\tcomment\nname: h\n', 'kind: Host\r\nname: h\r\n', 'name: h\ndescription: "Überprüfung 中 😀"\n']) expect(agrees(t), JSON.stringify(t)).toBe(true);
  });

  it('an NBSP-indented key is read the same with or without a comment beside it (the loader, end to end)', async () => {
    const base = 'apiVersion: migcheck/v1\nkind: Host\nname: nbsp\nkernel: linux-6.6\nvmm: qemu-9.2\ncpu:\n\u00a0 model: neoverse-n1\n\u00a0 revision: r3p1\n';
    const results = [];
    for (const [i, text] of [base, base.replace('qemu-9.2', 'qemu-9.2 # c')].entries()) {
      const f = join(TMP, `nbsp-${process.pid}-${i}.yaml`);
      writeFileSync(f, text);
      expect(readFileSync(f, 'utf8')).toBe(text);
      results.push(await cli('validate', f));
    }
    for (const r of results) {
      expect(r.code).toBe(3);
      // YAML reads "\u00a0 model" as a key of the document, not of cpu; the diagnostic shows why
      expect(r.stderr).toMatch(/^\S+:7:1: \\u00a0 model: unknown key '\\u00a0 model'/m);
    }
    expect(results[0]!.stderr.replace(/nbsp-\d+-0/g, 'F').replace(/:(\d+):/g, ':L:')).toBe(results[1]!.stderr.replace(/nbsp-\d+-1/g, 'F').replace(/:(\d+):/g, ':L:'));
  });
});
