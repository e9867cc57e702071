import { nodeNameProblems, type Scheduler } from '../../fleet/node-names.js';
import { buildPlan, DEFAULT_HEADROOM, planGuest } from '../../fleet/plan.js';
import { APART_POOLS, buildPools } from '../../fleet/pools.js';
import { InputError, UsageError } from '../../profile/diagnostics.js';
import { loadDocument } from '../../profile/load.js';
import { poolsHtml, poolsJson, poolsKubernetes, poolsMarkdown, poolsOpenstack, poolsText } from '../../render/pools.js';
import type { FleetModel } from '../../model.js';
import type { Command } from '../context.js';
import { guestSet } from '../hosts.js';

/** Labels and traits need names a scheduler takes: problems are located in the fleet file. */
function checkNames(fleet: FleetModel, scheduler: Scheduler): void {
  const problems = nodeNameProblems(fleet, scheduler);
  if (!problems.length) return;
  const doc = loadDocument(fleet.file!, 'Fleet');
  throw new InputError(problems.map((p) => doc.at(p.segs, p.message)));
}

export const pools: Command<{ fleet: string; guest?: string[]; withTargets?: boolean; apart: number }> = {
  command: 'pools',
  describe: 'Migration pools: the hosts grouped so that every migration inside a pool is clean, largest first; which pool drains into which; kubectl labels or Placement traits',
  html: true,
  scheduler: true,
  examples: ['pools --fleet profiles/examples/fleet/eu-west.yaml --with-targets', 'pools --fleet profiles/examples/fleet/eu-west.yaml --guest pinned --format kubernetes -o label-nodes.sh'],
  options: {
    fleet: { type: 'string', demandOption: true, describe: 'a Fleet file (nodes named for --format kubernetes|openstack)' },
    guest: { type: 'string', array: true, nargs: 1, describe: "guest configuration every migration inside a pool must be clean for, repeatable (default: the fleet's guests)" },
    'with-targets': { type: 'boolean', default: false, describe: 'also the pools after each wave of the upgrade plan (plan --fleet F, with the one --guest, else the baseline)' },
    apart: { type: 'number', default: APART_POOLS, describe: 'give the reasons between the pairs among this many largest pools (each a full assessment of their heaviest profile pairs; 0: none)' },
  },
  async run(args, ctx) {
    if (!(Number.isInteger(args.apart) && args.apart >= 0)) throw new UsageError(`--apart takes a whole number of pools, got ${args.apart}`);
    const fleet = ctx.resolver.fleet(args.fleet);
    const guests = guestSet(ctx, args.guest, fleet);
    if (ctx.format === 'kubernetes' || ctx.format === 'openstack') checkNames(fleet, ctx.format);
    const plan = args.withTargets
      ? buildPlan(fleet, args.guest?.length === 1 ? guests[0]! : planGuest(fleet, ctx.resolver.guest('default'), ctx.progress), { headroom: DEFAULT_HEADROOM, progress: ctx.progress })
      : undefined;
    const report = buildPools(fleet, guests, { ...(plan ? { plan } : {}), progress: ctx.progress, apart: args.apart });
    await ctx.render({
      text: () => poolsText(report, ctx.style),
      json: () => poolsJson(report),
      markdown: () => poolsMarkdown(report),
      html: () => poolsHtml(report),
      kubernetes: () => poolsKubernetes(report, ctx.printable),
      openstack: () => poolsOpenstack(report, ctx.printable),
    });
    return 0;
  },
};
