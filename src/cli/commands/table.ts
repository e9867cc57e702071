import { buildTable } from '../../reports/table.js';
import { tableHtml, tableJson, tableMarkdown, tableText } from '../../render/table.js';
import type { Command } from '../context.js';
import { failOnExit } from './fail-on.js';

export const table: Command<{ old: string; new: string[]; compat?: string; allRows: boolean; failOn?: 'unsafe' | 'fail' }> = {
  command: 'table',
  describe: 'The 2018 kvmarm-style table: old/new hosts, with and without the guest configuration',
  html: true,
  options: {
    old: { type: 'string', demandOption: true, describe: 'the old host' },
    new: { type: 'string', array: true, demandOption: true, describe: 'the new host (repeat for one table each)' },
    compat: { type: 'string', describe: 'guest configuration run on the new host (the "userspace change")' },
    'all-rows': { type: 'boolean', default: false, describe: 'add old->old, compat->compat, new->compat, compat->new' },
    'fail-on': { choices: ['unsafe', 'fail'], describe: 'exit 1/2 when some row is unsafe/fails' },
  },
  async run(args, ctx) {
    const r = ctx.resolver;
    const oldHost = r.host(args.old);
    const compat = args.compat ? r.guest(args.compat) : undefined;
    const reports = args.new.map((n) => buildTable(oldHost, r.host(n), compat, args.allRows));
    await ctx.render({ text: () => tableText(reports, ctx.style), json: () => tableJson(reports), markdown: () => tableMarkdown(reports), html: () => tableHtml(reports) });
    return failOnExit(args.failOn, reports.flatMap((t) => t.rows.map((row) => row.verdict)));
  },
};
