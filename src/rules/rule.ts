// A rule: an id (= file name = docs/rules/<id>.md), a one-line description, the
// references its facts rest on, and a check over the two sides of a migration.
//
// Fleets ask the same rule about many pairs that differ only in what it does not read, so a
// rule may declare `key`: per side, a string of everything its check reads outside message
// functions. Results are then memoised on the two keys, and a message that names a host (or
// anything else outside the key) is a function of the pair, worded only when a report asks
// for it. test/property/rule-memo.test.ts holds memoised results to unmemoised ones.
import type { Finding, GuestModel, Severity } from '../model.js';
import type { ConfigProblem, VmState } from '../solver/vm-state.js';

export interface PairContext {
  readonly src: VmState;
  readonly dst: VmState;
}

/** A finding as a rule judges it: its message may still be a function of the pair. */
export interface Judged extends Omit<Finding, 'message'> {
  readonly message: Words;
}

export interface Rule {
  readonly id: string;
  readonly description: string;
  readonly references: readonly string[];
  /** the findings, worded for this pair (memoised where the rule declares a key) */
  check(ctx: PairContext): Finding[];
  /** the findings before wording (messages may be functions of the pair), memoised; shared, never to be changed */
  judge(ctx: PairContext): readonly Judged[];
  /** check without the memo (what the memo is tested against) */
  fresh(ctx: PairContext): Finding[];
  /** the number of a side's key (role 0: as source, 1: as destination); judge = judgeIds(ctx, sideId(0, src), sideId(1, dst)) */
  sideId(role: 0 | 1, s: VmState): number;
  /** sideId without the per-state cache (for a caller that keeps the numbers itself: a state met once) */
  keyId(role: 0 | 1, s: VmState): number;
  judgeIds(ctx: PairContext, src: number, dst: number): readonly Judged[];
  /**
   * how the memo reads a pair, for grids that tabulate judgeIds by (source id, destination id):
   * undefined for a rule without a key (judgeIds is then fresh each time)
   */
  readonly memo?: {
    /** the keys read the filled-in machine type: else sideId(role, s) = sideId(role, s.base ?? s) */
    readonly machine: boolean;
    /** the pair is judged NO_FINDINGS before the memo is read (RuleKey.none) */
    readonly none?: (ctx: PairContext) => boolean;
    /** what the keys read of a state besides its host (RuleKey.reads) */
    readonly reads: readonly KeyPart[];
  };
}

/**
 * A part of a VM state a key reads (its host aside: every key may read that), or a field of
 * its guest (`guest.X`: st.endpoint.guest.X). Two states of one host with the same parts
 * (the same objects: vm-state.ts makes one per their inputs) have the same key, so a verdict
 * grid takes a rule's ids from another grid over the same hosts whose states share them.
 */
export type KeyPart = Exclude<keyof VmState, 'endpoint' | 'base'> | `guest.${keyof GuestModel & string}`;

type Words = string | ((ctx: PairContext) => string);

export interface FindingInput {
  readonly severity: Severity;
  readonly subject: string;
  readonly message: Words;
  readonly note: string;
  readonly reference: string;
  readonly side?: Finding['side'];
}

interface RuleKey {
  src(s: VmState): string;
  dst(s: VmState): string;
  /**
   * the keys read what a filled-in machine type changes (VmState machine, stolenTime, the
   * guest's machineType); else a state's keys are its base state's (vm-state.ts)
   */
  machine?: boolean;
  /** a pair the rule says nothing about whatever the keys (checked before the memo) */
  none?(ctx: PairContext): boolean;
  /** every part of a state src and dst read, beyond its host (test/rules/key-reads.test.ts records them) */
  reads: readonly KeyPart[];
}

const bigintHex = (_k: string, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v);
/** A key part: JSON (bigints as hex: a replacer is slow, so only when plain JSON meets one). */
export function keyOf(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return JSON.stringify(v, bigintHex) ?? 'undefined';
  }
}

const NO_FINDINGS: readonly Judged[] = Object.freeze([]);

/**
 * A finding many pairs share (a rule that meets the same one in hundreds of pairs makes it
 * once): stamped with the rule's id and frozen, so it goes into memoised lists as it is.
 * Its message may still be a function of the pair.
 */
export function sharedFinding(rule: string, f: FindingInput): FindingInput {
  return Object.freeze({ ...f, rule });
}

/** A finding worded for one pair. */
export function worded(f: Judged, ctx: PairContext): Finding {
  return typeof f.message === 'function' ? { ...f, message: f.message(ctx) } : (f as Finding);
}

/** Builds a rule whose findings are stamped with its id (in place: fleets make ~10^5 of them). */
export function defineRule(r: Omit<Rule, 'check' | 'judge' | 'fresh' | 'sideId' | 'keyId' | 'judgeIds' | 'memo'> & { key?: RuleKey; check(ctx: PairContext): FindingInput[] }): Rule {
  const judgeFresh = (ctx: PairContext): Judged[] => {
    const out = r.check(ctx) as (FindingInput & { rule?: string })[];
    // a shared finding (sharedFinding) is stamped already, and frozen
    for (const f of out) if (f.rule === undefined) f.rule = r.id;
    return out as Judged[];
  };
  const fresh = (ctx: PairContext): Finding[] => {
    const out = judgeFresh(ctx);
    for (let i = 0; i < out.length; i++) out[i] = worded(out[i]!, ctx) as Judged;
    return out as Finding[];
  };
  const { key, check: _c, ...rest } = r;
  if (!key) return { ...rest, judge: judgeFresh, fresh, check: fresh, sideId: () => 0, keyId: () => 0, judgeIds: judgeFresh };
  // each side's key interned to a number once per VM state; results by (source, destination) number
  const ids = [new Map<string, number>(), new Map<string, number>()] as const;
  const byState = [new WeakMap<VmState, number>(), new WeakMap<VmState, number>()] as const;
  // a key that does not read the filled-in machine type is its base state's
  const keyed = (state: VmState) => (key.machine ? state : (state.base ?? state));
  const sideId = (role: 0 | 1, state: VmState): number => {
    const s = keyed(state);
    let n = byState[role].get(s);
    if (n === undefined) byState[role].set(s, (n = idOf(role, s)));
    return n;
  };
  const idOf = (role: 0 | 1, s: VmState): number => {
    const k = role === 0 ? key.src(s) : key.dst(s);
    let n = ids[role].get(k);
    if (n === undefined) ids[role].set(k, (n = ids[role].size));
    return n;
  };
  // memo[source id][destination id]: ids are small and dense
  const memo: (readonly Judged[] | undefined)[][] = [];
  const judgeIds = (ctx: PairContext, src: number, dst: number): readonly Judged[] => {
    if (key.none?.(ctx)) return NO_FINDINGS;
    const row = (memo[src] ??= []);
    let out = row[dst];
    if (!out) {
      const fresh = judgeFresh(ctx);
      if (fresh.length) {
        for (const f of fresh) Object.freeze(f);
        out = row[dst] = Object.freeze(fresh);
      } else out = row[dst] = NO_FINDINGS;
    }
    return out;
  };
  const judge = (ctx: PairContext) => judgeIds(ctx, sideId(0, ctx.src), sideId(1, ctx.dst));
  const reads = { machine: key.machine === true, ...(key.none ? { none: key.none } : {}), reads: key.reads };
  return { ...rest, judge, fresh, check: (ctx) => judge(ctx).map((f) => worded(f, ctx)), sideId, keyId: (role, s) => idOf(role, keyed(s)), judgeIds, memo: reads };
}

const tokens = new Map<string, string>();
/**
 * A short stand-in for a long key part, equal for equal parts: sideId hashes its whole key
 * for every VM state, and a part such as a register list is kilobytes long.
 */
export function token(part: string): string {
  let t = tokens.get(part);
  if (t === undefined) tokens.set(part, (t = `#${tokens.size}`));
  return t;
}

/** A key part computed once per object (VM states of one host share their parts), as a token. */
export function partKey<T extends object>(cache: WeakMap<T, string>, part: T, f: (p: T) => unknown): string {
  let k = cache.get(part);
  if (k === undefined) cache.set(part, (k = token(keyOf(f(part)))));
  return k;
}

/**
 * A key made once per pair of objects that decide it (a host and its register list, say): the
 * baseline search makes a VM state per host for each candidate guest, and a key that reads only
 * those two objects is the same for all of them.
 */
export function pairKey<A extends object, B extends object>(cache: WeakMap<A, WeakMap<B, string>>, a: A, b: B, f: () => unknown): string {
  let byB = cache.get(a);
  if (!byB) cache.set(a, (byB = new WeakMap()));
  let k = byB.get(b);
  if (k === undefined) byB.set(b, (k = token(keyOf(f()))));
  return k;
}

export const hostOf = (s: VmState) => s.endpoint.host;

/** A message naming the two hosts of the pair it is worded for (s: source, d: destination). */
export const say =
  (f: (s: VmState['endpoint']['host'], d: VmState['endpoint']['host'], ctx: PairContext) => string) =>
  (ctx: PairContext): string =>
    f(hostOf(ctx.src), hostOf(ctx.dst), ctx);

/**
 * What a key reads of a configuration problem: its subject. Its message names the host, so a
 * key holding it would be one per host (a PSCI pin few kernels take made 16,000 fresh
 * judgements in a 200-profile fleet); configFailures words the message from the pair instead.
 */
export const problemKey = (p: ConfigProblem | undefined): string | null => p?.subject ?? null;

/**
 * A guest configuration a side cannot apply is a fail finding, on that side. Its message is
 * the problem of the pair it is worded for, at the same place in problemsOf (pairs sharing a
 * memo entry have the same problem subjects there: problemKey), so keys need not hold messages.
 */
export function configFailures(
  ctx: PairContext,
  problemsOf: (s: VmState) => readonly (ConfigProblem | undefined)[],
  what: string,
  reference: string,
): FindingInput[] {
  const src = problemsOf(ctx.src);
  const dst = problemsOf(ctx.dst);
  if (!src.some(Boolean) && !dst.some(Boolean)) return [];
  return (['source', 'destination'] as const).flatMap((side) =>
    (side === 'source' ? src : dst).flatMap((p, k) =>
      p
        ? [{ severity: 'fail' as const, subject: p.subject, message: (c: PairContext) => problemsOf(side === 'source' ? c.src : c.dst)[k]!.message, note: `${what} cannot be applied on the ${side}`, reference, side }]
        : [],
    ),
  );
}
