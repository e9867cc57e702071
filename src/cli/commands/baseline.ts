import { groupHosts } from '../../fleet/groups.js';
import { buildBaseline } from '../../fleet/baseline.js';
import { baselineHtml, baselineJson, baselineMarkdown, baselineText } from '../../render/baseline.js';
import type { Command } from '../context.js';
import { hostSet, hostSetOptions, type HostSetArgs } from '../hosts.js';
import { failOnExit, failOnJunit } from './fail-on.js';
import { baselineGate } from '../../render/gate.js';
import { hostCount } from '../host-count.js';

export const baseline: Command<HostSetArgs & { guest: string; name?: string; failOn?: 'unsafe' | 'fail' }> = {
  command: 'baseline [hosts..]',
  describe: 'The guest configuration (PSCI pin, hypercall bits, stolen time, target CPUs) that makes the most migrations clean, and what still blocks',
  html: true,
  positional: { hosts: { type: 'string', array: true, describe: "Host files, shipped names or inline hosts ('kernel=linux-6.6,vmm=qemu-9.2,cpu=graviton3')" } },
  examples: ['baseline altra-6.1 altra-6.6 altra-6.12', 'baseline --fleet profiles/examples/fleet/eu-west.yaml --with-targets --format json -o baseline.json'],
  junit: true,
  options: {
    ...hostSetOptions,
    guest: { type: 'string', default: 'default', describe: 'the guest to start from (its other settings, e.g. guestKernel, are kept)' },
    name: { type: 'string', describe: 'name of the baseline Guest profile (default: FLEET-baseline)' },
    'fail-on': { choices: ['unsafe', 'fail'], describe: 'exit 1/2 when some pair is still unsafe/fails under the baseline' },
  },
  async run(args, ctx) {
    const { fleet, entries } = hostSet(ctx, args);
    const report = {
      ...buildBaseline(groupHosts(entries), ctx.resolver.guest(args.guest, '--guest'), { ...(fleet ? { fleet: fleet.name } : {}), ...(args.name ? { name: args.name } : {}), progress: ctx.progress }),
      ...hostCount(fleet, args.hosts, args.withTargets),
    };
    await ctx.render({ text: () => baselineText(report, ctx.style), json: () => baselineJson(report), markdown: () => baselineMarkdown(report), html: () => baselineHtml(report), junit: failOnJunit('baseline', args.failOn, () => baselineGate(report)) });
    return failOnExit(args.failOn, () => report.cells.flat().map((a) => a.verdict));
  },
};
