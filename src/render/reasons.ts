// What decides a verdict, in the words reports use: the findings at the verdict's
// severity, grouped by rule and note so that five missing registers read as one reason.
import type { Assessment, Finding, HostModel } from '../model.js';
import { hex32 } from '../kb/cpus.js';
import { reasons, type Reason } from '../fleet/cell.js';
import { WORKS } from './style.js';
import { oneLine } from '../profile/printable.js';

export { mdCell } from './markdown.js';

/** "a, b, c +2 more" */
export const list = (xs: readonly string[], max: number) => (xs.length > max ? `${xs.slice(0, max).join(', ')} +${xs.length - max} more` : xs.join(', '));

/** "register-list: the destination does not know the TCR2_EL1, PIRE0_EL1 registers" */
export function reasonText(r: Reason, maxSubjects = 4): string {
  if (!r.template.includes('{}')) return oneLine(`${r.rule} ${list(r.subjects, maxSubjects)}: ${r.template}`);
  const many = r.subjects.length > 1;
  const t = many ? r.template.replace(/\{\} register\b(?!s)/, '{} registers') : r.template;
  return oneLine(`${r.rule}: ${t.split('{}').join(list(r.subjects, maxSubjects))}`);
}

export const reasonsText = (a: Assessment | { readonly reasons: readonly Reason[] }) => ('reasons' in a ? a.reasons : reasons(a)).map((r) => reasonText(r)).join('; ');

/** "NO (register-list: …)"; a clean verdict is just its word. */
export const worksWhy = (a: Assessment, open = ' (', close = ')') => `${WORKS[a.verdict]}${a.verdict === 'clean' ? '' : `${open}${reasonsText(a)}${close}`}`;

export const findingJson = ({ rule, severity, subject, message, reference }: Finding) => ({ rule, severity, subject, message, reference });

/** kernel, VMM and CPU in a few words */
export const hostSummary = (h: HostModel) => oneLine(`${h.kernel.name}, ${h.vmm.name}, ${h.cpu.model ?? hex32(h.cpu.midr)} ${h.cpu.revision}`);

