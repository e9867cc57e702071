// CPU models (MIDR implementer/part numbers) and Linux's errata matching semantics.
import type { CpuIdentity } from '../model.js';
import { kb, type CoreInfo, type ErratumInfo, type Product } from './data.js';
import { digitsAt } from './version.js';

export const MODEL_MASK = 0xff0ffff0; // MIDR_CPU_MODEL_MASK: implementer | architecture | partnum
const VARREV_MASK = 0x00f0000f; // Variant<<20 | Revision, compared as one integer

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const coreByName = new Map(kb.cores.map((c) => [c.name, c]));

// the name tables, built on first use: a probed host names its CPU by MIDR, so the gate
// never looks a name up, and slugging every core, alias and product cost its start ~0.5 ms
let names: { cores: Map<string, CoreInfo>; products: Map<string, Product> } | undefined;
function nameTables() {
  if (names) return names;
  const cores = new Map<string, CoreInfo>();
  for (const c of kb.cores) {
    cores.set(slug(c.name), c);
    for (const a of c.aliases ?? []) cores.set(slug(a), c);
  }
  // product names (graviton2, ampere-altra …) resolve to their core
  for (const p of kb.cpuProperties.products) cores.set(slug(p.name), coreByName.get(p.core)!);
  return (names = { cores, products: new Map(kb.cpuProperties.products.map((p) => [slug(p.name), p])) });
}

/** A product name (graviton2, kunpeng-920 …) with the core and the revision it ships. */
export const findProduct = (name: string): Product | undefined => nameTables().products.get(slug(name));

export const coreNames = (): string[] => kb.cores.map((c) => slug(c.name));
export const productNames = (): string[] => kb.cpuProperties.products.map((p) => p.name);

export function findCore(name: string): CoreInfo | undefined {
  return nameTables().cores.get(slug(name));
}

const coreByModel = new Map<number, CoreInfo>();
for (const c of kb.cores) if (!coreByModel.has(Number(c.midrBase))) coreByModel.set(Number(c.midrBase), c);

export function coreForMidr(midr: number): CoreInfo | undefined {
  return coreByModel.get((midr & MODEL_MASK) >>> 0);
}

export function parseRevision(rev: string): number | undefined {
  // /^r(\d+)p(\d+)$/ as string tests: start-up compiles no expression for it
  // (test/profile/plain-matchers.test.ts holds the two alike)
  if (rev.charCodeAt(0) !== 114) return undefined;
  const p = digitsAt(rev, 1);
  if (p === 1 || rev.charCodeAt(p) !== 112) return undefined;
  const end = digitsAt(rev, p + 1);
  if (end === p + 1 || end !== rev.length) return undefined;
  const v = Number(rev.slice(1, p));
  const r = Number(rev.slice(p + 1));
  return v > 15 || r > 15 ? undefined : (v << 20) | r;
}

export const revisionOf = (midr: number) => `r${(midr >>> 20) & 0xf}p${midr & 0xf}`;

export function midrOf(core: CoreInfo, revision: string): number | undefined {
  const vr = parseRevision(revision);
  return vr === undefined ? undefined : (Number(core.midrBase) | vr) >>> 0;
}

export const hex32 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
export const hex64 = (n: bigint) => `0x${n.toString(16)}`;

/** Does erratum `e` affect a CPU with this identity? (cpu_errata.c is_affected_midr_range + MIDR_FIXED) */
export function affects(e: ErratumInfo, cpu: CpuIdentity): boolean {
  const vr = (cpu.midr & VARREV_MASK) >>> 0;
  return e.affects.some((a) => {
    const core = coreByName.get(a.core);
    if (!core || ((cpu.midr & MODEL_MASK) >>> 0) !== Number(core.midrBase)) return false;
    const from = parseRevision(a.from);
    const to = parseRevision(a.to);
    if (from === undefined || to === undefined || vr < from || vr > to) return false;
    if (a.revidrFixAt && a.revidrFixBits && parseRevision(a.revidrFixAt) === vr) {
      if ((cpu.revidr & BigInt(a.revidrFixBits)) !== 0n) return false;
    }
    return true;
  });
}

const guestErrataCache = new Map<string, readonly ErratumInfo[]>();

/** Errata whose workaround the guest kernel applies, for a CPU identity (memoised: fleets ask often). */
export function guestErrata(cpu: CpuIdentity): readonly ErratumInfo[] {
  const key = `${cpu.midr}:${cpu.revidr}`;
  let list = guestErrataCache.get(key);
  if (!list) guestErrataCache.set(key, (list = kb.errata.filter((e) => e.guestWorkaround && affects(e, cpu))));
  return list;
}

const erratumById = new Map(kb.errata.map((e) => [e.id, e] as const));
export const erratum = (id: string): ErratumInfo | undefined => erratumById.get(id);
