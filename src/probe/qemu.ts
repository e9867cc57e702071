// The VMM: `qemu-system-aarch64 --version` ("QEMU emulator version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1.4)").
import { execFileSync } from 'node:child_process';
import { ProbeError } from './tree.js';

export interface ProbedQemu {
  readonly version: string;
  readonly release: string;
  /** the package the distribution built it as, if it says */
  readonly package?: string;
  readonly evidence: string;
}

export function parseQemuVersion(text: string, from: string): ProbedQemu {
  const m = /QEMU emulator version (\d+)\.(\d+)(?:\.(\d+))?(?:\s*\(([^)]*)\))?/.exec(text);
  if (!m) throw new ProbeError(`${from}: no 'QEMU emulator version X.Y.Z' in its output`);
  const version = `${m[1]}.${m[2]}.${m[3] ?? 0}`;
  return { version, release: `${m[1]}.${m[2]}`, ...(m[4] ? { package: m[4] } : {}), evidence: `${from}: ${m[0]}` };
}

/** Run the binary (no shell); a missing binary is a clean ProbeError. */
export function runQemuVersion(binary: string): ProbedQemu {
  let out: string;
  try {
    out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProbeError(
      code === 'ENOENT'
        ? `${binary}: not found; pass --qemu PATH, or --vmm NAME for a shipped VMM profile`
        : `${binary} --version failed: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return parseQemuVersion(out, `${binary} --version`);
}
