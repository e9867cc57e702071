// Renders `profiles show` facts: text (fact = value, source beneath), markdown table, json.
import type { ProfileFacts } from '../reports/profile-facts.js';
import type { Format } from './format.js';
import { mdCell as cell } from './reasons.js';
import { oneLine } from '../profile/printable.js';


export function renderFacts(p: ProfileFacts, format: Format): string {
  if (format === 'json') return `${JSON.stringify(p, null, 2)}\n`;
  if (format === 'markdown') {
    const rows = p.facts.map((f) => `| ${cell(f.fact)} | ${cell(f.value)} | ${cell(f.source)} |`);
    return `# ${cell(p.name)} (${p.kind})\n\n| fact | value | source |\n|---|---|---|\n${rows.join('\n')}\n`;
  }
  const facts = p.facts.map((f) => ({ fact: oneLine(f.fact), value: oneLine(f.value), source: oneLine(f.source) }));
  const width = Math.max(...facts.map((f) => f.fact.length));
  const lines = facts.map((f) => `  ${f.fact.padEnd(width)}  ${f.value}\n  ${' '.repeat(width)}  <- ${f.source}`);
  return `${oneLine(p.name)} (${p.kind})\n${lines.join('\n')}\n`;
}
