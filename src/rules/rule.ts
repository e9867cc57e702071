// A rule: an id (= file name = docs/rules/<id>.md), a one-line description, the
// references its facts rest on, and a check over the two sides of a migration.
import type { Finding, Severity } from '../model.js';
import type { ConfigProblem, VmState } from '../solver/vm-state.js';

export interface PairContext {
  readonly src: VmState;
  readonly dst: VmState;
}

export interface Rule {
  readonly id: string;
  readonly description: string;
  readonly references: readonly string[];
  check(ctx: PairContext): Finding[];
}

export interface FindingInput {
  readonly severity: Severity;
  readonly subject: string;
  readonly message: string;
  readonly note: string;
  readonly reference: string;
  readonly side?: Finding['side'];
}

/** Builds a rule whose findings are stamped with its id (in place: fleets make ~10^5 of them). */
export function defineRule(r: Omit<Rule, 'check'> & { check(ctx: PairContext): FindingInput[] }): Rule {
  return {
    ...r,
    check: (ctx) => {
      const out = r.check(ctx) as (FindingInput & { rule?: string })[];
      for (const f of out) f.rule = r.id;
      return out as Finding[];
    },
  };
}

export const hostOf = (s: VmState) => s.endpoint.host;

/** A guest configuration a side cannot apply is a fail finding, on that side. */
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
    (side === 'source' ? src : dst)
      .filter((p): p is ConfigProblem => p !== undefined)
      .map((p) => ({ severity: 'fail' as const, subject: p.subject, message: p.message, note: `${what} cannot be applied on the ${side}`, reference, side })),
  );
}
