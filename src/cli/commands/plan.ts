import { buildPlan, DEFAULT_HEADROOM, planGuest } from '../../fleet/plan.js';
import { planHtml, planJson, planMarkdown, planText } from '../../render/plan.js';
import { UsageError } from '../../profile/diagnostics.js';
import type { Verdict } from '../../model.js';
import type { Command } from '../context.js';
import { failOnExit, failOnJunit } from './fail-on.js';
import { planGate } from '../../render/gate.js';

export const plan: Command<{ fleet: string; guest?: string; headroom: number; failOn?: 'unsafe' | 'fail' }> = {
  command: 'plan',
  describe: "Rolling-upgrade plan from the fleet's hosts to their upgradeTo targets: waves, the migrations each relies on, where rollback stops being live",
  html: true,
  examples: ['plan --fleet profiles/examples/fleet/eu-west.yaml', 'plan --fleet profiles/examples/fleet/eu-west.yaml --headroom 0.5 --fail-on unsafe --format html -o plan.html'],
  junit: true,
  options: {
    fleet: { type: 'string', demandOption: true, describe: 'a Fleet file with upgradeTo targets' },
    guest: { type: 'string', describe: 'run the plan with this guest configuration (default: the baseline over current and target hosts)' },
    headroom: { type: 'number', default: DEFAULT_HEADROOM, describe: "fraction of a host's guests each running host can take in during a wave" },
    'fail-on': { choices: ['unsafe', 'fail'], describe: 'exit 2 when the plan is blocked (unsafe: also when a wave cannot be rolled back live)' },
  },
  async run(args, ctx) {
    if (!(args.headroom > 0 && args.headroom <= 64)) throw new UsageError(`--headroom must be a positive fraction of a host, got ${args.headroom}`);
    const fleet = ctx.resolver.fleet(args.fleet);
    const guest = args.guest ? ctx.resolver.guest(args.guest, '--guest') : planGuest(fleet, ctx.resolver.guest('default'), ctx.progress);
    const report = buildPlan(fleet, guest, { headroom: args.headroom, progress: ctx.progress });
    await ctx.render({ text: () => planText(report, ctx.style), json: () => planJson(report), markdown: () => planMarkdown(report), html: () => planHtml(report), junit: failOnJunit('plan', args.failOn, () => planGate(report)) });
    const verdicts: Verdict[] = [report.blocked ? 'fail' : 'clean', ...report.waves.map((w): Verdict => (w.rollback.live ? 'clean' : 'unsafe'))];
    return failOnExit(args.failOn, verdicts);
  },
};
