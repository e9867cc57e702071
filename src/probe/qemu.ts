// The VMM: `qemu-system-aarch64 --version` ("QEMU emulator version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1.4)").
import { execFileSync } from 'node:child_process';
import { CAPS, ProbeError, assertPrintable, firstUnprintable } from './tree.js';

const QEMU_TIMEOUT_MS = 10_000;

export interface ProbedQemu {
  readonly version: string;
  readonly release: string;
  /** the package the distribution built it as, if it says */
  readonly package?: string;
  readonly evidence: string;
}

/** `file`: the captured output's path, where a refusal is located. */
export function parseQemuVersion(text: string, from: string, file?: string): ProbedQemu {
  // one line: the package name in parentheses is free text the profile quotes
  const m = /QEMU emulator version (\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(?:[ \t]*\(([^)\n]{0,200})\))?/.exec(text);
  if (!m) throw new ProbeError(`${from}: no 'QEMU emulator version X.Y.Z' in its output`);
  if (file) assertPrintable(m[0], 'the version line', file, text, m.index);
  else if (firstUnprintable(m[0]) >= 0) throw new ProbeError(`${from}: the version line has a control or non-text character`);
  const version = `${m[1]}.${m[2]}.${m[3] ?? 0}`;
  return { version, release: `${m[1]}.${m[2]}`, ...(m[4] ? { package: m[4] } : {}), evidence: `${from}: ${m[0]}` };
}

/** Run the binary (no shell); a missing binary is a clean ProbeError. */
export function runQemuVersion(binary: string): ProbedQemu {
  let out: string;
  try {
    // bounded: `--version` prints two lines within a second; a binary that does not end or
    // floods is killed (SIGKILL: one that ignores SIGTERM must not hang the probe)
    out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: QEMU_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: CAPS.qemuVersion, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProbeError(
      code === 'ENOENT'
        ? `${binary}: not found; pass --qemu PATH, or --vmm NAME for a shipped VMM profile`
        : code === 'ENOBUFS'
          ? `${binary} --version wrote more than ${CAPS.qemuVersion} bytes; not QEMU? pass --vmm NAME for a shipped VMM profile`
          : code === 'ETIMEDOUT' || (err as { signal?: string }).signal === 'SIGKILL'
            ? `${binary} --version did not finish within ${QEMU_TIMEOUT_MS / 1000} s; pass --vmm NAME for a shipped VMM profile`
            : `${binary} --version failed: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return parseQemuVersion(out, `${binary} --version`);
}
