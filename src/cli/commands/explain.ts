import { factsForRule, type CitedFact } from '../../kb/facts.js';
import { rules } from '../../rules/index.js';
import { UsageError, hint } from '../../profile/diagnostics.js';
import type { Command } from '../context.js';

export const explain: Command<{ rule?: string }> = {
  command: 'explain [rule]',
  describe: "A rule's documentation: what it checks, why, an example, references (no rule: list them)",
  positional: { rule: { type: 'string', describe: 'rule id, e.g. psci-version' } },
  examples: ['explain', 'explain psci-version'],
  async run(args, ctx) {
    if (!args.rule) {
      const list = rules.map((r) => ({ id: r.id, description: r.description }));
      await ctx.emit(ctx.format === 'json' ? `${JSON.stringify(list, null, 2)}\n` : list.map((r) => `${r.id.padEnd(20)} ${r.description}\n`).join(''));
      return 0;
    }
    const rule = rules.find((r) => r.id === args.rule);
    if (!rule) throw new UsageError(`unknown rule '${args.rule}'${ruleHint(args.rule)}; 'migcheck explain' lists them`);
    // the rule pages (~35 KB of JSON) are parsed only here, not at every command's start-up
    const { default: docs } = await import('../../generated/docs.json', { with: { type: 'json' } });
    const doc = (docs as Record<string, string>)[rule.id] ?? '';
    const facts = factsForRule(rule.id);
    await ctx.emit(ctx.format === 'json' ? `${JSON.stringify({ id: rule.id, description: rule.description, references: rule.references, facts, doc }, null, 2)}\n` : doc + factSection(facts));
    return 0;
  },
};

/** A misspelt id, or the start of one (`psci` -> psci-version): people type the first word of a rule. */
function ruleHint(input: string): string {
  const ids = rules.map((r) => r.id);
  const spelt = hint(input, ids);
  if (spelt) return spelt;
  const lower = input.toLowerCase();
  const starts = ids.filter((id) => id.startsWith(lower) || id.split('-').includes(lower));
  if (!starts.length || !lower) return '';
  return ` (did you mean ${starts.map((id) => `'${id}'`).join(' or ')}?)`;
}

/** The knowledge-base entries the rule reads, with their references (kb/*.yaml). */
function factSection(facts: readonly CitedFact[]): string {
  if (facts.length === 0) return '';
  const lines = facts.map((f) => `- **${f.where}** (${f.status}): ${f.what}. ${f.reference}`);
  return `\n## Knowledge-base facts this rule reads\n\n${lines.join('\n')}\n`;
}
