// The kernel's release, and the upstream stable version a distribution kernel is based on
// (its osrelease often hides it: Ubuntu 5.15.0-125-generic is 5.15.167, Debian 6.1.0-27 is 6.1.115).
import type { HostTree } from './tree.js';
import { ProbeError } from './tree.js';

export interface KernelRelease {
  /** X.Y.Z the knowledge base resolves (stable backports by point release) */
  readonly version: string;
  /** what the host calls it */
  readonly name: string;
  /** /proc/sys/kernel/osrelease as is (names /boot/config-<osrelease>) */
  readonly osrelease: string;
  readonly evidence: string;
}

const XYZ = /^(\d+)\.(\d+)(?:\.(\d+))?/;

export function kernelRelease(tree: HostTree): KernelRelease {
  const osrelease = tree.line('/proc/sys/kernel/osrelease');
  const m = osrelease && XYZ.exec(osrelease);
  if (!osrelease || !m) throw new ProbeError(`${tree.shown('/proc/sys/kernel/osrelease')}: ${osrelease === undefined ? 'cannot read it' : `'${osrelease}' is not a kernel release`}`);
  const own = `${m[1]}.${m[2]}.${m[3] ?? 0}`;
  // Ubuntu: "Ubuntu 5.15.0-125.135-generic 5.15.167" (last field: the upstream version)
  const signature = tree.line('/proc/version_signature');
  const ubuntu = signature && /\s(\d+\.\d+\.\d+)$/.exec(signature);
  if (ubuntu && ubuntu[1]!.startsWith(`${m[1]}.${m[2]}.`))
    return { version: ubuntu[1]!, osrelease, name: `${osrelease} (${signature})`, evidence: `/proc/sys/kernel/osrelease ${osrelease}; /proc/version_signature: ${signature}` };
  // Debian: "... Debian 6.1.115-1 (2024-11-01)" in /proc/version
  const procVersion = tree.line('/proc/version');
  // (the compiler's "(Debian 12.2.0-14)" comes first: take the one of this series)
  const debian = [...(procVersion ?? '').matchAll(/\bDebian (\d+\.\d+\.\d+)[-+~]\S*/g)].find((d) => d[1]!.startsWith(`${m[1]}.${m[2]}.`));
  if (debian)
    return { version: debian[1]!, osrelease, name: `${osrelease} (${debian[0]})`, evidence: `/proc/sys/kernel/osrelease ${osrelease}; /proc/version: ${debian[0]}` };
  return { version: own, osrelease, name: osrelease, evidence: `/proc/sys/kernel/osrelease ${osrelease}` };
}
