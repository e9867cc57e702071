// Where shipped profiles live, and the name -> file index over the search path.
import { existsSync, opendirSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './diagnostics.js';

/** The package root: the nearest ancestor of this module holding profiles/ (works from src/ and dist/). */
export function packageRoot(): string {
  // import.meta.dirname (the bundles: __dirname) without a file URL: the first URL costs start-up ~2-5 ms
  const here = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'profiles'))) return dir;
    dir = dirname(dir);
  }
  return resolve(here, '..', '..');
}

/** The profiles below one search directory, by base name. */
interface ProfileIndex {
  /** name -> the first file of that name (byte order of paths) */
  readonly files: ReadonlyMap<string, string>;
  /** names two or more files share (a/web.yml and b/web.yaml): every file, for the error */
  readonly clashes: ReadonlyMap<string, readonly string[]>;
  /** subdirectories that could not be listed, with the reason */
  readonly unreadable: readonly string[];
}

const indexes = new Map<string, ProfileIndex>();

/** Every *.yaml / *.yml below dir (the name is the file's base name). */
export function profileIndex(dir: string): ProfileIndex {
  const cached = indexes.get(dir);
  if (cached) return cached;
  const files = new Map<string, string>();
  const clashes = new Map<string, string[]>();
  const unreadable: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 6) return;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      unreadable.push(`${d} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return;
    }
    // byte order, not localeCompare: no ICU collator at start-up, and the same on every locale
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (/\.ya?ml$/.test(e.name)) {
        const name = e.name.replace(/\.ya?ml$/, '');
        const first = files.get(name);
        if (first === undefined) files.set(name, p);
        else clashes.set(name, [...(clashes.get(name) ?? [first]), p]);
      }
    }
  };
  walk(dir, 0);
  const idx = { files, clashes, unreadable };
  indexes.set(dir, idx);
  return idx;
}

/** Why dir cannot be a profile search directory (missing, not a directory, unreadable), or undefined. */
export function searchDirProblem(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) return 'is not a directory';
    opendirSync(dir).closeSync();
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'no such directory' : `cannot read it (${code ?? (err as Error).message})`;
  }
}

/**
 * /[\\/]|\.ya?ml$/ as string tests: a path separator anywhere, or a YAML file name. Start-up
 * compiles no expression for it (test/profile/plain-matchers.test.ts holds the two alike).
 */
export const looksLikePath = (ref: string) => hasSeparator(ref) || ref.endsWith('.yaml') || ref.endsWith('.yml');
const hasSeparator = (ref: string) => ref.includes('/') || ref.includes('\\');

/** The working directory, or undefined when it has been removed (process.cwd() throws). */
export function workingDir(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/** ref made absolute against base (default: the working directory, which a relative ref then needs). */
export function absolutePath(ref: string, base?: string): string {
  if (isAbsolute(ref)) return resolve(ref);
  const from = base ?? workingDir();
  if (from === undefined) throw new UsageError(`${ref}: a relative path, but the working directory no longer exists; give an absolute path`);
  return resolve(from, ref);
}
