// The process's streams as commands see them (tests pass their own).
import type { Io } from './context.js';

export const processIo = (): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
});
