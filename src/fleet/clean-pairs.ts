// Which ordered pairs of distinct behaviours migrate cleanly, for the fence's grid — asked
// lazily and remembered, since the fence needs only the pairs its free test reaches.
//
// A guest with no machine type takes the source's newest type on every pair, so each QEMU
// release has a list of its own and no two releases would share a behaviour: the whole
// knowledge base (51 kernels × 21 QEMUs) is 567 behaviours. What a type list changes in a
// verdict is only (1) whether the destination registers the source's newest type — the
// machine-type rule fails when it does not; the rest of what that rule says of an unpinned
// guest is info — and (2) what that type pins (kb machineTypePins: steal time), which both
// sides read. So each behaviour is assessed once per pin class with a neutral list
// registering one representative type of every class (189 behaviours there), and the
// registration is checked by name. Only the verdict is needed: a verdict grid over the
// neutral hosts (src/solver/verdict-grid.ts). test/property/clean-pairs.test.ts proves the
// result equals assessing every pair of the real hosts.
import type { GuestModel, HostModel } from '../model.js';
import { machineTypePins } from '../kb/vmms.js';
import { VerdictGrid } from '../solver/verdict-grid.js';
import { verdictSignature } from './groups.js';

/** clean(a, b): reps[a] -> reps[b] is clean for the guest, asked lazily (the fence reaches few pairs). */
export function cleanRelation(reps: readonly HostModel[], guest: GuestModel): (a: number, b: number) => boolean {
  const S = reps.length;
  const d = decomposed(reps, guest);
  if (!d) {
    const grid = new VerdictGrid(reps, guest);
    return (a, b) => grid.clean(a, b);
  }
  const { grid, nid, type, registers } = d;
  return memoised(S, (a, b) => registers(b, type[a]!) && grid.clean(nid[a]!, nid[b]!));
}

/**
 * Every pair at once (pools reads them all): m[a * S + b] is 1 when reps[a] -> reps[b] is clean,
 * else 0 — cleanRelation's answers, row by row from the grid (test/property/clean-pairs.test.ts).
 */
export function cleanMatrix(reps: readonly HostModel[], guest: GuestModel): Uint8Array {
  const S = reps.length;
  const m = new Uint8Array(S * S);
  const d = decomposed(reps, guest);
  if (!d) {
    const grid = new VerdictGrid(reps, guest);
    for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) m[a * S + b] = grid.rank(a, b) === 0 ? 1 : 0;
    return m;
  }
  const { grid, nid, type, registers } = d;
  // the registration test per (newest type, destination), then the neutral grid
  const T = Math.max(0, ...type) + 1;
  const reg = new Uint8Array(T * S);
  for (let t = 0; t < T; t++) for (let b = 0; b < S; b++) reg[t * S + b] = registers(b, t) ? 1 : 0;
  for (let a = 0; a < S; a++) {
    const ra = type[a]! * S;
    const na = nid[a]!;
    for (let b = 0; b < S; b++) m[a * S + b] = reg[ra + b] === 1 && grid.rank(na, nid[b]!) === 0 ? 1 : 0;
  }
  return m;
}

/**
 * A guest without a machine type: the neutral hosts' grid (nid: each rep's neutral host), each
 * rep's newest type as a number (type) and registers(b, t): reps[b]'s QEMU registers type t.
 * Undefined for a guest with a machine type (the reps' own grid decides).
 */
function decomposed(reps: readonly HostModel[], guest: GuestModel): { grid: VerdictGrid; nid: Int32Array; type: Int32Array; registers: (b: number, t: number) => boolean } | undefined {
  if (guest.machineType !== undefined) return undefined;
  const pinKey = (type: string) => JSON.stringify(machineTypePins(type));
  const classRep = new Map<string, string>();
  const types = new Map<string, number>();
  const type = new Int32Array(reps.length);
  reps.forEach((h, a) => {
    const newest = h.vmm.machineTypes.newest;
    let t = types.get(newest);
    if (t === undefined) {
      types.set(newest, (t = types.size));
      const k = pinKey(newest);
      if (!classRep.has(k)) classRep.set(k, newest);
    }
    type[a] = t;
  });
  const registered = [...classRep.values()];
  const pinRep = new Map([...types.keys()].map((t) => [t, classRep.get(pinKey(t))!]));
  const typeName = [...types.keys()];
  // by verdict signature, then class: a signature (a kernel's register list in it) is long, and
  // joining it to the class would copy and hash it again per host
  const ids = new Map<string, Map<string, number>>();
  const neutral: HostModel[] = [];
  const nid = Int32Array.from(reps, (h) => {
    const rep = pinRep.get(h.vmm.machineTypes.newest)!;
    const sig = verdictSignature(h);
    let byRep = ids.get(sig);
    if (!byRep) ids.set(sig, (byRep = new Map()));
    let i = byRep.get(rep);
    if (i === undefined) byRep.set(rep, (i = neutral.push({ ...h, vmm: { ...h.vmm, machineTypes: { newest: rep, registered, deprecated: [] } } }) - 1));
    return i;
  });
  return { grid: new VerdictGrid(neutral, guest), nid, type, registers: (b, t) => reps[b]!.vmm.machineTypes.registered.includes(typeName[t]!) };
}

function memoised(n: number, f: (a: number, b: number) => boolean): (a: number, b: number) => boolean {
  const memo = new Int8Array(n * n).fill(-1);
  return (a, b) => {
    const i = a * n + b;
    if (memo[i] === -1) memo[i] = f(a, b) ? 1 : 0;
    return memo[i] === 1;
  };
}
