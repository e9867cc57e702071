// Where shipped profiles live, and the name -> file index over the search path.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest ancestor of this module holding profiles/ (works from src/ and dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'profiles'))) return dir;
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

const indexes = new Map<string, Map<string, string>>();

/** name -> file for every *.yaml / *.yml below dir (the name is the file's base name). */
export function profileIndex(dir: string): Map<string, string> {
  let idx = indexes.get(dir);
  if (idx) return idx;
  idx = new Map();
  const walk = (d: string, depth: number) => {
    if (depth > 6) return;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    // byte order, not localeCompare: no ICU collator at start-up, and the same on every locale
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (/\.ya?ml$/.test(e.name)) {
        const name = e.name.replace(/\.ya?ml$/, '');
        if (!idx!.has(name)) idx!.set(name, p);
      }
    }
  };
  walk(dir, 0);
  indexes.set(dir, idx);
  return idx;
}

export const looksLikePath = (ref: string) => /[\\/]/.test(ref) || /\.ya?ml$/.test(ref);
