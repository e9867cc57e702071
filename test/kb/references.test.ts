// Every fact in the knowledge base carries a reference, every shipped profile validates,
// and explain pages cite the same entries the verdicts are computed from.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kb } from '../../src/kb/data.js';
import { factsForRule, ruleIdsWithFacts } from '../../src/kb/facts.js';
import { rules } from '../../src/rules/index.js';
import { cli } from '../helpers.js';

const STATUSES = ['verified', 'inferred', 'recalled'];
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? yamlFiles(join(dir, f)) : f.endsWith('.yaml') ? [join(dir, f)] : []));

describe('every fact carries a reference', () => {
  it('kernel and QEMU timeline entries and their baselines', () => {
    for (const t of [kb.kernel, kb.vmm]) {
      expect(t.baseline.reference.length).toBeGreaterThan(20);
      for (const c of t.changes) {
        expect(c.reference.length, c.what).toBeGreaterThan(20);
        expect(STATUSES, c.what).toContain(c.status);
      }
    }
  });

  it('stable backports name an existing change, a shipped series and a later point release', () => {
    for (const b of kb.kernel.backports ?? []) {
      const c = kb.kernel.changes.find((x) => x.id === b.change);
      expect(c, b.change).toBeDefined();
      expect(kb.kernel.releases).toContain(b.series);
      expect(b.since.startsWith(`${b.series}.`)).toBe(true);
      expect(b.reference.length).toBeGreaterThan(20);
      expect(STATUSES).toContain(b.status);
    }
  });

  it('facts first marked RECALLED in shared/reference say what was checked', () => {
    for (const id of ['psci-version-register', 'smccc-wa3']) expect(kb.kernel.changes.find((c) => c.id === id)?.checked).toBeTruthy();
    expect(kb.kernel.changes.filter((c) => c.status === 'recalled')).toEqual([]);
  });

  it('CPU features, products and errata', () => {
    const cores = new Set(kb.cores.map((c) => c.name));
    for (const p of [...kb.cpuProperties.cores, ...kb.cpuProperties.products]) {
      expect(cores.has(p.core), p.core).toBe(true);
      expect(p.reference.length).toBeGreaterThan(10);
    }
    for (const e of kb.errata) {
      // a key of arm64-errata.yaml `sources:`, or the patch described in words
      const src = String(e.source ?? '');
      const keyed = src.split(/[,() ]+/).some((s) => s in kb.errataSources);
      expect(keyed || src.length > 40, `erratum ${e.id}: ${src}`).toBe(true);
    }
    for (const list of [kb.spectre.v2, kb.spectre.v4, kb.spectre.bhb, kb.spectre.bhb.preJan2025]) expect(list.source).toBeTruthy();
  });
});

describe('shipped profiles', () => {
  const files = yamlFiles('profiles');
  it('there are shipped example profiles', () => expect(files.length).toBeGreaterThanOrEqual(8));
  it.each(files)('%s validates', async (file) => {
    const r = await cli('validate', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('explain cites the knowledge base', () => {
  it('every timeline entry is read by at least one rule', () => {
    const cited = new Set(ruleIdsWithFacts().flatMap((id) => factsForRule(id).map((f) => f.reference)));
    for (const c of [...kb.kernel.changes, ...kb.vmm.changes]) expect(cited.has(c.reference), c.what).toBe(true);
  });

  it.each(rules.map((r) => r.id))('explain %s prints the references of the facts it reads', async (id) => {
    const r = await cli('explain', id);
    for (const f of factsForRule(id)) expect(r.stdout).toContain(f.reference);
    expect(factsForRule(id).length).toBeGreaterThan(0);
  });
});
