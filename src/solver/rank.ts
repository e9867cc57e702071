// Severities as ranks (a verdict is the worst finding): shared by assess and the verdict grid.
import type { Finding, Severity, Verdict } from '../model.js';

export const RANK: Record<Severity, number> = { info: 0, unsafe: 1, fail: 2 };
/** the verdict of a rank */
export const VERDICTS: readonly Verdict[] = ['clean', 'unsafe', 'fail'];

/** the highest rank among the findings (0 for none) */
export function rankOf(findings: readonly Pick<Finding, 'severity'>[]): number {
  let r = 0;
  for (let k = 0; k < findings.length; k++) {
    const s = RANK[findings[k]!.severity];
    if (s > r) r = s;
  }
  return r;
}
