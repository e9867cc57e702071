// Every place a profile schema (schemas/*.schema.json) lets a value be written, found by
// walking it: the fuzz suites and the caps test enumerate these instead of a list kept by
// hand, so a field added to a schema is fuzzed and held to a cap without anyone remembering to.
import { readFileSync } from 'node:fs';

export type Schema = Record<string, unknown>;
export const KIND_FILES = { Host: 'host', Guest: 'guest', Fleet: 'fleet' } as const;
export type Kind = keyof typeof KIND_FILES;

export const schemaOf = (kind: Kind): Schema => JSON.parse(readFileSync(`schemas/${KIND_FILES[kind]}.schema.json`, 'utf8')) as Schema;

/** A place: its path (a list entry as '0', an open mapping's value as '*'), and the schema there with its $ref resolved. */
export interface Place {
  readonly path: readonly string[];
  readonly schema: Schema;
  /** 'leaf': a scalar is written here; 'list'; 'map': a mapping whose keys are data (additionalProperties a schema); 'mapping': one with named keys */
  readonly what: 'leaf' | 'list' | 'map' | 'mapping';
}

export function places(kind: Kind): Place[] {
  const root = schemaOf(kind);
  const deref = (s: Schema): Schema => {
    if (typeof s.$ref !== 'string') return s;
    const { $ref, ...rest } = s;
    return { ...deref((root.definitions as Record<string, Schema>)[($ref as string).split('/').pop()!]!), ...rest };
  };
  const out = new Map<string, Place>();
  const add = (p: Place) => out.set(`${p.what} ${p.path.join('.')}`, p);
  const walk = (raw: Schema, path: string[], depth: number) => {
    if (depth > 12) return;
    const s = deref(raw);
    // kernel: a name (then) or an object (else); both are places
    for (const branch of ['then', 'else'] as const) if (s[branch]) walk(s[branch] as Schema, path, depth + 1);
    for (const sub of [...((s.allOf as Schema[]) ?? []), ...((s.anyOf as Schema[]) ?? [])]) walk(sub, path, depth + 1);
    const types = ([] as unknown[]).concat(s.type ?? []);
    const scalar = types.some((t) => t === 'string' || t === 'integer' || t === 'number' || t === 'boolean') || Array.isArray(s.enum) || 'const' in s;
    if (scalar) add({ path, schema: s, what: 'leaf' });
    if (types.includes('array') || s.items) {
      add({ path, schema: s, what: 'list' });
      if (s.items && typeof s.items === 'object') walk(s.items as Schema, [...path, '0'], depth + 1);
    }
    if (s.properties) add({ path, schema: s, what: 'mapping' });
    for (const [k, sub] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) walk(sub, [...path, k], depth + 1);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      add({ path, schema: s, what: 'map' });
      walk(s.additionalProperties as Schema, [...path, '*'], depth + 1);
    }
  };
  walk(root, [], 0);
  return [...out.values()];
}

/** A string here has a length cap: maxLength, an enum or const, or an anchored pattern without `*`, `+` or `{n,}`. */
export function stringCapped(s: Schema): boolean {
  if (Array.isArray(s.enum) || 'const' in s || typeof s.maxLength === 'number') return true;
  const p = s.pattern;
  return typeof p === 'string' && p.startsWith('^') && p.endsWith('$') && !/(?<!\\)[*+]|\{\d+,\}/.test(p);
}
