// qemu-X.Y profiles, derived from kb/vmm-timeline.yaml like the kernel profiles, and
// the versioned machine types (virt-X.Y) each release registers.
import type { MachineTypes, Tolerance, VmmModel } from '../model.js';
import { kb } from './data.js';
import { compareVersions, digitsAt } from './version.js';

const timeline = kb.vmm;
export const vmmReleases: readonly string[] = timeline.releases;
export const machineTypeData = timeline.machineTypes;
const cache = new Map<string, VmmModel>();

/** The X.Y of an upstream `virt-X.Y`, else undefined (the alias, a distribution's `virt-rhel9.4.0`). */
export function machineTypeVersion(type: string): string | undefined {
  // /^virt-(\d+\.\d+)$/ as string tests: start-up compiles no expression for it
  // (test/profile/plain-matchers.test.ts holds the two alike)
  if (!type.startsWith('virt-')) return undefined;
  const a = digitsAt(type, 5);
  const b = a > 5 && type.charCodeAt(a) === 46 ? digitsAt(type, a + 1) : a;
  const v = b > a + 1 && b === type.length ? type.slice(5) : undefined;
  return v !== undefined && machineTypeData.types.includes(v) ? v : undefined;
}

/** Upstream QEMU X.Y: virt-<oldest> … virt-X.Y, those up to deprecatedUpTo deprecated (kb rows). */
function upstreamMachineTypes(release: string): { types: MachineTypes; source: string } {
  const row = machineTypeData.releases.find((r) => r.release === release);
  if (!row) throw new Error(`kb/vmm-timeline.yaml machineTypes.releases has no row for ${release}`);
  const inRange = machineTypeData.types.filter((t) => compareVersions(t, row.oldest) >= 0 && compareVersions(t, release) <= 0);
  const dep = row.deprecatedUpTo;
  return {
    types: {
      newest: `virt-${release}`,
      registered: inRange.map((t) => `virt-${t}`),
      deprecated: dep ? inRange.filter((t) => compareVersions(t, dep) <= 0).map((t) => `virt-${t}`) : [],
    },
    source: `qemu ${release} machine types (${row.status}): ${row.reference}`,
  };
}

/** The settings the guest's machine type pins (only upstream types: a distribution's own are not in the kb). */
export function machineTypePins(type: string): { stealTimeOff?: { reference: string } } {
  const v = machineTypeVersion(type);
  if (!v) return {};
  const s = machineTypeData.settings.find((x) => x.pins?.stealTime === 'off' && compareVersions(v, x.upTo) <= 0);
  return s ? { stealTimeOff: { reference: s.reference } } : {};
}

/** The newest type every one of these QEMUs registers (what a fleet should pin), if any. */
export function commonMachineType(vmms: readonly VmmModel[]): string | undefined {
  const [first, ...rest] = vmms.map((v) => v.machineTypes.registered);
  return first?.filter((t) => rest.every((r) => r.includes(t))).at(-1);
}

export function qemuRelease(release: string): VmmModel | undefined {
  if (!vmmReleases.includes(release)) return undefined;
  let v = cache.get(release);
  if (v) return v;
  const b = timeline.baseline as unknown as Omit<VmmModel, 'name' | 'version' | 'sources' | 'machineTypes'>;
  const baseSrc = `qemu ${timeline.baseline.release}: ${timeline.baseline.reference}`;
  const d: Record<string, unknown> = { ...b, tolerances: [...b.tolerances] };
  const sources: Record<string, string> = Object.fromEntries(
    ['migratesListedRegisters', 'tolerances', 'stealTime', 'canSet', 'pmuDefault', 'setRegisterError', 'kvmOptions'].map((k) => [k, baseSrc]),
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
  // the baseline value is the absence of a change: say which entries lift it
  if (sources.kvmOptions === baseSrc) sources.kvmOptions = 'qemu 4.2: with KVM, mte=on is refused before 9.2 and virtualization=on before 10.1 (kb/vmm-timeline.yaml 9.2 and 10.1 entries)';
  const mt = upstreamMachineTypes(release);
  sources.machineTypes = mt.source;
  v = { ...(d as unknown as VmmModel), machineTypes: mt.types, name: `qemu-${release}`, version: release, sources };
  cache.set(release, v);
  return v;
}
