// linux-X.Y profiles, derived from kb/kernel-timeline.yaml: the baseline plus every
// change up to and including X.Y, each field remembering which change set it. A full
// version (5.4.190) also takes the stable backports of its series up to that version.
import type { KernelModel, PsciModel, RegisterEntry } from '../model.js';
import { kb, type TimelineChange } from './data.js';
import { compareVersions, digitsAt, releaseOf } from './version.js';

const timeline = kb.kernel;
export const kernelReleases: readonly string[] = timeline.releases;

type Scalars = Omit<KernelModel, 'name' | 'version' | 'release' | 'registers' | 'psci' | 'services' | 'sources' | 'backports'>;
const SCALARS = ['wa2Scheme', 'stolenTime', 'writableIdRegs', 'writableImpIdRegs', 'targetImplCpus', 'bhbScheme'] as const satisfies readonly (keyof Scalars)[];

interface Draft {
  registers: Map<string, RegisterEntry>;
  psci: PsciModel;
  services: string[];
  scalars: Scalars;
  sources: Record<string, string>;
}

const cite = (c: { release: string; reference: string }) => `linux ${c.release}: ${c.reference}`;

function applyChange(d: Draft, c: TimelineChange, src = cite(c)): void {
  for (const r of c.add ?? []) {
    d.registers.set(r, { name: r });
    d.sources[`registers.${r}`] = src;
  }
  for (const r of c.remove ?? []) {
    d.registers.delete(r);
    d.sources[`registers.${r}`] = src;
  }
  for (const [r, cond] of Object.entries(c.condition ?? {})) {
    if (!d.registers.has(r)) continue;
    d.registers.set(r, { name: r, condition: cond });
    d.sources[`registers.${r}`] = src;
  }
  for (const s of c.addServices ?? []) {
    d.services = [...d.services, s];
    d.sources[`services.${s}`] = src;
  }
  if (c.psci) {
    const p = c.psci;
    d.psci = {
      versions: [...d.psci.versions, ...(p.addVersions ?? [])],
      default: p.default ?? d.psci.default,
      pinnable: p.pinnable ?? d.psci.pinnable,
      pinVia: (p.pinVia as PsciModel['pinVia']) ?? d.psci.pinVia,
    };
    d.sources.psci = src;
  }
  for (const [k, v] of Object.entries(c.set ?? {})) {
    (d.scalars as unknown as Record<string, unknown>)[k] = v;
    d.sources[k] = src;
  }
}

function baselineDraft(): Draft {
  const b = timeline.baseline as unknown as Scalars & { registers: string[]; psci: Omit<PsciModel, 'pinVia'>; services: string[] };
  const src = cite(timeline.baseline);
  return {
    registers: new Map(b.registers.map((r) => [r, { name: r }])),
    psci: { ...b.psci, pinVia: 'none' },
    services: [...b.services],
    scalars: Object.fromEntries(SCALARS.map((k) => [k, b[k]])) as unknown as Scalars,
    sources: {
      ...Object.fromEntries(['registers', 'psci'].map((k) => [k, src])),
      ...Object.fromEntries(['services', ...SCALARS].map((k) => [k, `linux ${timeline.baseline.release}: baseline value, no change in the timeline up to this release`])),
    },
  };
}

// The mainline replay, kept at each release it was asked for (before any backports): a later
// release goes on from the nearest one below it rather than from the baseline. The gate
// builds an older and a newer kernel, and the second replay cost it ~0.2 ms and ~30 KB of
// garbage. This relies on the changes being in release order: the build stops on a timeline
// that is not (scripts/build.mjs), and test/kb/timeline.test.ts checks it too.
// test/kb/kernel-replay.test.ts holds the models to the plain replay for every release and
// stable version, in any order.
let replays: { end: number; draft: Draft }[] | undefined;

// a draft another replay can go on from: what applyChange mutates in place is copied (it
// replaces psci and services rather than changing them)
const copyDraft = (d: Draft): Draft => ({ registers: new Map(d.registers), psci: d.psci, services: d.services, scalars: { ...d.scalars }, sources: { ...d.sources } });

/** The plain replay: the baseline, then every change up to the release. */
function replayedDraft(release: string): Draft {
  const d = baselineDraft();
  for (const c of timeline.changes) if (compareVersions(c.release, release) <= 0) applyChange(d, c);
  return d;
}

function mainlineDraft(release: string): Draft {
  const changes = timeline.changes;
  let end = 0;
  while (end < changes.length && compareVersions(changes[end]!.release, release) <= 0) end++;
  replays ??= [{ end: 0, draft: baselineDraft() }];
  let from = replays[0]!;
  for (const r of replays) if (r.end <= end && r.end > from.end) from = r;
  const d = copyDraft(from.draft);
  for (let i = from.end; i < end; i++) applyChange(d, changes[i]!);
  if (from.end !== end) replays.push({ end, draft: copyDraft(d) });
  return d;
}

function build(release: string, version: string, stable: string, kept = true): KernelModel {
  const d = kept ? mainlineDraft(release) : replayedDraft(release);
  const backports: string[] = [];
  for (const b of stableBackports(stable)) {
    const c = timeline.changes.find((x) => x.id === b.change)!;
    if (compareVersions(c.release, release) <= 0) continue; // already in this mainline release
    const src = `linux ${b.since} (stable backport of ${c.release}): ${b.reference}`;
    applyChange(d, c, src);
    d.sources[`backports.${b.change}`] = src;
    backports.push(b.change);
  }
  return {
    name: `linux-${version}`,
    version,
    release,
    registers: [...d.registers.values()],
    psci: d.psci,
    services: d.services,
    ...d.scalars,
    backports,
    sources: d.sources,
  };
}

/** Stable backports a full version X.Y.Z carries (none for a bare X.Y). */
function stableBackports(version: string) {
  const series = releaseOf(version);
  if (version === series) return [];
  return (timeline.backports ?? []).filter((b) => b.series === series && compareVersions(b.since, version) <= 0);
}

const cache = new Map<string, KernelModel>();

/** X.Y, X.Y.Z, and either with a distribution suffix (6.1.192-3, 5.15.0-91-generic, 5.14.0-427.el9.aarch64) */
export const KERNEL_VERSION = /^(\d{1,4}\.\d{1,4})(\.\d{1,6})?(?:[-+~_][\w.+~-]*)?$/;

/**
 * KERNEL_VERSION's groups, [X.Y, .Z or undefined], without running it: the gate reads ~10
 * versions, and the expression cost it ~0.2 ms to compile (twice: V8 compiles it natively on
 * its second use). test/kb/kernel-version.test.ts holds the two alike on random strings.
 */
export function kernelVersionParts(version: string): [string, string | undefined] | undefined {
  const n = version.length;
  const x = digitsAt(version, 0);
  if (x === 0 || x > 4 || version.charCodeAt(x) !== 46) return undefined;
  const y = digitsAt(version, x + 1);
  if (y === x + 1 || y - x - 1 > 4) return undefined;
  let at = y;
  let z: string | undefined;
  if (version.charCodeAt(at) === 46) {
    const e = digitsAt(version, at + 1);
    // .Z is 1-6 digits; a '.' that starts no Z is not a suffix either ([-+~_] starts one)
    if (e === at + 1 || e - at - 1 > 6) return undefined;
    z = version.slice(at, e);
    at = e;
  }
  if (at < n) {
    const c = version.charCodeAt(at);
    if (c !== 45 && c !== 43 && c !== 126 && c !== 95) return undefined;
    for (let i = at + 1; i < n; i++) if (!suffixChar(version.charCodeAt(i))) return undefined;
  }
  return [version.slice(0, y), z];
}

/** [\w.+~-]: what a distribution suffix may hold after its first character */
const suffixChar = (c: number) => (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 95 || c === 46 || c === 43 || c === 126 || c === 45;

/** The upstream stable version a kernel version names: X.Y.Z, or X.Y for a bare release (6.1.192-3 -> 6.1.192). */
export function stableVersion(version: string): string | undefined {
  const m = kernelVersionParts(version);
  return m ? `${releaseOf(m[0])}${m[1] ?? ''}` : undefined;
}

/**
 * What a distribution version leaves unsaid. Its patch level is the upstream stable version
 * when it has one (Debian's package version 6.1.192-3 is 6.1.192); Debian's ABI names
 * (6.1.0-13-arm64), Ubuntu's (5.15.0-91-generic) and RHEL's (5.14.0-427.el9) keep .0 whatever
 * they backported, so those are read as mainline X.Y.0 and say so.
 */
export function distributionAssumption(version: string): string | undefined {
  const m = kernelVersionParts(version);
  if (!m || m[1] !== '.0' || version === m[0] + m[1]) return undefined;
  return `${version} read as mainline ${releaseOf(m[0])}.0 without backports (the name does not say which stable version it is based on); probe the host, or give upstream: ${releaseOf(m[0])}.x`;
}

/**
 * The derived profile of a mainline release X.Y or a stable version X.Y.Z (its X.Y plus
 * the backports up to Z); undefined if X.Y is not in the timeline.
 */
export function mainlineKernel(version: string): KernelModel | undefined {
  let k = cache.get(version);
  if (!k) {
    k = kernelModel(version, true);
    if (k) cache.set(version, k);
  }
  return k;
}

/** mainlineKernel without the kept replays or the cache: what test/kb/kernel-replay.test.ts holds it to. */
export const replayedKernel = (version: string): KernelModel | undefined => kernelModel(version, false);

function kernelModel(version: string, kept: boolean): KernelModel | undefined {
  const m = kernelVersionParts(version);
  if (!m || !kernelReleases.includes(releaseOf(m[0]))) return undefined;
  const k = build(releaseOf(m[0]), version, stableVersion(version)!, kept);
  const assumption = distributionAssumption(version);
  return assumption ? { ...k, assumption } : k;
}
