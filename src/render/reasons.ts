// What decides a verdict, in the words reports use: the findings at the verdict's
// severity, grouped by rule and note so that five missing registers read as one reason.
import type { Assessment, Finding, HostModel } from '../model.js';
import { hex32 } from '../kb/cpus.js';

export function decisive(a: Assessment): Finding[] {
  return a.verdict === 'clean' ? [] : a.findings.filter((f) => f.severity === a.verdict);
}

export interface Reason {
  readonly rule: string;
  readonly subjects: readonly string[];
  /** the note with the subject replaced by {} when it names it, so registers group */
  readonly template: string;
}

export function reasons(a: Assessment): Reason[] {
  const out = new Map<string, { rule: string; subjects: string[]; template: string }>();
  for (const f of decisive(a)) {
    const template = f.note.includes(f.subject) ? f.note.split(f.subject).join('{}') : f.note;
    const key = `${f.rule}\0${template}`;
    const r = out.get(key) ?? { rule: f.rule, subjects: [], template };
    if (!r.subjects.includes(f.subject)) r.subjects.push(f.subject);
    out.set(key, r);
  }
  return [...out.values()];
}

const list = (xs: readonly string[], max: number) => (xs.length > max ? `${xs.slice(0, max).join(', ')} +${xs.length - max} more` : xs.join(', '));

/** "register-list: the destination does not know the TCR2_EL1, PIRE0_EL1 registers" */
export function reasonText(r: Reason, maxSubjects = 4): string {
  if (!r.template.includes('{}')) return `${r.rule} ${list(r.subjects, maxSubjects)}: ${r.template}`;
  const many = r.subjects.length > 1;
  const t = many ? r.template.replace(/\{\} register\b(?!s)/, '{} registers') : r.template;
  return `${r.rule}: ${t.split('{}').join(list(r.subjects, maxSubjects))}`;
}

export const reasonsText = (a: Assessment) => reasons(a).map((r) => reasonText(r)).join('; ');

export const findingJson = ({ rule, severity, subject, message, reference }: Finding) => ({ rule, severity, subject, message, reference });

/** kernel, VMM and CPU in a few words */
export const hostSummary = (h: HostModel) => `${h.kernel.name}, ${h.vmm.name}, ${h.cpu.model ?? hex32(h.cpu.midr)} ${h.cpu.revision}`;

export const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
