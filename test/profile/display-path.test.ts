// displayPath's shortcut for a normalised path below the working directory must say what
// path.relative says after normalising both: the same text for every path, odd ones included
// (dot segments, doubled and trailing slashes, a name starting with '..', a sibling directory
// sharing the prefix, the directory itself); likewise its shortcut for a path outside it (the
// directory's parents and their other children, a path elsewhere).
import { dirname, isAbsolute, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayPath } from '../../src/profile/load.js';

const viaRelative = (file: string) => {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
};

describe('displayPath', () => {
  const cwd = process.cwd();
  it('is what path.relative makes of the path', () => {
    const seg = fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9._-]{1,6}$/) }, fc.constantFrom('.', '..', '', '..a', '.a', 'a..', '...'));
    const tail = fc.array(seg, { minLength: 0, maxLength: 4 }).map((xs) => xs.join('/'));
    const file = fc.oneof(
      tail.map((t) => `${cwd}/${t}`),
      tail.map((t) => `${cwd}${t}`),
      tail.map((t) => `${cwd}/${t}/`),
      tail.map((t) => `${cwd}//${t}`),
      tail.map((t) => `/${t}`),
      tail.map((t) => `${dirname(cwd)}/${t}`),
      tail.map((t) => `${dirname(dirname(cwd))}/${t}`),
      tail.map((t) => t),
    );
    fc.assert(
      fc.property(file, (f) => {
        expect(displayPath(f), f).toBe(viaRelative(f));
      }),
      { seed: 20261201, numRuns: 3000 },
    );
    for (const f of [cwd, `${cwd}/`, `${cwd}/a.yaml`, `${cwd}/..a/b.yaml`, `${cwd}/../x.yaml`, `${cwd}x/a.yaml`, `${cwd}/a/./b.yaml`, `${cwd}/a/../b.yaml`, `${cwd}/a//b.yaml`, dirname(cwd), `${dirname(cwd)}/`, '/', `${dirname(cwd)}/x/a.yaml`, `${dirname(cwd)}/../a.yaml`, `${cwd.slice(0, -1)}/a.yaml`])
      expect(displayPath(f), f).toBe(viaRelative(f));
  });
});
