// linux-X.Y profiles, derived from kb/kernel-timeline.yaml: the baseline plus every
// change up to and including X.Y, each field remembering which change set it.
import type { KernelModel, PsciModel, RegisterEntry } from '../model.js';
import { kb, type TimelineChange } from './data.js';
import { compareVersions } from './version.js';

const timeline = kb.kernel;
export const kernelReleases: readonly string[] = timeline.releases;

interface Draft {
  registers: Map<string, RegisterEntry>;
  psci: PsciModel;
  wa2Scheme: KernelModel['wa2Scheme'];
  services: string[];
  stolenTime: KernelModel['stolenTime'];
  writableImpIdRegs: boolean;
  targetImplCpus: boolean;
  sources: Record<string, string>;
}

const cite = (c: { release: string; reference: string }) => `linux ${c.release}: ${c.reference}`;

function applyChange(d: Draft, c: TimelineChange): void {
  const src = cite(c);
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
  if (c.addServices) {
    d.services = [...d.services, ...c.addServices];
    for (const s of c.addServices) d.sources[`services.${s}`] = src;
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
    (d as unknown as Record<string, unknown>)[k] = v;
    d.sources[k] = src;
  }
}

function baselineDraft(): Draft {
  const b = timeline.baseline as unknown as {
    registers: string[];
    psci: { versions: string[]; default: string; pinnable: boolean };
    wa2Scheme: KernelModel['wa2Scheme'];
    services: string[];
    stolenTime: KernelModel['stolenTime'];
    writableImpIdRegs: boolean;
    targetImplCpus: boolean;
  };
  const src = cite(timeline.baseline);
  return {
    registers: new Map(b.registers.map((r) => [r, { name: r }])),
    psci: { ...b.psci, pinVia: 'none' },
    wa2Scheme: b.wa2Scheme,
    services: [...b.services],
    stolenTime: b.stolenTime,
    writableImpIdRegs: b.writableImpIdRegs,
    targetImplCpus: b.targetImplCpus,
    sources: Object.fromEntries(
      ['registers', 'psci', 'wa2Scheme', 'services', 'stolenTime', 'writableImpIdRegs', 'targetImplCpus'].map((k) => [k, src]),
    ),
  };
}

const cache = new Map<string, KernelModel>();

/** The derived profile of mainline release X.Y, or undefined if X.Y is not in the timeline. */
export function mainlineKernel(release: string): KernelModel | undefined {
  if (!kernelReleases.includes(release)) return undefined;
  let k = cache.get(release);
  if (!k) {
    const d = baselineDraft();
    for (const c of timeline.changes) if (compareVersions(c.release, release) <= 0) applyChange(d, c);
    k = {
      name: `linux-${release}`,
      version: release,
      release,
      registers: [...d.registers.values()],
      psci: d.psci,
      wa2Scheme: d.wa2Scheme,
      services: d.services,
      stolenTime: d.stolenTime,
      writableImpIdRegs: d.writableImpIdRegs,
      targetImplCpus: d.targetImplCpus,
      sources: d.sources,
    };
    cache.set(release, k);
  }
  return k;
}
