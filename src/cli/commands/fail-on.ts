import type { Verdict } from '../../model.js';
import { UsageError } from '../../profile/diagnostics.js';
import { gateJunit, trips, type GateItem } from '../../render/junit.js';

/** For report commands: --fail-on unsafe exits 1 when a cell is unsafe or worse; --fail-on fail exits 2 when a cell fails. */
/** verdicts may be a function: fleet reports have 10^4–10^5 cells, listed only when --fail-on asks. */
export function failOnExit(failOn: 'unsafe' | 'fail' | undefined, verdicts: readonly Verdict[] | (() => readonly Verdict[])): number {
  if (!failOn) return 0;
  return (typeof verdicts === 'function' ? verdicts() : verdicts).some((v) => trips(failOn, v)) ? (failOn === 'fail' ? 2 : 1) : 0;
}

/** --format junit of a report: its --fail-on result, one test case per item judged. */
export const failOnJunit = (command: string, failOn: 'unsafe' | 'fail' | undefined, items: () => readonly GateItem[]) => () => {
  if (!failOn) throw new UsageError(`--format junit reports the --fail-on result of ${command}: add --fail-on unsafe or --fail-on fail`);
  return gateJunit(command, failOn, items());
};
