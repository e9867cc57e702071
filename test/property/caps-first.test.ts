// The validators as built (scripts/caps-first.mjs: a capped list's or mapping's entries are
// checked only within its cap) accept exactly the documents the schemas as written accept,
// and a list or mapping over its cap is one problem at its own place, with nothing reported
// inside it: every capped place the three schemas have, at lengths around its cap, filled
// with valid and invalid entries.
import { readFileSync } from 'node:fs';
import AjvModule, { type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as built from '../../src/generated/validators.cjs';

const Ajv = AjvModule.default;
const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
ajv.addVocabulary(['x-expected']);
type Schema = Record<string, unknown>;
const KINDS = { Host: 'host', Guest: 'guest', Fleet: 'fleet' } as const;
const schemas = Object.fromEntries(Object.values(KINDS).map((k) => [k, JSON.parse(readFileSync(`schemas/${k}.schema.json`, 'utf8')) as Schema]));
const asBuilt: Record<string, ValidateFunction> = { host: built.host, guest: built.guest, fleet: built.fleet };
const asWritten = Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, ajv.compile(s)]));

/** A capped place: the data path to it (a list index as 0) and its schema. */
type Capped = { path: (string | number)[]; schema: Schema };
function cappedPlaces(root: Schema): Capped[] {
  const out: Capped[] = [];
  const deref = (s: Schema): Schema => (typeof s.$ref === 'string' ? deref((root.definitions as Record<string, Schema>)[s.$ref.split('/').pop()!]!) : s);
  const walk = (s: Schema, path: (string | number)[], depth: number) => {
    if (depth > 8) return;
    s = deref(s);
    if (typeof s.maxItems === 'number' || typeof s.maxProperties === 'number') out.push({ path, schema: s });
    for (const [k, sub] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) walk(sub, [...path, k], depth + 1);
    // `kernel: {…}` and `cpu: {…}` are the else branch
    if (s.else) walk(s.else as Schema, path, depth + 1);
    if (s.items && typeof s.items === 'object') walk(s.items as Schema, [...path, 0], depth + 1);
  };
  walk(root, [], 0);
  return out;
}

/** `value` at `path` inside a document of this kind (a list on the way holds one entry) */
function docWith(kind: string, path: (string | number)[], value: unknown): Record<string, unknown> {
  const doc: Record<string, unknown> = { apiVersion: 'migcheck/v1', kind, name: 'caps' };
  if (kind === 'Fleet') doc.hosts = [{ host: 'a' }];
  let at: Record<string, unknown> | unknown[] = doc;
  path.forEach((seg, i) => {
    const next = i === path.length - 1 ? value : typeof path[i + 1] === 'number' ? [] : {};
    if (Array.isArray(at)) at[0] = next;
    else at[seg as string] = next;
    at = next as Record<string, unknown>;
  });
  return doc;
}

const ptr = (path: (string | number)[]) => path.map((s) => `/${s}`).join('');
const cases = Object.entries(KINDS).flatMap(([kind, key]) => cappedPlaces(schemas[key]!).map((c) => ({ kind, key, ...c })));

describe('caps first: the same documents accepted, one problem for a broken cap', () => {
  it('finds the capped places of every schema', () => {
    for (const key of Object.values(KINDS)) expect(cases.some((c) => c.key === key), key).toBe(true);
  });

  it.each(cases.map((c) => [`${c.kind} ${c.path.join('.')}`, c] as const))('%s', (_, c) => {
    const list = typeof c.schema.maxItems === 'number';
    const cap = (list ? c.schema.maxItems : c.schema.maxProperties) as number;
    const items = (c.schema.items ?? {}) as Schema;
    const good = (items.enum as unknown[] | undefined) ?? ['0x1', 'A', 'virt-9.2', 'R', 1, { register: 'PSCI_VERSION', kind: 'only-src-value' }];
    const entry = fc.oneof(fc.constantFrom(...good), fc.constantFrom('', 'x y', -1, null, true, {}, [1], '0x'.padEnd(40, 'f')));
    fc.assert(
      fc.property(fc.integer({ min: Math.max(0, cap - 2), max: cap + 2 }), fc.array(entry, { minLength: 1, maxLength: 8 }), (n, pool) => {
        const value = list ? Array.from({ length: n }, (_, i) => pool[i % pool.length]) : Object.fromEntries(Array.from({ length: n }, (_, i) => [`R${i}`, pool[i % pool.length]]));
        const doc = docWith(c.kind, c.path, value);
        const validate = asBuilt[c.key]!;
        expect(validate(doc)).toBe(asWritten[c.key]!(doc));
        if (n > cap) {
          const at = ptr(c.path);
          const here = (validate.errors ?? []).filter((e) => e.instancePath === at || e.instancePath.startsWith(`${at}/`));
          expect(here.map((e) => `${e.instancePath} ${e.keyword}`)).toContain(`${at} ${list ? 'maxItems' : 'maxProperties'}`);
          expect(here.filter((e) => e.instancePath !== at)).toEqual([]);
        }
      }),
      { numRuns: 12, seed: 12 },
    );
  });
});
