// qemu-X.Y profiles, derived from kb/vmm-timeline.yaml like the kernel profiles.
import type { Tolerance, VmmModel } from '../model.js';
import { kb } from './data.js';
import { compareVersions } from './version.js';

const timeline = kb.vmm;
export const vmmReleases: readonly string[] = timeline.releases;
const cache = new Map<string, VmmModel>();

export function qemuRelease(release: string): VmmModel | undefined {
  if (!vmmReleases.includes(release)) return undefined;
  let v = cache.get(release);
  if (v) return v;
  const b = timeline.baseline as unknown as Omit<VmmModel, 'name' | 'version' | 'sources'>;
  const baseSrc = `qemu ${timeline.baseline.release}: ${timeline.baseline.reference}`;
  const d: Record<string, unknown> = { ...b, tolerances: [...b.tolerances] };
  const sources: Record<string, string> = Object.fromEntries(
    ['migratesListedRegisters', 'tolerances', 'stealTime', 'canSet', 'pmuDefault', 'setRegisterError'].map((k) => [k, baseSrc]),
  );
  for (const c of timeline.changes) {
    if (compareVersions(c.release, release) > 0) continue;
    const src = `qemu ${c.release}: ${c.reference}`;
    for (const [k, val] of Object.entries(c.set ?? {})) {
      d[k] = val;
      sources[k] = src;
    }
    if (c.addTolerances) {
      d.tolerances = [...(d.tolerances as Tolerance[]), ...(c.addTolerances as Tolerance[])];
      sources.tolerances = src;
    }
  }
  v = { ...(d as unknown as VmmModel), name: `qemu-${release}`, version: release, sources };
  cache.set(release, v);
  return v;
}
