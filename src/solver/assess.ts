// assess(source, destination, guest): run every rule over the two sides of a migration.
import type { Assessment, Endpoint, Finding, GuestModel, HostModel, Verdict } from '../model.js';
import { rules } from '../rules/index.js';
import type { Judged, PairContext } from '../rules/rule.js';
import { vmState } from './vm-state.js';
import { withSourceMachineType } from './machine-state.js';
import { rankOf, VERDICTS } from './rank.js';


export function worst(findings: readonly Pick<Finding, 'severity'>[]): Verdict {
  return VERDICTS[rankOf(findings)]!;
}

/** The findings that decide a verdict: those at its severity (none for clean). */
export function decisive(a: Assessment): Finding[] {
  return a.verdict === 'clean' ? [] : a.findings.filter((f) => f.severity === a.verdict);
}

function pairContext(source: Endpoint, destination: Endpoint): PairContext {
  // the machine type travels with the guest: unset, it is the one the source gave it at define time
  const srcGuest = withSourceMachineType(source.guest, source.host);
  const dstGuest = destination.guest === source.guest ? srcGuest : withSourceMachineType(destination.guest, source.host);
  return { src: vmState({ host: source.host, guest: srcGuest }), dst: vmState({ host: destination.host, guest: dstGuest }) };
}

function assessWith(source: Endpoint, destination: Endpoint, memo: boolean): Assessment {
  const ctx = pairContext(source, destination);
  const findings = rules.flatMap((r) => (memo ? r.check(ctx) : r.fresh(ctx)));
  const guest = source.guest === destination.guest ? source.guest.name : `${source.guest.name} -> ${destination.guest.name}`;
  return { verdict: worst(findings), source: source.host.name, destination: destination.host.name, guest, findings };
}

/** Both sides may run the guest with different configurations (the table's compat rows). */
export function assessEndpoints(source: Endpoint, destination: Endpoint): Assessment {
  return assessWith(source, destination, true);
}

/** assessEndpoints with every rule run afresh, no memo (what the memo is tested against). */
export function assessEndpointsFresh(source: Endpoint, destination: Endpoint): Assessment {
  return assessWith(source, destination, false);
}

/**
 * A pair as the rules judge it, before any message is worded: its verdict and each rule's
 * findings (fleet cells keep only what decides the verdict; most pairs of a fleet share
 * their rules' lists, which come back from the rules' memos).
 */
export interface PairJudgement {
  readonly verdict: Verdict;
  /** per rule, in rule order: shared, never to be changed */
  readonly lists: readonly (readonly Judged[])[];
}

// every rule's side key numbers of a VM state, found once (a fleet pairs each state with every other)
const sideIds = [new WeakMap<object, Int32Array>(), new WeakMap<object, Int32Array>()] as const;
function idsOf(role: 0 | 1, s: PairContext['src']): Int32Array {
  let ids = sideIds[role].get(s);
  if (!ids) sideIds[role].set(s, (ids = Int32Array.from(rules, (r) => r.sideId(role, s))));
  return ids;
}

export function judgePair(source: HostModel, destination: HostModel, guest: GuestModel): PairJudgement {
  return judgeFrom(source, guest)(destination);
}

/** judgePair for one source and many destinations (a grid's row): the source side is looked up once. */
export function judgeFrom(source: HostModel, guest: GuestModel): (destination: HostModel) => PairJudgement {
  const srcGuest = withSourceMachineType(guest, source);
  const src = vmState({ host: source, guest: srcGuest });
  const a = idsOf(0, src);
  const n = rules.length;
  return (destination) => {
    const ctx = { src, dst: vmState({ host: destination, guest: srcGuest }) };
    const b = idsOf(1, ctx.dst);
    const lists: (readonly Judged[])[] = [];
    let rank = 0;
    for (let i = 0; i < n; i++) {
      const list = rules[i]!.judgeIds(ctx, a[i]!, b[i]!);
      lists.push(list);
      rank = Math.max(rank, rankOf(list));
    }
    return { verdict: VERDICTS[rank]!, lists };
  };
}

/** assess(…).verdict === 'clean', stopping at the first rule that says more than info (grids need no findings). */
export function migratesCleanly(source: HostModel, destination: HostModel, guest: GuestModel): boolean {
  const ctx = pairContext({ host: source, guest }, { host: destination, guest });
  const a = idsOf(0, ctx.src);
  const b = idsOf(1, ctx.dst);
  return rules.every((r, i) => r.judgeIds(ctx, a[i]!, b[i]!).every((f) => f.severity === 'info'));
}

export function assess(source: HostModel, destination: HostModel, guest: GuestModel): Assessment {
  return assessEndpoints({ host: source, guest }, { host: destination, guest });
}
