// Kernel/QEMU version strings: "5.4.190" -> release "5.4"; ordering by numeric parts.

export function releaseOf(version: string): string {
  // /^(\d+)\.(\d+)/ spelled out: a regular expression costs start-up ~50 us to compile, twice
  // (V8 compiles it again natively on its second use); test/kb/version-order.test.ts holds the two alike
  const a = digitsAt(version, 0);
  if (a === 0 || version.charCodeAt(a) !== 46) return version;
  const b = digitsAt(version, a + 1);
  return b === a + 1 ? version : `${Number(version.slice(0, a))}.${Number(version.slice(a + 1, b))}`;
}

/** where the run of ASCII digits from `i` ends */
export function digitsAt(s: string, i: number): number {
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i;
}

/** The upstream patch level of a version: 5.4.190 -> 190, 5.4 and 5.4.0-150-generic -> 0 (suffixes are the distribution's). */
export function patchOf(version: string): number {
  const m = /^\d+\.\d+\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 0;
}

/**
 * Versions that are digit runs (1-15 digits) joined by '.' or '-' — every KB and probed
 * version — compared in one pass without the arrays (a check compares ~1,000 at start-up);
 * anything else by versionOrder, as before. test/kb/version-order.test.ts holds the two to
 * the same result on random strings.
 */
export function compareVersions(a: string, b: string): number {
  if (!plainVersion(a) || !plainVersion(b)) return versionOrder(a, b);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // the next part of each; a side with no parts left reads 0
    let x = 0;
    let y = 0;
    for (let c; i < a.length && (c = a.charCodeAt(i)) !== 46 && c !== 45; i++) x = x * 10 + c - 48;
    for (let c; j < b.length && (c = b.charCodeAt(j)) !== 46 && c !== 45; j++) y = y * 10 + c - 48;
    if (x !== y) return x - y;
    i++;
    j++;
  }
  return 0;
}

/** digit runs of 1-15 digits (exact as numbers) joined by single '.' or '-' */
function plainVersion(s: string): boolean {
  let digits = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      if (++digits > 15) return false;
    } else if ((c === 46 || c === 45) && digits > 0) digits = 0;
    else return false;
  }
  return digits > 0;
}

/** Numeric parts split at '.' and '-', a missing part 0; a part that is not a number makes the two equal. */
export function versionOrder(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (Number.isNaN(d)) return 0;
    if (d !== 0) return d;
  }
  return 0;
}
