// Kernel/QEMU version strings: "5.4.190" -> release "5.4"; ordering by numeric parts.

export function releaseOf(version: string): string {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? `${Number(m[1])}.${Number(m[2])}` : version;
}

/** The upstream patch level of a version: 5.4.190 -> 190, 5.4 and 5.4.0-150-generic -> 0 (suffixes are the distribution's). */
export function patchOf(version: string): number {
  const m = /^\d+\.\d+\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 0;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (Number.isNaN(d)) return 0;
    if (d !== 0) return d;
  }
  return 0;
}
