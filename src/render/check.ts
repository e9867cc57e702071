// Renderers for one assessment: pure functions of the result.
import type { Assessment, Finding } from '../model.js';
import { paint, verdictColor, type Style } from './style.js';
import { findingJson, mdCell as cell } from './reasons.js';
import { oneLine } from '../profile/printable.js';

const WEIGHT: Record<Finding['severity'], number> = { fail: 0, unsafe: 1, info: 2 };

/** Findings by weight (fail, unsafe, info), rule order kept within each: the reader sees the cause of the verdict first. */
const byWeight = (findings: readonly Finding[]): Finding[] => [...findings].sort((a, b) => WEIGHT[a.severity] - WEIGHT[b.severity]);

/** The JSON object of one verdict (check --format json, one line of check --batch). */
export function checkRecord({ verdict, source, destination, guest, findings }: Assessment) {
  return { verdict, source, destination, guest, findings: byWeight(findings).map(findingJson) };
}

/** `exit` is the code the command returns for this verdict (1 becomes 0 under --allow-unsafe). */
export function checkJson(a: Assessment, exit: number): string {
  return `${JSON.stringify({ ...checkRecord(a), exit }, null, 2)}\n`;
}

export function checkText(a: Assessment, style: Style): string {
  const head = `${paint(style, verdictColor(a.verdict), a.verdict.toUpperCase())}  ${oneLine(`${a.source} -> ${a.destination}  (guest: ${a.guest})`)}`;
  if (!a.findings.length) return `${head}\n  no guest-visible ABI change found\n`;
  const lines = byWeight(a.findings).map(
    (f) => `  ${paint(style, verdictColor(f.severity), f.severity.padEnd(6))}  ${f.rule}  ${oneLine(f.subject)}\n          ${oneLine(f.message)}\n          ${paint(style, 'dim', `ref: ${oneLine(f.reference)}`)}`,
  );
  return `${head}\n${lines.join('\n')}\n`;
}


export function checkMarkdown(a: Assessment): string {
  const rows = byWeight(a.findings).map((f) => `| ${f.severity} | \`${f.rule}\` | ${cell(f.subject)} | ${cell(f.message)} | ${cell(f.reference)} |`);
  return [
    `## ${cell(`${a.source} -> ${a.destination} (guest: ${a.guest})`)}: **${a.verdict}**`,
    '',
    ...(rows.length ? ['| severity | rule | subject | message | reference |', '|---|---|---|---|---|', ...rows] : ['No guest-visible ABI change found.']),
    '',
  ].join('\n');
}
