import type { Verdict } from '../../model.js';
import { UsageError } from '../../profile/diagnostics.js';
import { gateJunit, type GateItem } from '../../render/junit.js';

/** For report commands: --fail-on unsafe exits 1 when a cell is unsafe or worse; --fail-on fail exits 2 when a cell fails. */
export function failOnExit(failOn: 'unsafe' | 'fail' | undefined, verdicts: readonly Verdict[]): number {
  if (failOn === 'fail') return verdicts.includes('fail') ? 2 : 0;
  if (failOn === 'unsafe') return verdicts.some((v) => v !== 'clean') ? 1 : 0;
  return 0;
}

/** --format junit of a report: its --fail-on result, one test case per item judged. */
export const failOnJunit = (command: string, failOn: 'unsafe' | 'fail' | undefined, items: () => readonly GateItem[]) => () => {
  if (!failOn) throw new UsageError(`--format junit reports the --fail-on result of ${command}: add --fail-on unsafe or --fail-on fail`);
  return gateJunit(command, failOn, items());
};
