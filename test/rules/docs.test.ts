// One rule = one file + one table-driven test + one docs page; this keeps them in step.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECTIONS = ['## What it checks', '## Why', '## Example', '## References'];

describe.each(rules.map((r) => [r.id, r] as const))('rule %s', (id, rule) => {
  it('lives in src/rules/<id>.ts and has a table test', () => {
    expect(existsSync(join(root, 'src/rules', `${id}.ts`))).toBe(true);
    expect(existsSync(join(root, 'test/rules', `${id}.test.ts`))).toBe(true);
  });

  it('has a docs page with its title, description, sections and references', () => {
    const file = join(root, 'docs/rules', `${id}.md`);
    expect(existsSync(file)).toBe(true);
    const doc = readFileSync(file, 'utf8');
    const lines = doc.split('\n');
    expect(lines[0]).toBe(`# ${id}`);
    expect(lines[2]).toBe(rule.description);
    let last = -1;
    for (const s of SECTIONS) {
      const at = lines.indexOf(s);
      expect(at, `${s} missing or out of order`).toBeGreaterThan(last);
      last = at;
    }
    const refs = doc.slice(doc.indexOf('## References'));
    expect(rule.references.length).toBeGreaterThan(0);
    for (const r of rule.references) expect(refs).toContain(`- ${r}`);
  });
});
