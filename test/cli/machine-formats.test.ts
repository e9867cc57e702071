// Machine-readable results for CI: validate lists every located problem (json), one JUnit
// test case per file, batch line or report item, SARIF results at the problem's line. JUnit
// is checked against the Jenkins JUnit plugin's published schema (test/schemas/junit/junit-10.xsd,
// by libxml2's xmllint compiled to WebAssembly) and the stricter structure in
// test/schemas/junit/README.md, SARIF against the vendored SARIF 2.1.0 schema (test/schemas/sarif/).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv4Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { TMP, cli } from '../helpers.js';

const H = 'test/fixtures/hosts';
const FLEET = 'profiles/examples/fleet/eu-west.yaml';
const MIXED = [`${H}/n1-6.6.yaml`, 'test/fixtures/bad/unknown-key.yaml', 'test/fixtures/bad/syntax.yaml'];

const sarifSchema = JSON.parse(readFileSync('test/schemas/sarif/sarif-2.1.0-rtm.5.json', 'utf8'));
// the schema's language pattern is not a valid unicode-mode RegExp (a stray ']'): compile patterns as plain ones
// both are CommonJS: the function is the default export's default under NodeNext
const Ajv4 = Ajv4Module.default;
const addFormats = addFormatsModule.default;
const ajv4 = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv4);
const validSarif = ajv4.compile(sarifSchema);

type El = Record<string, unknown>;
const list = (v: unknown): El[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]) as El[];
const count = /^\d+$/;

const junitXsd = readFileSync('test/schemas/junit/junit-10.xsd', 'utf8');

/** The JUnit structure CI systems read (junit-10.xsd, then test/schemas/junit/README.md); returns the cases. */
async function junit(xml: string): Promise<{ name: string; failure?: El }[]> {
  expect(XMLValidator.validate(xml)).toBe(true);
  const xsd = await validateXML({ xml: [{ fileName: 'migcheck.xml', contents: xml }], schema: [junitXsd] });
  expect(xsd.errors.map((e) => e.rawMessage)).toEqual([]);
  expect(xsd.valid).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false }).parse(xml) as El;
  expect(Object.keys(doc).filter((k) => k !== '?xml')).toEqual(['testsuites']);
  const root = doc.testsuites as El;
  const only = (e: El, allowed: string[]) => expect(Object.keys(e).filter((k) => !allowed.includes(k))).toEqual([]);
  only(root, ['@name', '@tests', '@failures', '@errors', '@time', 'testsuite']);
  const cases: { name: string; failure?: El }[] = [];
  let tests = 0;
  let failures = 0;
  for (const s of list(root.testsuite)) {
    only(s, ['@name', '@id', '@tests', '@failures', '@errors', '@skipped', '@time', 'testcase', 'system-out', 'system-err']);
    expect(typeof s['@name']).toBe('string');
    for (const k of ['@tests', '@failures', '@errors', '@skipped']) if (s[k] !== undefined) expect(s[k]).toMatch(count);
    const tc = list(s.testcase);
    expect(Number(s['@tests'])).toBe(tc.length);
    expect(Number(s['@failures'] ?? 0)).toBe(tc.filter((c) => c.failure !== undefined).length);
    for (const c of tc) {
      only(c, ['@name', '@classname', '@time', 'failure', 'error', 'skipped', 'system-out', 'system-err']);
      expect(typeof c['@name']).toBe('string');
      expect(list(c.failure).length + list(c.error).length + list(c.skipped).length).toBeLessThanOrEqual(1);
      const f = c.failure as El | undefined;
      if (f !== undefined && typeof f === 'object') only(f, ['@message', '@type', '#text']);
      cases.push({ name: c['@name'] as string, ...(f !== undefined ? { failure: f } : {}) });
    }
    tests += tc.length;
    failures += Number(s['@failures'] ?? 0);
  }
  expect(Number(root['@tests'])).toBe(tests);
  expect(Number(root['@failures'])).toBe(failures);
  return cases;
}

describe('validate for machines', () => {
  it('json lists every problem with file, line, column, path and message; exit 3; the lines still on stderr', async () => {
    const r = await cli('validate', ...MIXED, '--format', 'json');
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.valid).toBe(1);
    expect(j.invalid).toBe(2);
    expect(j.files.map((f: { ok: boolean }) => f.ok)).toEqual([true, false, false]);
    expect(j.problems[0]).toEqual({ file: 'test/fixtures/bad/unknown-key.yaml', line: 7, column: 3, path: 'cpu.modle', message: "unknown key 'modle' (did you mean 'model'?)" });
    expect(j.problems.map((p: { file: string }) => p.file)).toContain('test/fixtures/bad/syntax.yaml');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(j.problems.length);
    expect(r.stderr).toMatch(/^test\/fixtures\/bad\/unknown-key\.yaml:7:3: cpu\.modle: /m);
  });

  it('json on success: every file ok, no problems, exit 0', async () => {
    const r = await cli('validate', `${H}/n1-6.6.yaml`, FLEET, '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: 2, invalid: 0, problems: [], files: [{ ok: true, kind: 'Host' }, { ok: true, kind: 'Fleet' }] });
  });

  it('junit: one case per file, a failure for each invalid one holding its located lines', async () => {
    const r = await cli('validate', ...MIXED, '--format', 'junit');
    expect(r.code).toBe(3);
    const cases = await junit(r.stdout);
    expect(cases.map((c) => c.name)).toEqual(MIXED);
    expect(cases.map((c) => Boolean(c.failure))).toEqual([false, true, true]);
    expect(String(cases[1]!.failure!['#text'])).toMatch(/unknown-key\.yaml:7:3: cpu\.modle: unknown key 'modle'/);
  });

  it('sarif: valid SARIF 2.1.0, one error result per problem at its line and column', async () => {
    const r = await cli('validate', ...MIXED, '--format', 'sarif');
    expect(r.code).toBe(3);
    const log = JSON.parse(r.stdout);
    expect(validSarif(log) ? [] : validSarif.errors).toEqual([]);
    const json = JSON.parse((await cli('validate', ...MIXED, '--format', 'json')).stdout);
    const results = log.runs[0].results;
    expect(results).toHaveLength(json.problems.length);
    expect(results[0].level).toBe('error');
    expect(results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/fixtures/bad/unknown-key.yaml' }, region: { startLine: 7, startColumn: 3 } });
    // a clean run is an empty, still valid, log
    const ok = JSON.parse((await cli('validate', `${H}/n1-6.6.yaml`, '--format', 'sarif')).stdout);
    expect(validSarif(ok)).toBe(true);
    expect(ok.runs[0].results).toEqual([]);
  });

  it('--output receives the machine report even when validation fails', async () => {
    const out = join(TMP, 'validate.sarif');
    writeFileSync(out, 'old');
    const r = await cli('validate', ...MIXED, '--format', 'sarif', '-o', out);
    expect(r.code).toBe(3);
    expect(validSarif(JSON.parse(readFileSync(out, 'utf8')))).toBe(true);
  });
});

describe('JUnit for check --batch and the reports', () => {
  it('check --batch: one case per line, failures where the exit is not 0 (--allow-unsafe passes unsafe)', async () => {
    const batch = join(TMP, 'junit-batch.jsonl');
    writeFileSync(batch, [`{"from": "${H}/n1-6.6.yaml", "to": "${H}/n1-6.6.yaml", "id": "same"}`, `{"from": "${H}/n1-6.13.yaml", "to": "${H}/n1-6.12.yaml"}`, `{"from": "${H}/n1-5.13.yaml", "to": "${H}/n1-5.12.yaml", "id": "<&>"}`].join('\n'));
    const r = await cli('check', '--batch', batch, '--format', 'junit');
    expect(r.code).toBe(2);
    const cases = await junit(r.stdout);
    expect(cases.map((c) => c.failure?.['@type'] ?? 'pass')).toEqual(['pass', 'fail', 'unsafe']);
    expect(cases[2]!.name).toMatch(/^<&> \(line 3\): /);
    const allowed = await cli('check', '--batch', batch, '--format', 'junit', '--allow-unsafe');
    expect((await junit(allowed.stdout)).map((c) => Boolean(c.failure))).toEqual([false, true, false]);
  });

  const REPORTS: [string, string[]][] = [
    ['table', ['table', '--old', '2018-old', '--new', '2018-sysreg-new', '--new', '2018-vcpu-new', '--compat', '2018-compat']],
    ['matrix', ['matrix', '--fleet', FLEET]],
    ['baseline', ['baseline', '--fleet', FLEET, '--with-targets']],
    ['plan', ['plan', '--fleet', FLEET]],
    ['plan blocked', ['plan', '--fleet', 'test/fixtures/fleets/blocked.yaml']],
    ['fence', ['fence', '--kernels', 'linux-5.15..linux-6.15', '--vmms', 'qemu-9.2', 'qemu-11.1']],
  ];
  it.each(REPORTS)('%s --fail-on: the failures are what the exit code counts', async (_n, argv) => {
    for (const failOn of ['unsafe', 'fail']) {
      const r = await cli(...argv, '--fail-on', failOn, '--format', 'junit');
      const plain = await cli(...argv, '--fail-on', failOn, '--format', 'json');
      expect(r.code).toBe(plain.code);
      const failed = (await junit(r.stdout)).filter((c) => c.failure);
      expect(failed.length > 0).toBe(r.code !== 0);
      if (failOn === 'fail') for (const c of failed) expect(c.failure!['@type']).toBe('fail');
    }
  });

  it('the vendored JUnit schema refuses what a CI reader would: a suite without its failures count', async () => {
    const batch = join(TMP, 'junit-xsd.jsonl');
    writeFileSync(batch, `{"from": "${H}/n1-6.13.yaml", "to": "${H}/n1-6.12.yaml"}\n`);
    const r = await cli('check', '--batch', batch, '--format', 'junit');
    await junit(r.stdout);
    const broken = r.stdout.replace(/(<testsuite [^>]*?) failures="\d+"/, '$1');
    expect(broken).not.toBe(r.stdout);
    const xsd = await validateXML({ xml: [{ fileName: 'broken.xml', contents: broken }], schema: [junitXsd] });
    expect(xsd.valid).toBe(false);
    expect(xsd.errors.map((e) => e.rawMessage).join('\n')).toMatch(/attribute 'failures' is required/);
  });

  it('a report asked for junit without --fail-on says what junit reports (exit 3)', async () => {
    const r = await cli('matrix', '--fleet', FLEET, '--format', 'junit');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--format junit reports the --fail-on result of matrix: add --fail-on/);
  });

  it('commands that do not offer junit or sarif say which do', async () => {
    for (const [argv, re] of [
      [['explain', '--format', 'junit'], /--format junit is offered by check --batch, validate and the reports/],
      [['matrix', '--fleet', FLEET, '--format', 'sarif'], /--format sarif is offered by validate, not by matrix/],
      [['check', '--from', `${H}/n1-6.6.yaml`, '--to', `${H}/n1-6.6.yaml`, '--format', 'junit'], /--format junit/],
    ] as [string[], RegExp][]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(3);
      expect(r.stderr).toMatch(re);
    }
  });
});
