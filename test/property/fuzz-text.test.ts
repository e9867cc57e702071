// Fuzzing free text (fast-check, seeded): control characters, Unicode whitespace, bidi
// controls and markup in every free-text field of Host, Guest and Fleet profiles (names,
// descriptions, kernel and VMM names and versions, CPU models, errata, probe fields,
// references, keys) never make migcheck exit 4 or print a stack, never reach stdout or
// stderr raw (text and markdown), and every diagnostic stays one well-formed line. A second
// property goes through every place the schemas have (schema-fields.ts: each value, list
// entry and key, machine types, vector lengths, boot options and ID-register values among
// them), so a field added to a schema is fuzzed without being listed here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { TMP, cli } from '../helpers.js';
import { places } from './schema-fields.js';

const SEED = 20261122;
const DIR = join(TMP, `fuzz-text-${process.pid}`);
mkdirSync(DIR, { recursive: true });

const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const STDERR_LINE = /^(?:\S.*:\d+:\d+: \S.*: .+|migcheck: .+|Run 'migcheck --help' for usage\.|  Argument: .+)$/;

const PIECES = [
  '\n', '\r', '\r\n', '\t', '\v', '\f', '\x00', '\x07', '\x1b', '\x1b[1A\x1b[2K', '\x1b]0;title\x07', '\x7f', '\x85', '\x9b', '\u00a0', '\u3000', '\ufeff', '\u2028', '\u2029',
  '\u202e', '\u2066', '\u200b', '\ud800', 'fake.yaml:1:1: kernel: ok', 'CLEAN', '<img src=x onerror=alert(1)>', '|', '`', '*', '_', '[l](javascript:x)', '&amp;', '#', ': ', '- ', '"', "'", '\\', 'é', '😀', 'linux-6.6', 'x',
];
const nasty = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 5 }).map((xs) => xs.join(''));

const HOST = (name: string, cpu: 'neoverse-n1' | 'neoverse-v1') => ({
  apiVersion: 'migcheck/v1',
  kind: 'Host',
  name,
  description: 'a host',
  kernel: { extends: 'linux-6.6', name: 'linux-6.6', version: '6.6.30' },
  vmm: { extends: 'qemu-9.2', name: 'qemu-9.2', version: '9.2.0' },
  cpu: { model: cpu, revision: cpu === 'neoverse-n1' ? 'r3p1' : 'r1p1', errata: ['1542419'] },
  probe: { tool: 'migcheck probe', evidence: { 'kernel.version': '/proc/sys/kernel/osrelease' } },
});
const GUEST = { apiVersion: 'migcheck/v1', kind: 'Guest', name: 'g', description: 'a guest', psciVersion: '1.0', targetCpus: [{ model: 'neoverse-n1', revision: 'r3p1' }] };
const FLEET = { apiVersion: 'migcheck/v1', kind: 'Fleet', name: 'f', description: 'a fleet', hosts: [{ host: 'n1.yaml', count: 2, upgradeTo: 'v1.yaml' }, { host: 'v1.yaml' }], guests: ['default', 'g.yaml'] };

// the free-text fields of each kind, as paths; '+key' adds a key of that text
const FIELDS = {
  Host: ['name', 'description', 'extends', 'kernel.name', 'kernel.version', 'vmm.name', 'vmm.version', 'cpu.model', 'cpu.errata.0', 'probe.tool', 'probe.evidence.kernel\\.version', '+key', 'kernel.+key'],
  Guest: ['name', 'description', 'extends', 'psciVersion', 'targetCpus.0.model', '+key'],
  Fleet: ['name', 'description', 'hosts.0.host', 'hosts.0.upgradeTo', 'guests.1', '+key', 'hosts.1.+key'],
} as const;
type Kind = keyof typeof FIELDS;

/** `doc` with `text` at `field`: replacing the value, or around it (a valid value may survive). */
function put(doc: unknown, field: string, text: string, how: 'replace' | 'prefix' | 'suffix'): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const segs = field.split(/(?<!\\)\./).map((s) => s.replace(/\\\./g, '.'));
  let o = copy as Record<string, unknown>;
  // a place the base document does not have is made (a list for an index)
  segs.slice(0, -1).forEach((s, i) => {
    if (!o[s] || typeof o[s] !== 'object') o[s] = /^\d+$/.test(segs[i + 1]!) ? [] : {};
    o = o[s] as Record<string, unknown>;
  });
  const last = segs.at(-1)!;
  if (last === '+key') o[text] = 'x';
  else {
    const v = String(o[last] ?? '');
    o[last] = how === 'replace' ? text : how === 'prefix' ? text + v : v + text;
  }
  return copy;
}

/** YAML with the text escaped (the YAML library quotes it), or raw: written into the file as it is. */
function yamlText(doc: unknown, field: string, text: string, how: 'replace' | 'prefix' | 'suffix', raw: boolean): string {
  if (!raw) return stringify(put(doc, field, text, how), { lineWidth: 0 });
  const token = 'TOKEN0FUZZ';
  return stringify(put(doc, field, token, how), { lineWidth: 0 }).split(token).join(text);
}

let n = 0;
function scenario(kind: Kind, field: string, text: string, how: 'replace' | 'prefix' | 'suffix', raw: boolean) {
  const dir = join(DIR, `s${n++ % 40}`);
  mkdirSync(dir, { recursive: true });
  const files = { n1: join(dir, 'n1.yaml'), v1: join(dir, 'v1.yaml'), g: join(dir, 'g.yaml'), f: join(dir, 'f.yaml') };
  const docs: Record<keyof typeof files, unknown> = { n1: HOST('n1', 'neoverse-n1'), v1: HOST('v1', 'neoverse-v1'), g: GUEST, f: FLEET };
  const target = kind === 'Host' ? 'n1' : kind === 'Guest' ? 'g' : 'f';
  for (const [k, d] of Object.entries(docs) as [keyof typeof files, unknown][]) {
    if (k !== target) writeFileSync(files[k], stringify(d));
    else writeFileSync(files[k], yamlText(d, field, text, how, raw));
  }
  return files;
}

function wellBehaved(r: { code: number; stdout: string; stderr: string }, markdown: boolean, what: string) {
  expect([0, 1, 2, 3], `${what}\n${r.stderr}`).toContain(r.code);
  expect(r.stderr, what).not.toContain('internal error');
  expect(r.stderr, what).not.toMatch(/\n\s+at \S+ \(/);
  expect(r.stdout, what).not.toMatch(RAW);
  expect(r.stderr, what).not.toMatch(RAW);
  if (r.code === 3) {
    expect(r.stdout, what).toBe('');
    for (const line of r.stderr.trimEnd().split('\n')) expect(line, what).toMatch(STDERR_LINE);
  }
  // reports without a Guest profile in them: no HTML of any kind
  if (markdown) expect(r.stdout, what).not.toContain('<');
}

const runsFor = (k: Kind, f: ReturnType<typeof scenario>, fmt: string[]): string[][] =>
  k === 'Host'
    ? [['check', '--from', f.n1, '--to', f.v1, '--guest', f.g, ...fmt], ['table', '--old', f.v1, '--new', f.n1, ...fmt], ['profiles', 'show', f.n1, ...fmt]]
    : k === 'Guest'
      ? [['check', '--from', f.n1, '--to', f.n1, '--guest', f.g, ...fmt], ['profiles', 'show', f.g, ...fmt], ['validate', f.g]]
      : [['matrix', '--fleet', f.f, ...fmt], ['plan', '--fleet', f.f], ['validate', f.f]];

/** every place of the kind's schema as a field of put(): each value and list entry, and a key of each mapping (an ID register for an open one's values) */
const schemaFields = (k: Kind) =>
  places(k).flatMap((p) => {
    const segs = p.path.map((s) => (s === '*' ? 'CTR_EL0' : s.replace(/\./g, '\\.')));
    return p.what === 'leaf' ? [segs.join('.')] : p.what === 'map' || p.what === 'mapping' ? [[...segs, '+key'].join('.')] : [];
  });

describe('free text in every field never reaches output raw', () => {
  it('Host, Guest and Fleet fields, through check, matrix, table, profiles show, validate and plan', async () => {
    const kind = fc.constantFrom<Kind>('Host', 'Guest', 'Fleet');
    const input = kind.chain((k) => fc.tuple(fc.constant(k), fc.constantFrom(...FIELDS[k]), nasty, fc.constantFrom('replace', 'prefix', 'suffix') as fc.Arbitrary<'replace' | 'prefix' | 'suffix'>, fc.boolean(), fc.boolean()));
    let exit3 = 0;
    let verdicts = 0;
    await fc.assert(
      fc.asyncProperty(input, async ([k, field, text, how, raw, markdown]) => {
        const f = scenario(k, field, text, how, raw);
        const fmt = markdown ? ['--format', 'markdown'] : [];
        for (const argv of runsFor(k, f, fmt)) {
          const r = await cli(...argv);
          wellBehaved(r, markdown && argv[0] !== 'plan', `${argv.join(' ')}  [${field} ${how} ${JSON.stringify(text)}${raw ? ' raw' : ''}]`);
          if (r.code === 3) exit3++;
          else verdicts++;
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
    // both the reports and the diagnostics must have been reached
    expect(exit3).toBeGreaterThan(25);
    expect(verdicts).toBeGreaterThan(25);
    }, 120_000);

  it.each(['Host', 'Guest', 'Fleet'] as const)('%s: every place its schema has, through the same commands', async (k) => {
    const fields = schemaFields(k);
    // the hand-picked fields are among them: the walk reaches what the list above names
    for (const f of FIELDS[k]) if (!f.includes('+key') && !f.includes('\\')) expect(fields, f).toContain(f.replace(/\.\d+(?=\.|$)/g, '.0'));
    for (const field of fields) {
      const input = fc.tuple(nasty, fc.constantFrom('replace', 'prefix', 'suffix') as fc.Arbitrary<'replace' | 'prefix' | 'suffix'>, fc.boolean(), fc.boolean());
      await fc.assert(
        fc.asyncProperty(input, async ([text, how, raw, markdown]) => {
          const f = scenario(k, field, text, how, raw);
          const fmt = markdown ? ['--format', 'markdown'] : [];
          for (const argv of runsFor(k, f, fmt)) wellBehaved(await cli(...argv), markdown && argv[0] !== 'plan', `${argv.join(' ')}  [${field} ${how} ${JSON.stringify(text)}${raw ? ' raw' : ''}]`);
        }),
        { seed: SEED, numRuns: 2 },
      );
    }
  }, 120_000);
});
