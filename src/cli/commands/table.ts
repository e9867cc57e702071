import { buildTable } from '../../reports/table.js';
import { tableHtml, tableJson, tableMarkdown, tableText } from '../../render/table.js';
import type { Command } from '../context.js';
import { failOnExit, failOnJunit } from './fail-on.js';
import { tableGate } from '../../render/gate.js';

export const table: Command<{ old: string; new: string[]; compat?: string; allRows: boolean; failOn?: 'unsafe' | 'fail' }> = {
  command: 'table',
  describe: 'The 2018 kvmarm-style table: old/new hosts, with and without the guest configuration',
  html: true,
  examples: ['table --old 2018-old --new 2018-sysreg-new --new 2018-vcpu-new --compat 2018-compat', "table --old altra-6.6 --new 'kernel=linux-6.12,vmm=qemu-9.2,cpu=ampere-altra' --all-rows"],
  junit: true,
  options: {
    old: { type: 'string', demandOption: true, describe: 'the old host: a Host file, a shipped name or inline kernel=…,vmm=…,cpu=…' },
    new: { type: 'string', array: true, demandOption: true, describe: 'the new host, as --old (one table each)' },
    compat: { type: 'string', describe: 'guest configuration run on the new host (the "userspace change")' },
    'all-rows': { type: 'boolean', default: false, describe: 'add old->old, compat->compat, new->compat, compat->new' },
    'fail-on': { choices: ['unsafe', 'fail'], describe: 'exit 1/2 when some row is unsafe/fails' },
  },
  async run(args, ctx) {
    const r = ctx.resolver;
    const oldHost = r.host(args.old, '--old');
    const compat = args.compat ? r.guest(args.compat, '--compat') : undefined;
    const reports = args.new.map((n) => buildTable(oldHost, r.host(n, '--new'), compat, args.allRows));
    await ctx.render({ text: () => tableText(reports, ctx.style), json: () => tableJson(reports), markdown: () => tableMarkdown(reports), html: () => tableHtml(reports), junit: failOnJunit('table', args.failOn, () => tableGate(reports)) });
    return failOnExit(args.failOn, reports.flatMap((t) => t.rows.map((row) => row.verdict)));
  },
};
