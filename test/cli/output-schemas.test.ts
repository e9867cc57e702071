// Every --format json output of every command validates against the schema shipped for it
// (schemas/output/*.schema.json), which `migcheck schema output-NAME` prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { OUTPUT_SCHEMAS } from '../../src/cli/commands/schema.js';
import { TMP, cli } from '../helpers.js';

const H = 'test/fixtures/hosts';
const FLEET = 'profiles/examples/fleet/eu-west.yaml';
const BATCH = join(TMP, 'schema-batch.jsonl');
writeFileSync(BATCH, [`{"from": "${H}/n1-6.6.yaml", "to": "${H}/n1-6.6.yaml", "id": "same"}`, `{"from": "${H}/n1-6.13.yaml", "to": "${H}/n1-6.12.yaml", "id": 7}`, `{"from": "${H}/n1-5.13.yaml", "to": "${H}/n1-5.12.yaml"}`].join('\n'));

// ajv is CommonJS: its class is the default export's default under NodeNext
const Ajv = AjvModule.default;
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const schemaOf = (name: string) => JSON.parse(readFileSync(`schemas/output/${name}.schema.json`, 'utf8'));

// [schema, argv, exit]: every shape each command writes (a report with several guests, with
// and without targets, a blocked plan, validate passing and failing, list and show)
const CASES: [string, string[], number][] = [
  ['check', ['check', '--from', `${H}/n1-6.6.yaml`, '--to', `${H}/n1-6.6.yaml`], 0],
  ['check', ['check', '--from', `${H}/n1-6.13.yaml`, '--to', `${H}/n1-6.12.yaml`], 2],
  ['check', ['check', '--from', `${H}/n1-5.13.yaml`, '--to', `${H}/n1-5.12.yaml`], 1],
  ['check-batch', ['check', '--batch', BATCH], 2],
  ['table', ['table', '--old', '2018-old', '--new', '2018-sysreg-new', '--compat', '2018-compat'], 0],
  ['table', ['table', '--old', '2018-old', '--new', '2018-sysreg-new', '--new', '2018-vcpu-new', '--all-rows'], 0],
  ['matrix', ['matrix', '--fleet', FLEET], 0],
  ['matrix', ['matrix', '--fleet', FLEET, '--with-targets', '--guest', 'default'], 0],
  ['matrix', ['matrix', `${H}/n1-6.6.yaml`, `${H}/v1-6.6.yaml`], 0],
  ['baseline', ['baseline', '--fleet', FLEET, '--with-targets'], 0],
  ['baseline', ['baseline', `${H}/n1-6.13.yaml`, `${H}/n1-6.12.yaml`, `${H}/n1-5.10.yaml`], 0],
  ['plan', ['plan', '--fleet', FLEET], 0],
  ['plan', ['plan', '--fleet', 'test/fixtures/fleets/blocked.yaml'], 0],
  ['pools', ['pools', '--fleet', FLEET], 0],
  ['pools', ['pools', '--fleet', FLEET, '--with-targets', '--guest', 'default'], 0],
  ['pools', ['pools', '--fleet', 'test/fixtures/fleets/pools-alone.yaml', '--with-targets'], 0],
  ['fence', ['fence', '--kernels', 'linux-5.15..linux-6.15', '--vmms', 'qemu-9.2', 'qemu-11.1'], 0],
  ['validate', ['validate', `${H}/n1-6.6.yaml`, 'test/fixtures/guests/n1-v1-targets.yaml', FLEET], 0],
  ['validate', ['validate', `${H}/n1-6.6.yaml`, 'test/fixtures/bad/unknown-key.yaml', 'test/fixtures/bad/syntax.yaml'], 3],
  ['explain', ['explain'], 0],
  ['explain', ['explain', 'psci-version'], 0],
  ['profiles', ['profiles', 'list'], 0],
  ...['linux-5.4.190', 'qemu-11.1', 'graviton3', 'n1-v1-targets', 'profiles/examples/backports/altra-5.4.190.yaml', FLEET].map((n): [string, string[], number] => ['profiles', ['profiles', 'show', n], 0]),
];

describe('--format json validates against its shipped schema', () => {
  it.each(CASES)('%s: %j', async (name, argv, exit) => {
    const r = await cli(...argv, '--format', 'json');
    expect(r.code, r.stderr).toBe(exit);
    const validate = ajv.getSchema(schemaOf(name).$id) ?? ajv.compile(schemaOf(name));
    const docs = name === 'check-batch' ? r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l)) : [JSON.parse(r.stdout)];
    for (const d of docs) expect(validate(d) ? [] : validate.errors).toEqual([]);
  });

  it('every command that writes JSON has a schema and a case here', () => {
    const named = new Set(CASES.map(([, argv]) => argv[0]));
    // probe writes a Host profile (schema host), fleet add a Fleet (schema fleet), schema prints schemas, completion a shell script, help text
    for (const c of COMMANDS.map((c) => c.command.split(' ')[0]!).filter((n) => !['probe', 'fleet', 'schema', 'completion', 'help'].includes(n))) {
      expect(named.has(c), c).toBe(true);
      expect(OUTPUT_SCHEMAS).toContain(c);
    }
    expect(new Set(CASES.map(([n]) => n))).toEqual(new Set(OUTPUT_SCHEMAS));
  });

  it.each(OUTPUT_SCHEMAS.map((s) => [s]))('migcheck schema output-%s prints the shipped schema, a valid draft-07 schema', async (name) => {
    const r = await cli('schema', `output-${name}`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(schemaOf(name));
    expect(ajv.validateSchema(schemaOf(name))).toBe(true);
  });

  it('a schema rejects what it does not describe (they are not vacuous)', () => {
    const check = ajv.compile({ ...schemaOf('check'), $id: undefined });
    expect(check({ verdict: 'maybe', source: 'a', destination: 'b', guest: 'g', findings: [] })).toBe(false);
    expect(check({ verdict: 'clean', source: 'a', destination: 'b', guest: 'g', findings: [], extra: 1 })).toBe(false);
  });
});
