// Which ordered pairs of distinct behaviours migrate cleanly, for the fence's grid.
//
// A guest with no machine type takes the source's newest type on every pair, so each QEMU
// release has a list of its own and no two releases would share a behaviour: the whole
// knowledge base (51 kernels × 21 QEMUs) is 483 behaviours, 233,000 assessments (13.6 s).
// What a type list changes in a verdict is only (1) whether the destination registers the
// source's newest type — the machine-type rule fails when it does not; the rest of what that
// rule says of an unpinned guest is info — and (2) what that type pins (kb machineTypePins:
// steal time), which both sides read. So each behaviour is assessed once per pin class with a
// neutral list registering one representative type of every class, and the registration is
// checked by name (138 behaviours there; 1.5 s for the whole fence). Grids need only the
// verdict, so migratesCleanly stops at the first rule that says more than info.
// test/property/clean-pairs.test.ts proves the result equals assessing every
// pair of the real hosts.
import type { GuestModel, HostModel } from '../model.js';
import { machineTypePins } from '../kb/vmms.js';
import { migratesCleanly } from '../solver/assess.js';
import { verdictSignature } from './groups.js';
import type { Progress } from './progress.js';

/** clean[a * S + b] = 1 when reps[a] -> reps[b] is clean for the guest. */
export function cleanPairs(reps: readonly HostModel[], guest: GuestModel, progress: Progress): Uint8Array {
  const S = reps.length;
  const clean = new Uint8Array(S * S);
  if (guest.machineType !== undefined) {
    progress.start('fence', S * S);
    for (let a = 0; a < S; a++) {
      for (let b = 0; b < S; b++) clean[a * S + b] = migratesCleanly(reps[a]!, reps[b]!, guest) ? 1 : 0;
      progress.tick(S);
    }
    progress.done();
    return clean;
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
  const N = neutral.length;
  const ok = new Uint8Array(N * N);
  progress.start('fence', N * N);
  for (let a = 0; a < N; a++) {
    for (let b = 0; b < N; b++) ok[a * N + b] = migratesCleanly(neutral[a]!, neutral[b]!, guest) ? 1 : 0;
    progress.tick(N);
  }
  progress.done();
  for (let a = 0; a < S; a++) {
    const type = reps[a]!.vmm.machineTypes.newest;
    for (let b = 0; b < S; b++) clean[a * S + b] = ok[nid[a]! * N + nid[b]!]! && reps[b]!.vmm.machineTypes.registered.includes(type) ? 1 : 0;
  }
  return clean;
}
