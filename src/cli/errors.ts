// How a command's failure becomes an exit code and stderr lines: bad input and usage 3,
// anything else is a bug (4) — one line, the stack only with MIGCHECK_DEBUG=1.
import { InputError, UsageError, formatDiagnostic } from '../profile/diagnostics.js';
import type { Io } from './context.js';

export function reportError(err: unknown, io: Io): number {
  if (err instanceof InputError) {
    for (const d of err.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    return 3;
  }
  if (err instanceof UsageError || (err as Error)?.name === 'YError') {
    io.stderr.write(`migcheck: ${(err as Error).message}\nRun 'migcheck --help' for usage.\n`);
    return 3;
  }
  if (io.env.MIGCHECK_DEBUG === '1') io.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  else io.stderr.write(`migcheck: internal error: ${(err as Error)?.message ?? String(err)}. This is a bug; please report it with the command and profiles (MIGCHECK_DEBUG=1 shows the stack).\n`);
  return 4;
}
