// Hosts that every rule would treat the same are grouped by a signature of what the
// rules read (kernel, VMM, CPUs, mitigations, probed overrides — not names or sources), so fleet reports
// cost grows with distinct profiles, not with host count.
import type { FleetModel, HostModel } from '../model.js';
import { acceptanceLevel, idEra } from '../kb/id-registers.js';

const signatures = new WeakMap<HostModel, string>();

const canonical = (_k: string, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v);
/**
 * JSON.stringify(v, canonical): without the replacer first (a function call per value: a kernel
 * model's register lists are thousands), which only a bigint stops; the replacer changes nothing else.
 */
const json = (v: unknown): string | undefined => {
  try {
    return JSON.stringify(v);
  } catch {
    return JSON.stringify(v, canonical);
  }
};
/** JSON for comparing models (bigints as hex). */
export const modelJson = (v: unknown) => json(v) ?? 'undefined';
const omit = ({ name: _n, sources: _s, ...rest }: { name: string; sources: unknown }) => rest;

// A host's parts are shared: the knowledge base makes one model per kernel and VMM release, so a
// fleet of 200 profiles has some 20 kernels, and a kernel's JSON (its register list) is most of a
// signature. Each frozen part's JSON is made once; an element's JSON inside an array is the JSON of
// the element alone (`null` for undefined, the replacer seeing the same value), so the joined parts
// are the very string modelJson gives for the array (test/property/group-signature.test.ts).
const labelledJson = new WeakMap<object, string>();
const partJson = new WeakMap<object, string>();
function part(v: unknown, labelled: boolean): string {
  const made = () => json(labelled ? omit(v as { name: string; sources: unknown }) : v) ?? 'null';
  if (v === null || typeof v !== 'object' || !Object.isFrozen(v)) return made();
  const cache = labelled ? labelledJson : partJson;
  let s = cache.get(v);
  if (s === undefined) cache.set(v, (s = made()));
  return s;
}

/** modelJson([kernel, vmm (both without name and sources), cpu, otherCpus, mitigations, probed, idRegisters]) */
export function signature(h: HostModel): string {
  let s = signatures.get(h);
  if (s === undefined) {
    s = `[${part(h.kernel, true)},${part(h.vmm, true)},${part(h.cpu, false)},${part(h.otherCpus, false)},${part(h.mitigations, false)},${part(h.probed, false)},${part(h.idRegisters, false)}]`;
    signatures.set(h, s);
  }
  return s;
}

const omitLabels = ({ name: _n, sources: _s, version: _v, release: _r, backports: _b, ...rest }: { name: string; sources: unknown; version: string; release?: string; backports?: unknown }) => rest;
const verdictSignatures = new WeakMap<HostModel, string>();

/**
 * Coarser than signature(): also without the version labels and the machine-type list
 * (callers add what the list means for their guest's type: machineTypeView) (version, release, backports),
 * which rules quote in messages but never decide on — except the ID-register tables, whose
 * entries in force (idEra) are part of the signature. Two hosts with one verdict signature get
 * the same verdict from every pair, so a grid of releases (fence) assesses each distinct
 * behaviour once; reasons are still worded from the real hosts.
 */
export function verdictSignature(h: HostModel): string {
  let s = verdictSignatures.get(h);
  if (s === undefined) {
    // the same string as modelJson of the list (see part): a kernel's and a VMM's views once per model
    s = `[${view(kernelViews, h.kernel, omitLabels)},${view(vmmViews, h.vmm, vmmView)},${part(h.cpu, false)},${part(h.otherCpus, false)},${part(h.mitigations, false)},${part(h.probed, false)},${part(h.idRegisters, false)},${json(idEra(h.kernel.release, h.vmm.version, acceptanceLevel(h.kernel))) ?? 'null'}]`;
    verdictSignatures.set(h, s);
  }
  return s;
}

const vmmView = ({ machineTypes: _m, ...vmm }: HostModel['vmm']) => omitLabels(vmm);
const kernelViews = new WeakMap<object, string>();
const vmmViews = new WeakMap<object, string>();
function view<T extends object>(cache: WeakMap<object, string>, v: T, f: (v: T) => unknown): string {
  if (!Object.isFrozen(v)) return json(f(v)) ?? 'null';
  let s = cache.get(v);
  if (s === undefined) cache.set(v, (s = json(f(v)) ?? 'null'));
  return s;
}

/** What a QEMU's machine-type list means for one guest type (or the alias): all a verdict reads of it. */
export function machineTypeView(h: HostModel, type: string | undefined): string {
  const mt = h.vmm.machineTypes;
  if (type === undefined) return modelJson(mt);
  if (type === 'virt') return `newest ${mt.newest}`;
  return `${mt.registered.includes(type) ? 'R' : '-'}${mt.deprecated.includes(type) ? 'D' : '-'}`;
}

/**
 * A fleet's hosts with their counts; with targets, each upgradeTo as well (same count). The
 * fleet's own entries stand for themselves (a FleetEntry is a host and its count): no new
 * object per entry.
 */
export function fleetEntries(fleet: FleetModel, withTargets: boolean): { host: HostModel; count: number }[] {
  const hosts = fleet.hosts;
  const out: { host: HostModel; count: number }[] = [];
  for (let i = 0; i < hosts.length; i++) {
    const e = hosts[i]!;
    out.push(e);
    if (withTargets && e.upgradeTo) out.push({ host: e.upgradeTo, count: e.count });
  }
  return out;
}

export interface HostGroup {
  /** 1-based, in order of first appearance: the label used in grids */
  readonly id: number;
  /** distinct hosts (by name) with this signature, in order of appearance */
  readonly hosts: readonly HostModel[];
  readonly count: number;
  /** the host whose model stands for the group */
  readonly rep: HostModel;
}

export function groupHosts(entries: readonly { readonly host: HostModel; readonly count: number }[]): HostGroup[] {
  const bySig = new Map<string, { hosts: HostModel[]; names: Set<string>; count: number }>();
  // a fleet of 100,000 entries names a few hundred models: each model's group is found once
  const byHost = new Map<HostModel, { hosts: HostModel[]; names: Set<string>; count: number }>();
  for (let i = 0; i < entries.length; i++) {
    const { host, count } = entries[i]!;
    let g = byHost.get(host);
    if (g === undefined) {
      const sig = signature(host);
      g = bySig.get(sig);
      if (!g) bySig.set(sig, (g = { hosts: [], names: new Set(), count: 0 }));
      if (!g.names.has(host.name)) {
        g.names.add(host.name);
        g.hosts.push(host);
      }
      byHost.set(host, g);
    }
    g.count += count;
  }
  return [...bySig.values()].map((g, i) => ({ id: i + 1, hosts: g.hosts, count: g.count, rep: g.hosts[0]! }));
}

/** "a, b, c +2 more" */
export function groupLabel(g: HostGroup, max = 3): string {
  const names = g.hosts.map((h) => h.name);
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} +${names.length - max} more`;
}

/** Ordered host pairs a group pair stands for (a host never migrates to itself). */
export const pairWeight = (a: HostGroup, b: HostGroup) => (a === b ? a.count * (a.count - 1) : a.count * b.count);
/** pairWeight of every ordered pair of groups, [i * groups + j] (what VerdictGrid.weighted sums) */
export function pairWeights(groups: readonly HostGroup[]): Float64Array {
  // plain loops: Float64Array.from over a mapped array-like cost ~8 ms at 200 groups
  const n = groups.length;
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[i * n + j] = pairWeight(groups[i]!, groups[j]!);
  return w;
}
