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
function uncovered(): { missing: Set<string>; badStatus: string[] } {
  const missing = new Set<string>();
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
    if (cover.status === undefined || !String(cover.reference ?? '').trim()) missing.add(path);
  };
  const root = kb as unknown as Record<string, unknown>;
  for (const [section, v] of Object.entries(root)) {
    // errataSources is the table of references the errata file cites by key
    if (section === 'errataSources' || META.test(section)) continue;
    const cover = { status: statusOf(root, section), reference: referenceOf(root, section) };
    if (!v || typeof v !== 'object' || Array.isArray(v)) walk(v, section, cover);
    // a section's own scalars (schemaVersion, updated) describe the file, not a fact
    else for (const [k, x] of Object.entries(v)) if (x && typeof x === 'object' && !META.test(k)) walk(x, `${section}.${k}`, { status: statusOf(v as Record<string, unknown>, k) ?? cover.status, reference: referenceOf(v as Record<string, unknown>, k) ?? cover.reference });
  }
  return { missing, badStatus };
}

describe('every kb table has a status and a reference', () => {
  it('every value of the generated kb is covered by both', () => {
    const { missing, badStatus } = uncovered();
    expect([...missing]).toEqual([]);
    expect(badStatus).toEqual([]);
  });

  it('the walk sees the tables it must (a broken walk would pass everything)', () => {
    const seen = new Set<string>();
    const all = (v: unknown, path: string): void => {
      if (Array.isArray(v)) return v.forEach((x) => all(x, `${path}[]`));
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) all(x, `${path}.${k}`);
      else seen.add(path);
    };
    all(kb, 'kb');
    for (const p of ['kb.idRegisters.registers.ID_AA64PFR0_EL1[]', 'kb.idRegisters.fields.CTR_EL0.DIC', 'kb.idRegisters.signed[]', 'kb.vmm.machineTypes.types[]', 'kb.vmm.baseline.setRegisterError', 'kb.spectre.bhb.loopKAdded2026.32[]']) expect(seen, p).toContain(p);
  });
});
