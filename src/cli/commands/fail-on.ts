import type { Verdict } from '../../model.js';

/** For report commands: --fail-on unsafe exits 1 when a cell is unsafe or worse; --fail-on fail exits 2 when a cell fails. */
export function failOnExit(failOn: 'unsafe' | 'fail' | undefined, verdicts: readonly Verdict[]): number {
  if (failOn === 'fail') return verdicts.includes('fail') ? 2 : 0;
  if (failOn === 'unsafe') return verdicts.some((v) => v !== 'clean') ? 1 : 0;
  return 0;
}
