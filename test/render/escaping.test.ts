// Profile text never reaches output raw: control characters, separators and bidi controls
// are escaped in every text output and every diagnostic line; Markdown output holds no raw
// HTML, link, code span, emphasis or cell break that came from a profile.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAINT_CODES } from '../../src/render/style.js';
import { oneLine, printableText } from '../../src/profile/printable.js';
import { cli, writeProfile } from '../helpers.js';

// a host could write this over a FAIL line, in a report opened in a browser, in a table cell
const EVIL = 'evil\n\x1b[1A\x1b[2KCLEAN <img src=x onerror=alert(1)> | `code` *b* _i_ [l](javascript:alert(1)) \u202egnp.exe\u202c \u2066x\u2069 \u0085\u009b\u2028\r\t\x7f\x00end';
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** a diagnostic, a usage line, or yargs' "Invalid values" continuation */
const STDERR_LINE = /^(?:\S.*:\d+:\d+: \S.*: .+|migcheck: .+|Run 'migcheck --help' for usage\.|  Argument: .+)$/;

const hostDoc = (text: string, cpu: string, name: string) => ({
  apiVersion: 'migcheck/v1',
  kind: 'Host',
  name,
  description: text,
  kernel: { extends: 'linux-6.6', name: text },
  vmm: { extends: 'qemu-9.2', name: text, version: text },
  cpu: { model: cpu, revision: cpu === 'neoverse-n1' ? 'r3p1' : 'r1p1' },
});
const pair = (text: string) => [writeProfile(hostDoc(text, 'neoverse-n1', 'evil-n1')), writeProfile(hostDoc(text, 'neoverse-v1', 'evil-v1'))] as const;
const [N1, V1] = pair(EVIL);
// the same profiles with what the escapes print, as plain text: the lines the output must keep
const [PN1, PV1] = pair(oneLine(EVIL));

function clean(out: string) {
  expect(out).not.toMatch(RAW);
}
function wellFormedStderr(stderr: string) {
  clean(stderr);
  for (const line of stderr.trimEnd().split('\n')) expect(line).toMatch(STDERR_LINE);
}

const lines = (s: string) => s.split('\n').length;

describe('text output escapes profile text', () => {
  const runs: [string, (a: string, b: string) => string[]][] = [
    ['check', (a, b) => ['check', '--from', a, '--to', b]],
    ['matrix', (a, b) => ['matrix', a, b]],
    ['table', (a, b) => ['table', '--old', a, '--new', b]],
    ['profiles show', (a) => ['profiles', 'show', a]],
  ];
  it.each(runs)('%s: no raw control character, and the lines of the same report with plain text', async (_name, argv) => {
    const r = await cli(...argv(N1, V1));
    expect([0, 2], r.stderr).toContain(r.code);
    clean(r.stdout);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('\\x1b[1A\\x1b[2KCLEAN');
    expect(r.stdout).toContain('\\u202e');
    const plain = await cli(...argv(PN1, PV1));
    expect(lines(r.stdout)).toBe(lines(plain.stdout));
  });

  it('with colour on, the only escape sequences are the colours migcheck paints', async () => {
    for (const argv of [['check', '--from', N1, '--to', V1], ['matrix', N1, V1], ['table', '--old', N1, '--new', V1]]) {
      const r = await cli(...argv, '--color');
      expect(r.stdout).toMatch(PAINT_CODES);
      clean(r.stdout.replace(new RegExp(PAINT_CODES.source, 'g'), ''));
    }
  });

  it('--output writes the same escaped text', async () => {
    const { readFileSync } = await import('node:fs');
    const out = writeProfile({}).replace(/\.yaml$/, '.txt');
    const r = await cli('check', '--from', N1, '--to', V1, '--output', out);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe((await cli('check', '--from', N1, '--to', V1)).stdout);
  });

  it('JSON keeps the data: JSON.stringify escapes it; check --batch lines stay JSON with the same values', async () => {
    const json = await cli('check', '--from', N1, '--to', V1, '--format', 'json');
    const finding = JSON.parse(json.stdout).findings.find((f: { message: string }) => f.message.includes('evil'));
    expect(finding.message).toContain(EVIL);
    const { writeFileSync } = await import('node:fs');
    const batch = writeProfile({}).replace(/\.yaml$/, '.jsonl');
    writeFileSync(batch, `${JSON.stringify({ from: N1, to: V1 })}\n`);
    const r = await cli('check', '--batch', batch);
    clean(r.stdout);
    expect(JSON.parse(r.stdout).findings).toEqual(JSON.parse(json.stdout).findings);
  });
});

describe('markdown output holds no markup from a profile', () => {
  it.each([
    ['check', ['check', '--from', N1, '--to', V1]],
    ['matrix', ['matrix', N1, V1]],
    ['table', ['table', '--old', N1, '--new', V1]],
    ['profiles show', ['profiles', 'show', N1]],
  ])('%s --format markdown', async (_name, argv) => {
    const r = await cli(...argv, '--format', 'markdown');
    expect(r.code === 0 || r.code === 2, r.stderr).toBe(true);
    clean(r.stdout);
    expect(r.stdout).not.toMatch(/<img/i);
    expect(r.stdout).not.toContain('<');
    expect(r.stdout).not.toMatch(/(?<!\\)\]\(/); // no link
    expect(r.stdout).not.toContain('`code`');
    expect(r.stdout).not.toMatch(/(?<!\\)\*b(?<!\\)\*/);
    expect(r.stdout).toContain('&lt;img');
    // every table row has as many cells as its header
    let width = 0;
    for (const line of r.stdout.split('\n')) {
      if (!line.startsWith('|')) {
        width = 0;
        continue;
      }
      const cells = line.split(/(?<!\\)\|/).length;
      if (!width) width = cells;
      expect(cells, line).toBe(width);
    }
  });

  it('a Guest profile shown in a fenced block cannot close the fence', async () => {
    const guest = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Guest', name: 'fenced', description: 'a\n```\n<img src=x onerror=alert(1)>\n```\n', stolenTime: 'auto' });
    const fleet = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Fleet', name: 'f', hosts: [{ host: 'altra-6.6', upgradeTo: 'altra-6.12' }], guests: [guest] });
    const r = await cli('plan', '--fleet', fleet, '--guest', guest, '--format', 'markdown');
    expect(r.code, r.stderr).toBe(0);
    const [, fence, body] = /^(`{3,})yaml\n([^]*?)^\1$/m.exec(r.stdout)!;
    expect(fence!.length).toBe(4);
    expect(body).toContain('  ```\n  <img');
    // the HTML is inside the block: nowhere outside it
    expect(r.stdout.replace(body!, '')).not.toContain('<');
  });
});

describe('html output', () => {
  it.each([
    ['matrix', ['matrix', N1, V1]],
    ['table', ['table', '--old', N1, '--new', V1]],
  ])('%s --format html escapes profile text', async (_name, argv) => {
    const r = await cli(...argv, '--format', 'html');
    expect(r.code, r.stderr).toBe(0);
    clean(r.stdout);
    expect(r.stdout).not.toMatch(/<img/i);
    expect(r.stdout).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('diagnostics are one line each', () => {
  it('a key with a line break and escapes cannot fake file:line:col lines', async () => {
    const f = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Host', name: 'h', kernel: 'linux-6.6', vmm: 'qemu-9.2', cpu: 'neoverse-n1:r3p1', 'x\nfake.yaml:1:1: kernel: \x1b[2Kall clean': 1, ['\u202ey']: 2 });
    const r = await cli('validate', f);
    expect(r.code).toBe(3);
    wellFormedStderr(r.stderr);
    const got = r.stderr.trimEnd().split('\n');
    expect(got).toHaveLength(2);
    expect(got.every((l) => l.startsWith(f.replace(/^.*\/test\//, 'test/')) || l.startsWith(f))).toBe(true);
    expect(r.stderr).toContain("unknown key 'x\\nfake.yaml:1:1: kernel: \\x1b[2Kall clean'");
  });

  it('a bad name in a profile: every line located, nothing raw', async () => {
    const f = writeProfile({ ...hostDoc(EVIL, 'neoverse-n1', EVIL), extends: EVIL });
    for (const argv of [['validate', f], ['check', '--from', f, '--to', 'altra-6.6'], ['matrix', f, 'altra-6.6', '--format', 'markdown']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      wellFormedStderr(r.stderr);
    }
  });

  it('names echoed in usage errors (unknown profile, rule, file) are escaped', async () => {
    for (const argv of [
      ['check', '--from', EVIL, '--to', 'altra-6.6'],
      ['profiles', 'show', EVIL],
      ['explain', EVIL],
      ['check', '--from', `${EVIL}.yaml`, '--to', 'altra-6.6'],
      ['check', '--format', EVIL, '--from', 'altra-6.6', '--to', 'altra-6.6'],
      ['check', `--${EVIL}`, '--from', 'altra-6.6', '--to', 'altra-6.6'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(3);
      wellFormedStderr(r.stderr);
    }
  });

  it('a fleet naming a host or guest file with escapes in its name', async () => {
    const fleet = writeProfile({ apiVersion: 'migcheck/v1', kind: 'Fleet', name: 'f', hosts: [{ host: `${EVIL}.yaml` }, { host: 'altra-6.6', upgradeTo: EVIL }], guests: [EVIL] });
    for (const cmd of ['matrix', 'plan', 'baseline']) {
      const r = await cli(cmd, '--fleet', fleet);
      expect(r.code).toBe(3);
      wellFormedStderr(r.stderr);
    }
  });
});

// printableText returns a text that holds none of the characters it escapes as it is: the same
// as the full pass would (a \x01 after the text makes the full pass run; escapes are per
// character, and a surrogate's lookaround sees \x01 as it sees the end)
describe('printableText', () => {
  it('skips no character the full pass escapes', () => {
    const odd = fc.constantFrom('\x00', '\x1b', '\x7f', '\x85', '\u061c', '\u200e', '\u2028', '\u202e', '\u2066', '\ud800', '\udfff', '\ud83d\ude00', '\t', '\n', '\r', '→', 'a');
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.array(odd, { maxLength: 12 }).map((a) => a.join('')));
    fc.assert(
      fc.property(text, fc.boolean(), (s, keep) => {
        const k = keep ? PAINT_CODES : undefined;
        expect(printableText(s, k) + '\\x01').toBe(printableText(`${s}\x01`, k));
      }),
      { numRuns: 3000 },
    );
  });

  it('and so for every one of the 65,536 code units alone', () => {
    const differ: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (printableText(ch) + '\\x01' !== printableText(`${ch}\x01`)) differ.push(c);
    }
    expect(differ).toEqual([]);
  });
});
