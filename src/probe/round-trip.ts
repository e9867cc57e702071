// What probe writes is read back by the loader every other command uses (schema, then the
// resolver's checks), so a capture that yields a profile `migcheck validate` rejects is
// refused at probe time, blaming the capture file the bad field came from.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../profile/diagnostics.js';
import { Resolver } from '../profile/resolve.js';
import { ProbeError } from './tree.js';

/** The capture a profile field came from: a file of the tree (located) or a label (a command's output). */
export type FieldSource = (path: string) => { file: string } | { label: string };

export function checkRoundTrip(yaml: string, sourceOf: FieldSource): void {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'migcheck-probe-'));
  } catch (err) {
    throw new ProbeError(`cannot check the profile before writing it: cannot create a temporary directory in ${tmpdir()} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); set TMPDIR`);
  }
  try {
    const file = join(dir, 'probed.yaml');
    writeFileSync(file, yaml, { flag: 'wx', mode: 0o600 });
    new Resolver().validateFile(file);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const d = err.diagnostics[0]!;
    const more = err.diagnostics.length > 1 ? ` (and ${err.diagnostics.length - 1} more)` : '';
    const what = `this capture gives an invalid profile: ${d.path || '(document)'}: ${d.message}${more}`;
    const src = sourceOf(d.path);
    throw 'file' in src ? new ProbeError(what, { file: src.file, line: 1, col: 1 }) : new ProbeError(`${src.label}: ${what}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
