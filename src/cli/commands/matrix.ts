import { groupHosts } from '../../fleet/groups.js';
import { buildMatrix } from '../../fleet/matrix.js';
import { matrixHtml, matrixJson, matrixMarkdown, matrixText } from '../../render/matrix.js';
import type { Command } from '../context.js';
import { guestSet, hostSet, hostSetOptions, type HostSetArgs } from '../hosts.js';
import { failOnExit, failOnJunit } from './fail-on.js';
import { matrixGate } from '../../render/gate.js';
import { hostCount } from '../host-count.js';

export const matrix: Command<HostSetArgs & { guest?: string[]; failOn?: 'unsafe' | 'fail' }> = {
  command: 'matrix [hosts..]',
  describe: 'N×N verdict matrix over hosts or a fleet (identical hosts grouped), with a legend and per-cell reasons',
  html: true,
  positional: { hosts: { type: 'string', array: true, describe: "Host files, shipped names or inline hosts ('kernel=linux-6.6,vmm=qemu-9.2,cpu=graviton3')" } },
  examples: ['matrix altra-6.6 altra-6.12 v1-6.6 --guest default --guest pinned', 'matrix --fleet profiles/examples/fleet/eu-west.yaml --with-targets --fail-on fail'],
  junit: true,
  options: {
    ...hostSetOptions,
    guest: { type: 'string', array: true, nargs: 1, describe: "guest configuration, one grid each (default: the fleet's guests, else every setting the host's)" },
    'fail-on': { choices: ['unsafe', 'fail'], describe: 'exit 1/2 when some cell is unsafe/fails' },
  },
  async run(args, ctx) {
    const { fleet, entries } = hostSet(ctx, args);
    const report = { ...buildMatrix(groupHosts(entries), guestSet(ctx, args.guest, fleet), fleet?.name, ctx.progress), ...hostCount(fleet, args.hosts, args.withTargets) };
    await ctx.render({ text: () => matrixText(report, ctx.style), json: () => matrixJson(report), markdown: () => matrixMarkdown(report), html: () => matrixHtml(report), junit: failOnJunit('matrix', args.failOn, () => matrixGate(report)) });
    return failOnExit(args.failOn, () => report.grids.flatMap((g) => report.groups.flatMap((_, i) => report.groups.map((_, j) => g.verdict(i, j)))));
  },
};
