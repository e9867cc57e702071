// The kernel's release, and the upstream stable version a distribution kernel is based on
// (its osrelease often hides it: Ubuntu 5.15.0-125-generic is 5.15.167, Debian 6.1.0-27 is 6.1.115).
import type { HostTree } from './tree.js';
import { ProbeError } from './tree.js';
import { clip } from '../profile/diagnostics.js';
import { distributionAssumption } from '../kb/kernels.js';

export interface KernelRelease {
  /** X.Y.Z the knowledge base resolves (stable backports by point release), or the release itself when nothing names its upstream version */
  readonly version: string;
  /** what the host calls it */
  readonly name: string;
  /** /proc/sys/kernel/osrelease as is (names /boot/config-<osrelease>) */
  readonly osrelease: string;
  readonly evidence: string;
}

const XYZ = /^(\d+)\.(\d+)(?:\.(\d+))?/;
const OSRELEASE = '/proc/sys/kernel/osrelease';
/** the kernel's utsname fields hold at most 64 characters (__NEW_UTS_LEN) */
const UTS_LEN = 64;

/**
 * The release names a file (/boot/config-<release>) and is written into the profile: one
 * printable word of at most 64 characters, no path separator, no '..'.
 */
function checkRelease(tree: HostTree, osrelease: string): void {
  const refuse = (why: string, index = 0) => tree.refuse(OSRELEASE, `'${clip(osrelease, 40)}' ${why}`, 1, index + 1);
  if (osrelease.length > UTS_LEN) throw refuse(`is ${osrelease.length} characters; a kernel release is at most ${UTS_LEN}`, UTS_LEN);
  const bad = osrelease.search(/[^\x21-\x7e]|\/|\.\./);
  if (bad >= 0) throw refuse(osrelease.startsWith('..', bad) || osrelease[bad] === '/' ? "is not a kernel release: it would name a path outside /boot ('/' or '..')" : 'is not a kernel release: a space or a character outside printable ASCII', bad);
}

/** A free-text line the profile quotes: refused past a length no kernel writes (both are ~60-250 characters). */
function bounded(tree: HostTree, path: string, max: number): string | undefined {
  const text = tree.line(path);
  if (text !== undefined && text.length > max) throw tree.refuse(path, `${text.length} characters on one line; the kernel writes far fewer there (at most ${max} accepted)`, 1, max + 1);
  return text;
}

export function kernelRelease(tree: HostTree): KernelRelease {
  const osrelease = tree.line(OSRELEASE);
  const m = osrelease && XYZ.exec(osrelease);
  if (!osrelease || !m) throw new ProbeError(`${tree.shown(OSRELEASE)}: ${osrelease === undefined ? 'cannot read it' : `'${osrelease}' is not a kernel release`}`);
  checkRelease(tree, osrelease);
  const own = `${m[1]}.${m[2]}.${m[3] ?? 0}`;
  // Ubuntu: "Ubuntu 5.15.0-125.135-generic 5.15.167" (last field: the upstream version)
  const signature = bounded(tree, '/proc/version_signature', 256);
  const ubuntu = signature && /\s(\d+\.\d+\.\d+)$/.exec(signature);
  if (ubuntu && ubuntu[1]!.startsWith(`${m[1]}.${m[2]}.`))
    return { version: ubuntu[1]!, osrelease, name: `${osrelease} (${signature})`, evidence: `/proc/sys/kernel/osrelease ${osrelease}; /proc/version_signature: ${signature}` };
  // Debian: "... Debian 6.1.115-1 (2024-11-01)" in /proc/version
  const procVersion = bounded(tree, '/proc/version', 1024);
  // (the compiler's "(Debian 12.2.0-14)" comes first: take the one of this series)
  const debian = [...(procVersion ?? '').matchAll(/\bDebian (\d+\.\d+\.\d+)[-+~]\S*/g)].find((d) => d[1]!.startsWith(`${m[1]}.${m[2]}.`));
  if (debian)
    return { version: debian[1]!, osrelease, name: `${osrelease} (${debian[0]})`, evidence: `/proc/sys/kernel/osrelease ${osrelease}; /proc/version: ${debian[0]}` };
  // no upstream version anywhere (RHEL 5.14.0-427.el9): keep the release, so the profile says
  // it is read as mainline X.Y.0 rather than claim to be that kernel
  const version = distributionAssumption(osrelease) ? osrelease : own;
  return { version, osrelease, name: osrelease, evidence: `/proc/sys/kernel/osrelease ${osrelease}` };
}
