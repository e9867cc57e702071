// The layers of src/ (README "Layout"): a file may import its own layer or a lower one, never a
// higher one — type-only imports included, since they tie a lower layer to a higher one's names.
// Same-rank layers use each other (the solver runs the rules, the rules read the solver's
// VM states; reports and renderers share their tables).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const RANK: Record<string, number> = { 'model.ts': 0, generated: 0, kb: 1, profile: 2, solver: 3, rules: 3, fleet: 4, probe: 4, reports: 5, render: 5, cli: 6 };

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const layerOf = (file: string) => relative('src', file).split('/')[0]!;

describe('layering', () => {
  const src = files('src').filter((f) => !f.startsWith(join('src', 'generated')));
  it('every src directory has a rank', () => expect(src.map(layerOf).filter((l) => RANK[l] === undefined)).toEqual([]));
  it('no file imports a higher layer', () => {
    const up: string[] = [];
    let imports = 0;
    for (const f of src) {
      for (const m of readFileSync(f, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)) {
        imports++;
        const target = layerOf(join(dirname(f), m[1]!).replace(/\.js$/, '.ts'));
        if (RANK[target]! > RANK[layerOf(f)]!) up.push(`${f} -> ${m[1]}`);
      }
    }
    expect(imports).toBeGreaterThan(200); // the walk saw the imports
    expect(up).toEqual([]);
  });
});
