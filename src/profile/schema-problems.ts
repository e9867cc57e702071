// JSON Schema problems of a parsed profile, worded and located: the first MAX_DIAGNOSTICS in
// file order, then one "and N more" line.
// Fast path: a Fleet's `hosts` list longer than HOSTS_SLICE is validated a slice at a time (the
// same precompiled validator on a stand-in fleet holding only that slice), and once more than
// 4 × MAX_DIAGNOSTICS problems of the list are built, the rest are only counted: a list of
// 100,000 bad entries built 100,000 ajv errors, messages and set entries at once for 21 lines
// of output. A slice of entries plainEntry knows to be valid is not validated at all (the
// first slice: its first entry only); a Host plainHost knows to be valid is not validated either.
// test/property/schema-slices.test.ts holds this path to
// the output of validating the whole document in one call (the library path), diagnostic for
// diagnostic, and plainEntry and plainHost to the validator.
import type { ErrorObject, ValidateFunction } from 'ajv';
import fleetSchema from '../../schemas/fleet.schema.json' with { type: 'json' };
import hostSchema from '../../schemas/host.schema.json' with { type: 'json' };
import * as validators from '../generated/validators.cjs';
import { MAX_DIAGNOSTICS, clip, dottedPath, hint, moreLine, type Diagnostic } from './diagnostics.js';

export type Kind = 'Host' | 'Guest' | 'Fleet';
type At = (segs: readonly (string | number)[], message: string, preferKey?: boolean) => Diagnostic;
// read at first use: the bundles load each kind's validator only then (scripts/build.mjs)
const validatorFor = (kind: Kind): ValidateFunction => (kind === 'Host' ? validators.host : kind === 'Guest' ? validators.guest : validators.fleet);

export const describe = (v: unknown) => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length ? 'a list' : 'an empty list';
  if (typeof v === 'object') return 'a mapping';
  const json = JSON.stringify(v);
  return `${typeof v} ${json.length > 60 ? `${json.slice(0, 57)}..."` : json}`;
};


/** A schema problem; `hint` (a "did you mean", costly) is only worded for the problems reported. */
type SchemaProblem = { segs: string[]; message: string; preferKey: boolean; hint?: () => string };

function schemaMessage(e: ErrorObject): SchemaProblem | undefined {
  const segs = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const expected = (e.parentSchema as Record<string, unknown> | undefined)?.['x-expected'] as string | undefined;
  switch (e.keyword) {
    case 'if': // its then/else branch reports what is wrong
      return undefined;
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const known = () => Object.keys(((e.parentSchema as { properties?: object }).properties ?? {}) as object);
      return { segs: [...segs, key], message: `unknown key '${clip(key)}'`, hint: () => hint(key, known()), preferKey: true };
    }
    case 'required':
      return { segs, message: `missing required key '${e.params.missingProperty}'`, preferKey: false };
    case 'type': {
      const quote = e.params.type === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean') ? ' (quote it: YAML reads it as a ' + typeof e.data + ')' : '';
      return { segs, message: `expected ${expected ?? e.params.type}, got ${describe(e.data)}${quote}`, preferKey: false };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const h = typeof e.data === 'string' ? hint(e.data, (e.params.allowedValues as unknown[]).map(String)) : '';
      return { segs, message: `expected one of ${allowed.join(', ')}, got ${describe(e.data)}${h}`, preferKey: false };
    }
    case 'const':
      return { segs, message: `expected ${JSON.stringify(e.params.allowedValue)}, got ${describe(e.data)}`, preferKey: false };
    case 'minimum':
    case 'maximum':
    case 'minItems':
      return { segs, message: `expected ${expected ?? e.message}, got ${describe(e.data)}`, preferKey: false };
    // caps no real profile reaches: the lengths, not the values, are quoted
    case 'maxItems':
      return { segs, message: `expected at most ${e.params.limit} entries (no real host has more), got ${(e.data as unknown[]).length}`, preferKey: false };
    case 'maxProperties':
      return { segs, message: `expected at most ${e.params.limit} keys, got ${Object.keys(e.data as object).length}`, preferKey: false };
    case 'maxLength':
      return { segs, message: `expected at most ${e.params.limit} characters, got a string of ${(e.data as string).length}`, preferKey: false };
    case 'pattern': {
      // 'qemu 8.2' is one word with a space in it: say which, not only what is expected
      const joined = typeof e.data === 'string' && /\s/.test(e.data.trim()) ? e.data.trim().replace(/\s+/g, '-') : undefined;
      const h = joined !== undefined && new RegExp(String(e.params.pattern)).test(joined) ? ` (names have no spaces: did you mean '${clip(joined)}'?)` : '';
      return { segs, message: `expected ${expected ?? `a string matching ${e.params.pattern}`}, got ${describe(e.data)}${h}`, preferKey: false };
    }
    default:
      return { segs, message: `${e.message ?? 'invalid'}`, preferKey: false };
  }
}

/**
 * Problems in file order, located. Only as many as are reported (MAX_DIAGNOSTICS, then one
 * "and N more" line) are located: with many, they are put in order by the data itself (keys
 * keep the file's order), so 50,000 problems cost no 50,000 positions. `uncounted` problems were
 * counted and not built (they cannot be among the first: see schemaDiagnostics).
 */
function locateFirst(found: readonly SchemaProblem[], uncounted: number, data: unknown, at: At): Diagnostic[] {
  const shown = (m: SchemaProblem) => at(m.segs, m.message + (m.hint?.() ?? ''), m.preferKey);
  const byPosition = (ds: Diagnostic[]) => ds.sort((a, b) => a.line - b.line || a.col - b.col);
  if (found.length + uncounted <= 4 * MAX_DIAGNOSTICS) return byPosition(found.map(shown));
  const order = new WeakMap<object, Map<string, number>>();
  const rank = (o: unknown, seg: string): number => {
    if (Array.isArray(o)) return Number(seg);
    if (!o || typeof o !== 'object') return -1;
    let idx = order.get(o);
    if (!idx) {
      order.set(o, (idx = new Map()));
      let i = 0;
      for (const k of Object.keys(o)) idx.set(k, i++);
    }
    return idx.get(seg) ?? -1;
  };
  const child = (o: unknown, seg: string) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[seg] : undefined);
  const compare = (a: (typeof found)[number], b: (typeof found)[number]) => {
    let o: unknown = data;
    for (let i = 0; i < Math.min(a.segs.length, b.segs.length); i++) {
      if (a.segs[i] !== b.segs[i]) return rank(o, a.segs[i]!) - rank(o, b.segs[i]!);
      o = child(o, a.segs[i]!);
    }
    // a mapping's own position comes before its children's; a key before its value
    return a.segs.length - b.segs.length || Number(b.preferKey) - Number(a.preferKey);
  };
  // the first MAX_DIAGNOSTICS + 1 in file order, without sorting them all (problems mostly come in order)
  const head: SchemaProblem[] = [];
  for (const m of found) {
    if (head.length > MAX_DIAGNOSTICS && compare(m, head.at(-1)!) >= 0) continue;
    let i = head.length;
    while (i > 0 && compare(m, head[i - 1]!) < 0) i--;
    head.splice(i, 0, m);
    if (head.length > MAX_DIAGNOSTICS + 1) head.pop();
  }
  const first = byPosition(head.slice(0, MAX_DIAGNOSTICS).map(shown));
  const next = head[MAX_DIAGNOSTICS]!;
  return [...first, moreLine(at(next.segs, next.message, next.preferKey), found.length + uncounted - MAX_DIAGNOSTICS)];
}


/**
 * The problems one validation reported, filtered as the output wants them (a type error hides
 * the other checks at its place; problems repeated at one place are said once), appended to
 * `found`, or only counted (`build` false: no message is worded but for a place with several).
 * `shift` moves an index of the hosts list by a slice's start. Returns how many were kept and
 * only counted: with `build`, the unknown keys of one mapping past its first `unknownCap`
 * (ajv reports them in the mapping's key order, the file's, so none of the later ones can be
 * among the first MAX_DIAGNOSTICS + 1 shown, nor change which way locateFirst takes).
 */
function keep(errors: readonly ErrorObject[], found: SchemaProblem[], build: boolean, shift = 0, unknownCap = UNKNOWN_KEYS_BUILT): number {
  const seen = new Set<string>();
  const typeErrorAt = new Set<string>();
  const once = new Set<string>();
  const shared = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'type') typeErrorAt.add(e.instancePath);
    (once.has(e.instancePath) ? shared : once).add(e.instancePath);
  }
  let kept = 0;
  let counted = 0;
  const unknownKeys = new Map<string, number>();
  const unknownSeen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'type' && e.keyword !== 'additionalProperties' && e.keyword !== 'required' && typeErrorAt.has(e.instancePath)) continue;
    const alone = !shared.has(e.instancePath);
    if (!build && alone) {
      if (e.keyword !== 'if') kept++;
      continue;
    }
    if (build && e.keyword === 'additionalProperties') {
      // one key reported twice at its place (two schemas apply there) is said once
      const key = `${e.instancePath}\0${String(e.params.additionalProperty)}`;
      if (unknownSeen.has(key)) continue;
      unknownSeen.add(key);
      const n = (unknownKeys.get(e.instancePath) ?? 0) + 1;
      unknownKeys.set(e.instancePath, n);
      if (n > unknownCap) {
        counted++;
        continue;
      }
    }
    const m = schemaMessage(e);
    if (!m) continue;
    // only problems at one place can repeat one another: the rest need no key (100,000 of them)
    if (!alone) {
      const key = `${dottedPath(m.segs)}\0${m.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    kept++;
    if (!build) continue;
    if (shift) m.segs[1] = String(Number(m.segs[1]) + shift);
    found.push(m);
  }
  return build ? counted : kept;
}

/**
 * A Fleet's hosts entry the Fleet schema accepts, known without the validator, as an inventory
 * writes it: only the keys host, count, nodes and upgradeTo; host (required) and upgradeTo
 * strings of 1 to 4,096 UTF-16 units (so at most 4,096 characters); count an integer from 1 to
 * 1,000,000; nodes 1 to 1,000,000 node names of 1 to 253 ASCII letters, digits, `._-`, a letter
 * or digit at each end. False is no verdict: the validator decides. Plain checks in place of the
 * generated validator's length count (a loop over every character) and regular expression per
 * string: a fleet has 100,000 entries. test/property/schema-slices.test.ts holds it to the
 * validator: true only for entries it accepts.
 */
export function plainEntry(e: unknown): boolean {
  if (!e || typeof e !== 'object' || Array.isArray(e)) return false;
  const o = e as Record<string, unknown>;
  // the validator's own tests: `for in` for unknown keys, `=== undefined` for the required one
  for (const k in o) if (k !== 'host' && k !== 'nodes' && k !== 'upgradeTo' && k !== 'count') return false;
  const { host, nodes, upgradeTo, count } = o;
  if (typeof host !== 'string' || host.length < E.host.minLength || host.length > E.host.maxLength) return false;
  if (upgradeTo !== undefined && (typeof upgradeTo !== 'string' || upgradeTo.length < E.upgradeTo.minLength || upgradeTo.length > E.upgradeTo.maxLength)) return false;
  if (count !== undefined && !(typeof count === 'number' && Number.isInteger(count) && count >= E.count.minimum && count <= E.count.maximum)) return false;
  if (nodes === undefined) return true;
  if (!Array.isArray(nodes) || nodes.length < E.nodes.minItems || nodes.length > E.nodes.maxItems) return false;
  for (let i = 0; i < nodes.length; i++) if (!nodeName(nodes[i])) return false;
  return true;
}

// the limits and the node-name pattern read from the Fleet schema itself, so the plain checks cannot drift from it
const E = fleetSchema.properties.hosts.items.properties;
const NODE_NAME = new RegExp(E.nodes.items.pattern);
/** the limits a fleet line's values are read within (src/profile/fleet-lines.ts): a reference, a node name, a count */
export const fleetEntryLimits = { ref: Math.min(E.host.maxLength, E.upgradeTo.maxLength), node: E.nodes.items.maxLength, count: E.count.maximum } as const;
/** a node name as the Fleet schema has it (its pattern is ASCII: no `u` flag needed) */
export const nodeName = (n: unknown): n is string => typeof n === 'string' && n.length >= E.nodes.items.minLength && n.length <= E.nodes.items.maxLength && NODE_NAME.test(n);
const FLEET_NAME = new RegExp(fleetSchema.properties.name.pattern);
/** a Fleet's name as its schema has it */
export const fleetName = (n: string): boolean => n.length <= fleetSchema.properties.name.maxLength && FLEET_NAME.test(n);

/**
 * A Host the Host schema accepts, known without the validator, as inventories write their host
 * profiles: only apiVersion, kind, name, description, extends, kernel (a name), vmm (a name) and
 * cpu (a name, or a mapping of model and revision), each as the schema has it. A fleet reads 200
 * of these, and the generated validator's first few hundred calls run cold. False is no verdict:
 * the validator decides. test/property/schema-slices.test.ts holds it to the validator: true only
 * for Hosts it accepts.
 */
export function plainHost(d: Record<string, unknown>): boolean {
  for (const k in d) if (k !== 'apiVersion' && k !== 'kind' && k !== 'name' && k !== 'description' && k !== 'extends' && k !== 'kernel' && k !== 'vmm' && k !== 'cpu') return false;
  if (d.apiVersion !== HP.apiVersion.const || d.kind !== HP.kind.const || !hostName(d.name)) return false;
  if (d.description !== undefined && !(typeof d.description === 'string' && d.description.length <= HP.description.maxLength)) return false;
  if (d.extends !== undefined && !(typeof d.extends === 'string' && d.extends.length <= HP.extends.maxLength)) return false;
  const { kernel, vmm, cpu } = d;
  if (kernel !== undefined && !(typeof kernel === 'string' && kernel.length <= HD.kernelName.maxLength && KERNEL_NAME.test(kernel))) return false;
  if (vmm !== undefined && !hostName(vmm)) return false;
  if (cpu === undefined) return true;
  if (typeof cpu === 'string') return cpu.length <= HD.cpuName.maxLength && CPU_NAME.test(cpu);
  if (!cpu || typeof cpu !== 'object' || Array.isArray(cpu)) return false;
  const c = cpu as Record<string, unknown>;
  for (const k in c) if (k !== 'model' && k !== 'revision') return false;
  if (c.model !== undefined && !hostName(c.model)) return false;
  return c.revision === undefined || (typeof c.revision === 'string' && REVISION.test(c.revision));
}

// the Host schema's own limits and patterns (ASCII: no `u` flag needed), so the plain checks cannot drift from it
const HP = hostSchema.properties;
const HD = hostSchema.definitions;
const NAME = new RegExp(HD.name.pattern);
const KERNEL_NAME = new RegExp(HD.kernelName.pattern);
const CPU_NAME = new RegExp(HD.cpuName.pattern);
const REVISION = new RegExp(HD.cpu.properties.revision.pattern);
const hostName = (n: unknown): boolean => typeof n === 'string' && n.length <= HD.name.maxLength && NAME.test(n);

/** hosts[from, to) are all plain entries (plainEntry) */
const plainEntries = (hosts: readonly unknown[], from: number, to: number) => {
  for (let i = from; i < Math.min(to, hosts.length); i++) if (!plainEntry(hosts[i])) return false;
  return true;
};

/** Hosts of a Fleet validated at once; a longer list goes a slice at a time (header). */
const HOSTS_SLICE = 1000;
/** Unknown keys of one mapping built as problems; the rest are counted (keep). */
export const UNKNOWN_KEYS_BUILT = 4 * MAX_DIAGNOSTICS + 1;

/**
 * Schema problems of a profile of this kind as diagnostics (at most MAX_DIAGNOSTICS and the "and N more" line), or undefined when it is valid.
 * `slice` and `unknownCap` are the fast paths' sizes (Infinity: the library path, every problem built).
 */
export function schemaDiagnostics(kind: Kind, data: Record<string, unknown>, at: At, slice = HOSTS_SLICE, unknownCap = UNKNOWN_KEYS_BUILT): Diagnostic[] | undefined {
  if (kind === 'Host' && plainHost(data)) return undefined;
  const validate = validatorFor(kind);
  const hosts = kind === 'Fleet' ? data.hosts : undefined;
  if (!Array.isArray(hosts) || hosts.length <= slice) {
    if (validate(data)) return undefined;
    const found: SchemaProblem[] = [];
    const uncounted = keep(validate.errors ?? [], found, true, 0, unknownCap);
    return locateFirst(found, uncounted, data, at);
  }
  // the document with its first slice of hosts: every problem outside the list, and the slice's
  // (a slice of plain entries has none: its first entry stands for it)
  const found: SchemaProblem[] = [];
  const first = plainEntries(hosts, 0, slice) ? hosts.slice(0, 1) : hosts.slice(0, slice);
  let uncounted = validate({ ...data, hosts: first }) ? 0 : keep(validate.errors ?? [], found, true, 0, unknownCap);
  let listed = found.filter((m) => m.segs[0] === 'hosts' && m.segs.length > 1).length;
  // the other slices in a fleet that has nothing else to report
  const standIn: Record<string, unknown> = { apiVersion: 'migcheck/v1', kind: 'Fleet', name: 'slice', hosts: [] };
  for (let from = slice; from < hosts.length; from += slice) {
    if (plainEntries(hosts, from, from + slice)) continue;
    standIn.hosts = hosts.slice(from, from + slice);
    if (validate(standIn)) continue;
    // past 4 × MAX_DIAGNOSTICS problems in the list, a later entry cannot be among the first
    // MAX_DIAGNOSTICS + 1 in file order (each comes after all of those), nor change which way
    // locateFirst takes: counted only
    const build = listed <= 4 * MAX_DIAGNOSTICS;
    const before = found.length;
    uncounted += keep(validate.errors ?? [], found, build, from, unknownCap);
    listed += found.length - before;
  }
  if (!found.length && !uncounted) return undefined;
  return locateFirst(found, uncounted, data, at);
}
