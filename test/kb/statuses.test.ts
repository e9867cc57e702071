// Every fact in the knowledge base carries a status and a reference, found by walking the
// generated kb (src/generated/kb.json, what the code reads), not a list of tables: each value
// is covered by a status (`status: verified|inferred|recalled`, or the errata file's
// `verified: true|false`) and a reference (`reference`, `source`) given on itself, on an entry
// that encloses it, or beside its table in the enclosing object (`<table>Status`,
// `<table>Reference` or `<table>Source`, as `loopKAdded2026Source`). A new table without
// either fails here.
import { describe, expect, it } from 'vitest';
import { kb } from '../../src/kb/data.js';

const STATUSES = ['verified', 'inferred', 'recalled'];
/** keys that say where a fact comes from, not facts themselves */
const META = /^(status|verified|reference|source|checked|confidence)$|(Status|Reference|Source)$/;
type Cover = { status?: unknown; reference?: unknown };

const statusOf = (o: Record<string, unknown>, k = '') => (k ? o[`${k}Status`] : (o.status ?? o.verified));
const referenceOf = (o: Record<string, unknown>, k = '') => (k ? (o[`${k}Reference`] ?? o[`${k}Source`]) : (o.reference ?? o.source));

/** Paths (array indexes as []) of the values no status or no reference covers, and bad statuses. */
function uncovered(root: Record<string, unknown> = kb as unknown as Record<string, unknown>): { missing: Set<string>; badStatus: string[]; visited: Set<string> } {
  const missing = new Set<string>();
  const visited = new Set<string>();
  const badStatus: string[] = [];
  const walk = (v: unknown, path: string, cover: Cover): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, `${path}[]`, cover));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const here = { status: statusOf(o) ?? cover.status, reference: referenceOf(o) ?? cover.reference };
      for (const [k, x] of Object.entries(o)) {
        if (META.test(k)) {
          if (/^status$|Status$/.test(k) && !STATUSES.includes(String(x))) badStatus.push(`${path}.${k}: ${String(x)}`);
          continue;
        }
        walk(x, `${path}.${k}`, { status: statusOf(o, k) ?? here.status, reference: referenceOf(o, k) ?? here.reference });
      }
      return;
    }
    visited.add(path);
    if (cover.status === undefined || !String(cover.reference ?? '').trim()) missing.add(path);
  };
  for (const [section, v] of Object.entries(root)) {
    // errataSources is the table of references the errata file cites by key
    if (section === 'errataSources' || META.test(section)) continue;
    const cover = { status: statusOf(root, section), reference: referenceOf(root, section) };
    if (!v || typeof v !== 'object' || Array.isArray(v)) walk(v, section, cover);
    // a section's own scalars (schemaVersion, updated) describe the file, not a fact
    else for (const [k, x] of Object.entries(v)) if (x && typeof x === 'object' && !META.test(k)) walk(x, `${section}.${k}`, { status: statusOf(v as Record<string, unknown>, k) ?? cover.status, reference: referenceOf(v as Record<string, unknown>, k) ?? cover.reference });
  }
  return { missing, badStatus, visited };
}

describe('every kb table has a status and a reference', () => {
  it('every value of the generated kb is covered by both', () => {
    const { missing, badStatus } = uncovered();
    expect([...missing]).toEqual([]);
    expect(badStatus).toEqual([]);
  });

  it('the walk sees the tables it must (a broken walk would pass everything)', () => {
    const { visited } = uncovered();
    for (const p of ['idRegisters.registers.ID_AA64PFR0_EL1[]', 'idRegisters.fields.CTR_EL0.DIC', 'idRegisters.signed[]', 'vmm.machineTypes.types[]', 'vmm.baseline.setRegisterError', 'spectre.bhb.loopKAdded2026.32[]']) expect(visited, p).toContain(p);
  });

  it('a table without a status, or with a reference only, is caught; one given beside its table is covered', () => {
    const { missing, badStatus } = uncovered({
      a: { bare: [{ x: 1 }], referenced: { reference: 'somewhere', y: 2 }, besides: [3], besidesStatus: 'verified', besidesReference: 'a commit' },
      b: { odd: { status: 'guessed', reference: 'r', z: 4 } },
    });
    expect([...missing].sort()).toEqual(['a.bare[].x', 'a.referenced.y']);
    expect(badStatus).toEqual(['b.odd.status: guessed']);
  });
});
