// The validators as built (scripts/caps-first.mjs: a capped list's or mapping's entries are
// checked only within its cap) accept exactly the documents the schemas as written accept,
// and a list or mapping over its cap is one problem at its own place, with nothing reported
// inside it: every capped place the three schemas have, at lengths around its cap, filled
// with valid and invalid entries.
import AjvModule, { type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as built from '../../src/generated/validators.cjs';
import { KIND_FILES, type Kind, type Schema, places, schemaOf, stringCapped } from './schema-fields.js';

const Ajv = AjvModule.default;
const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
ajv.addVocabulary(['x-expected']);
const KINDS = Object.keys(KIND_FILES) as Kind[];
const asBuilt: Record<string, ValidateFunction> = { host: built.host, guest: built.guest, fleet: built.fleet };
const asWritten = Object.fromEntries(KINDS.map((k) => [KIND_FILES[k], ajv.compile(schemaOf(k))]));

/** `value` at `path` inside a document of this kind (a list on the way holds one entry) */
function docWith(kind: string, path: readonly string[], value: unknown): Record<string, unknown> {
  const doc: Record<string, unknown> = { apiVersion: 'migcheck/v1', kind, name: 'caps' };
  if (kind === 'Fleet') doc.hosts = [{ host: 'a' }];
  let at: Record<string, unknown> = doc;
  path.forEach((seg, i) => {
    // keep what is already there (a Fleet's first host entry keeps its `host`)
    const next = i === path.length - 1 ? value : (at[seg] ?? (path[i + 1] === '0' ? [] : {}));
    at[seg] = next;
    at = next as Record<string, unknown>;
  });
  return doc;
}

const ptr = (path: readonly string[]) => path.map((s) => `/${s}`).join('');
const cases = KINDS.flatMap((kind) =>
  places(kind)
    .filter((p) => typeof p.schema.maxItems === 'number' || typeof p.schema.maxProperties === 'number')
    .map((p) => ({ kind, key: KIND_FILES[kind], path: p.path, schema: p.schema })),
);

describe('caps first: the same documents accepted, one problem for a broken cap', () => {
  it('finds the capped places of every schema', () => {
    for (const kind of KINDS) expect(cases.some((c) => c.kind === kind), kind).toBe(true);
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
      // a cap of a million (a fleet entry's nodes) is a few runs of a million entries
      { numRuns: cap > 10_000 ? 3 : 12, seed: 12 },
    );
  }, 60_000);
});

describe('every list, open mapping and string of the profile schemas has a cap', () => {
  it.each(KINDS)('%s', (kind) => {
    for (const p of places(kind)) {
      const where = `${kind} ${p.path.join('.')}`;
      // a fleet's hosts: bounded by the fleet cap (16 MB) and MAX_FLEET_HOSTS, validated a slice at a time
      if (p.what === 'list' && !(kind === 'Fleet' && where === 'Fleet hosts')) expect(p.schema.maxItems, where).toBeTypeOf('number');
      if (p.what === 'map') expect(p.schema.maxProperties, where).toBeTypeOf('number');
      if (p.what === 'leaf' && ([] as unknown[]).concat(p.schema.type ?? []).includes('string')) expect(stringCapped(p.schema), where).toBe(true);
    }
  });
});
