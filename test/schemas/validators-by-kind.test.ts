// The bundles take each kind's validator from its own file (src/generated/validators-<kind>.cjs,
// loaded on first use; scripts/build.mjs), the sources and tests from validators.cjs, which
// holds all three. Both are ajv's standalone code of the same compiled schemas: on every shipped
// profile and test fixture, read as each kind, they must accept and refuse alike, with the same
// errors (keyword, paths, params, the schema and data the messages are worded from).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import * as all from '../../src/generated/validators.cjs';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..');
const KINDS = ['host', 'guest', 'fleet'] as const;

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
const docs = [...yamlFiles(join(root, 'profiles')), ...yamlFiles(join(root, 'test/fixtures'))].flatMap((f) => {
  try {
    return [[f.slice(root.length + 1), parse(readFileSync(f, 'utf8'))] as const];
  } catch {
    return []; // the fixtures of broken YAML
  }
});

describe.each(KINDS)('the %s validator of its own file', (kind) => {
  const own = require(join(root, `src/generated/validators-${kind}.cjs`))[kind];
  const ref = (all as unknown as Record<string, typeof own>)[kind];

  it('exports only its kind', () => {
    expect(Object.keys(require(join(root, `src/generated/validators-${kind}.cjs`)))).toEqual([kind]);
  });

  it('answers as validators.cjs on every shipped profile and fixture', () => {
    expect(docs.length).toBeGreaterThan(40);
    let refused = 0;
    for (const [file, data] of docs) {
      const ok = ref(data);
      expect(own(data), file).toBe(ok);
      expect(own.errors, file).toEqual(ref.errors);
      if (!ok) refused++;
    }
    // documents of the other kinds are refused: the errors compared were not all empty
    expect(refused).toBeGreaterThan(5);
  });
});
