// How a command's failure becomes an exit code and stderr lines: bad input and usage 3,
// anything else is a bug (4) — one line, the stack only with MIGCHECK_DEBUG=1.
import { InputError, UsageError, formatDiagnostic } from '../profile/diagnostics.js';
import type { Io } from './context.js';
import { oneLine } from '../profile/printable.js';
import { workingDir } from '../profile/paths.js';

/** A relative path fails as "no such file" once the working directory is removed: say why. */
function noCwdNote(io: Io, said: string): void {
  if (workingDir() === undefined && !said.includes('working directory'))
    io.stderr.write('migcheck: note: the working directory no longer exists, so relative paths cannot be read or written; give absolute ones\n');
}

export function reportError(err: unknown, io: Io): number {
  if (err instanceof InputError) {
    for (const d of err.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    noCwdNote(io, '');
    return 3;
  }
  if (err instanceof UsageError || (err as Error)?.name === 'YError') {
    // one line, but for yargs' own "Invalid values:\n  Argument: …" lines (an unknown flag is echoed raw)
    const message = (err as Error).message.split(/\n(?=  Argument: )/).map((l) => oneLine(l)).join('\n');
    io.stderr.write(`migcheck: ${message}\nRun 'migcheck --help' for usage.\n`);
    noCwdNote(io, message);
    return 3;
  }
  if (io.env.MIGCHECK_DEBUG === '1') io.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  else io.stderr.write(`migcheck: internal error: ${oneLine((err as Error)?.message ?? String(err))}. This is a bug; please report it with the command and profiles (MIGCHECK_DEBUG=1 shows the stack).\n`);
  return 4;
}
