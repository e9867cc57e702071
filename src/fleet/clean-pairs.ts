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

/** clean(a, b): reps[a] -> reps[b] is clean for the guest. */
export function cleanRelation(reps: readonly HostModel[], guest: GuestModel): (a: number, b: number) => boolean {
  const S = reps.length;
  if (guest.machineType !== undefined) {
    const grid = new VerdictGrid(reps, guest);
    return (a, b) => grid.clean(a, b);
  }
  const pinKey = (type: string) => JSON.stringify(machineTypePins(type));
  const classRep = new Map<string, string>();
  for (const h of reps) {
    const k = pinKey(h.vmm.machineTypes.newest);
    if (!classRep.has(k)) classRep.set(k, h.vmm.machineTypes.newest);
  }
  const registered = [...classRep.values()];
  const ids = new Map<string, number>();
  const neutral: HostModel[] = [];
  const nid = reps.map((h) => {
    const rep = classRep.get(pinKey(h.vmm.machineTypes.newest))!;
    const key = `${verdictSignature(h)}\0${rep}`;
    let i = ids.get(key);
    if (i === undefined) ids.set(key, (i = neutral.push({ ...h, vmm: { ...h.vmm, machineTypes: { newest: rep, registered, deprecated: [] } } }) - 1));
    return i;
  });
  const grid = new VerdictGrid(neutral, guest);
  return memoised(S, (a, b) => reps[b]!.vmm.machineTypes.registered.includes(reps[a]!.vmm.machineTypes.newest) && grid.clean(nid[a]!, nid[b]!));
}

function memoised(n: number, f: (a: number, b: number) => boolean): (a: number, b: number) => boolean {
  const memo = new Int8Array(n * n).fill(-1);
  return (a, b) => {
    const i = a * n + b;
    if (memo[i] === -1) memo[i] = f(a, b) ? 1 : 0;
    return memo[i] === 1;
  };
}
