import { buildFence } from '../../fleet/fence.js';
import { kernelReleases } from '../../kb/kernels.js';
import { vmmReleases } from '../../kb/vmms.js';
import { fenceHtml, fenceJson, fenceMarkdown, fenceText } from '../../render/fence.js';
import { UsageError } from '../../profile/diagnostics.js';
import type { Verdict } from '../../model.js';
import type { Command } from '../context.js';
import { failOnExit, failOnJunit } from './fail-on.js';
import { fenceGate } from '../../render/gate.js';

/** linux-5.15..linux-6.15 (or ..6.15) -> every shipped release in between; names pass through. */
function expandRange(items: readonly string[], prefix: string, releases: readonly string[]): string[] {
  return items.flatMap((item) => {
    const m = item.split('..');
    if (m.length !== 2) return [item];
    const [a, b] = m.map((x) => x!.replace(new RegExp(`^${prefix}`), ''));
    const i = releases.indexOf(a!);
    const j = releases.indexOf(b!);
    if (i >= 0 && j >= 0 && j < i) throw new UsageError(`'${item}' is reversed: ranges go in upgrade order, older first (${prefix}${releases[j]}..${prefix}${releases[i]})`);
    if (i < 0 || j < 0) throw new UsageError(`cannot expand '${item}': shipped ${prefix}X.Y are ${prefix}${releases[0]} … ${prefix}${releases.at(-1)}`);
    return releases.slice(i, j + 1).map((r) => `${prefix}${r}`);
  });
}

export const fence: Command<{ kernels: string[]; vmms: string[]; cpu: string; guest: string; failOn?: 'unsafe' | 'fail' }> = {
  command: 'fence',
  describe: 'ABI-fence report over (kernel, VMM) combinations: which upgrades roll back, and the fence beyond which all migrate freely',
  html: true,
  examples: ['fence --kernels linux-5.15..linux-6.15 --vmms qemu-9.2 qemu-11.1', 'fence --kernels linux-6.6 linux-6.12 --vmms qemu-9.2 --cpu graviton3 --fail-on fail'],
  junit: true,
  options: {
    kernels: { type: 'string', array: true, demandOption: true, describe: 'kernels in upgrade order: linux-X.Y names or a range linux-5.15..linux-6.15' },
    vmms: { type: 'string', array: true, demandOption: true, describe: 'VMMs in upgrade order: qemu-X.Y names or a range' },
    cpu: { type: 'string', default: 'neoverse-n1:r3p1', describe: 'the CPU of every host: a core or product name, optionally :rXpY' },
    guest: { type: 'string', default: 'default', describe: 'guest configuration' },
    'fail-on': { choices: ['unsafe', 'fail'], describe: 'exit 1/2 when some step forward or back is unsafe/fails' },
  },
  async run(args, ctx) {
    // a name given twice is one combination (300 copies would be 90,000 cells)
    const kernels = [...new Set(expandRange(args.kernels, 'linux-', kernelReleases))];
    const vmms = [...new Set(expandRange(args.vmms, 'qemu-', vmmReleases))];
    const guest = ctx.resolver.guest(args.guest, '--guest');
    const make = (k: string, v: string) => ctx.resolver.composeHost(k, v, args.cpu);
    const { cpu } = make(kernels[0]!, vmms[0]!);
    // a CPU named without a revision says which one the grid assumed
    const assumed = cpu.assumption ? (/the revision it ships/.test(cpu.assumption) ? `, the revision ${args.cpu} ships` : ', assumed: no revision given') : '';
    const report = buildFence(kernels, vmms, make, guest, `${cpu.model ?? 'CPU'} ${cpu.revision}${assumed}`, ctx.progress);
    await ctx.render({ text: () => fenceText(report, ctx.style, ctx.columns), json: () => fenceJson(report), markdown: () => fenceMarkdown(report), html: () => fenceHtml(report), junit: failOnJunit('fence', args.failOn, () => fenceGate(report)) });
    return failOnExit(args.failOn, report.steps.flatMap((s): Verdict[] => [s.forward.verdict, s.rollback.verdict]));
  },
};
